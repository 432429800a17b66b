"""UCI "default of credit card clients" (Taiwan, Apr–Sep 2005) as six ledger extracts.

A worked example of mapping a third-party export onto the ledger contract
(`ledger-contract.md`): the export is one row per card account with six monthly
repayment statuses, bills and payments; the contract wants one folder per month end with
accounts, an account-month snapshot and the month's postings. Everything the export does not
say is a stated assumption below, never an invented figure.

    python -m adapters.uci_credit_card --csv UCI_Credit_Card.csv --landing data/landing [--format csv]

writes `<landing>/2005-04-30/` … `<landing>/2005-09-30/`, each with `manifest.json`.

Source columns (the file's own names; the Kaggle copy's names are accepted too)
------------------------------------------------------------------------------
`ID`; `X1` (LIMIT_BAL) credit limit in NT$; `X2`–`X5` sex, education, marriage, age;
`X6`–`X11` (PAY_0, PAY_2 … PAY_6) repayment status Sep, Aug, Jul, Jun, May, Apr;
`X12`–`X17` (BILL_AMT1 … 6) bill Sep … Apr; `X18`–`X23` (PAY_AMT1 … 6) amount paid Sep … Apr;
`Y` default next month.

Mapping
-------
accounts (the same full list in every extract; one row per `ID`):
  - `account_id` = "UCI" + ID, `customer_id` = "UCI-C" + ID (one card per client in this file).
  - `product` = `revolving`, `term_months` empty, `original_amount` = credit limit (X1).
  - `open_date` = 2005-03-31 for every account: the export has **no origination dates**. All
    accounts form one artificial cohort (mob 1 in April), so vintage curves are meaningless
    for this data. March (not April) keeps April from being checked as an opening month.
  - `apr` = 0.18: **assumed**; the export has no rates (it only matters for ECL discounting).
  - `risk_grade` = `C` for every account: the export has no grade, and none is derived from the
    demographics. `C` is a placeholder, so grade splits of this data say nothing.
  - `channel`, `region` empty; `currency` = `TWD` (amounts are New Taiwan dollars).
  - Not carried: X2–X5 (sex, education, marriage, age: not used for risk reporting) and Y.

account_months (one row per account and month end 2005-04-30 … 2005-09-30):
  - `days_past_due` from the repayment status: −2, −1, 0 (no consumption, paid duly,
    revolving) → 0; k ≥ 1 ("k months late") → 30·k. With the default bucket edges 1 →
    `dpd_30_59`, 2 → `dpd_60_89`, …, 6 and more → `dpd_180_plus`.
  - `status` = `active`, `forbearance` = `litigation` = false for every row. Accounts past
    180 DPD stay on book: that is what the data shows (a policy finding for the reports), not
    something the adapter corrects.
  - `principal_balance` = the month's bill (may be negative: a credit balance);
    `interest_balance` = `fee_balance` = 0 (the bill is not split into components).
  - `credit_limit` = X1 (the export has one limit per account, so it is constant).
  - `amount_past_due` = `min_payment_due` = 0 when DPD is 0, otherwise the month's bill floored
    at 0. The export has no due amounts: for a delinquent account the whole bill is treated as
    due (an upper bound, not a measured figure).

postings (May … September; April has none):
  - April is the first month of the export: its opening balances (March bills) are unknown, so
    no movements can be derived and `postings` is empty (header only). The loader does not
    check April's roll-forward (no prior month, no account opened in April).
  - For month m ≥ May: net = bill(m) − bill(m−1); repayment = amount paid in m;
    disbursement = net + repayment. When that is negative (the bill fell by more than the
    recorded payment: the export's payment and bill do not always reconcile, e.g. refunds,
    reversals or payments dated in another month), the disbursement is 0 and the repayment is
    raised to −net. So closing = opening + disbursement − repayment holds to the cent for every
    account. The amount paid in April is not used (it moves the unknown March balance).
  - One `disbursement` and/or one `repayment` per account and month, dated the 15th; zero
    amounts are dropped. `posting_id` = "UCI" + yyyymm + "-D-"/"-R-" + ID (unique across
    extracts).

Numbers: the CSV is read as text; amounts are parsed as numbers (about 4,200 cells are in
scientific notation such as `1.00E+05`, all of them exact multiples of 100,000) and written as
plain decimal strings with two places. A value that does not parse stops the conversion with
the column, line and text; nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import polars as pl

from simulator.extract import money, write_table
from simulator.manifest import write_manifest

SOURCE_SYSTEM = "uci-credit-card"
ENCODING = "utf-8"
FILE_FORMATS = ("csv", "csv.gz", "parquet")
MONTH_ENDS = tuple(date(2005, m, d) for m, d in ((4, 30), (5, 31), (6, 30), (7, 31), (8, 31), (9, 30)))
OPEN_DATE = "2005-03-31"
APR = "0.18"
RISK_GRADE = "C"
CURRENCY = "TWD"
POSTING_DAY = 15
DAYS_PER_MONTH_LATE = 30

LIMIT = "X1"
# (repayment status, bill, amount paid) per month, in MONTH_ENDS order (April first)
MONTH_COLUMNS = (("X11", "X17", "X23"), ("X10", "X16", "X22"), ("X9", "X15", "X21"),
                 ("X8", "X14", "X20"), ("X7", "X13", "X19"), ("X6", "X12", "X18"))
NUMERIC = (LIMIT, *(c for month in MONTH_COLUMNS for c in month))
# the widely circulated Kaggle copy names the same columns differently
KAGGLE_NAMES = {
    "LIMIT_BAL": "X1", "SEX": "X2", "EDUCATION": "X3", "MARRIAGE": "X4", "AGE": "X5",
    **{name: f"X{6 + i}" for i, name in enumerate(("PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6"))},
    **{f"BILL_AMT{i}": f"X{11 + i}" for i in range(1, 7)},
    **{f"PAY_AMT{i}": f"X{17 + i}" for i in range(1, 7)},
    "default.payment.next.month": "Y",
}
TABLES = ("accounts", "account_months", "postings")
POSTING_COLUMNS = ("posting_id", "account_id", "posting_date", "entry_type", "amount")


class UciExportError(ValueError):
    """The export is not the UCI file this adapter maps (missing column, unparseable value)."""


def read_export(csv_path: Path) -> pl.DataFrame:
    """The export as one typed row per account: id, limit, status_i, bill_i, paid_i (money in cents).

    Index i runs over MONTH_ENDS (0 = April). Raises UciExportError naming the column, the file
    line and the text of the first value that is not a number (or a status that is not whole).
    """
    raw = pl.read_csv(csv_path, infer_schema=False)
    raw = raw.rename({k: v for k, v in KAGGLE_NAMES.items() if k in raw.columns})
    missing = [c for c in ("ID", *NUMERIC) if c not in raw.columns]
    if missing:
        raise UciExportError(f"{csv_path.name}: missing column(s) {', '.join(missing)}")
    text = raw.select(pl.col("ID", *NUMERIC).str.strip_chars())
    values = text.select(pl.col("ID"), pl.col(NUMERIC).cast(pl.Float64, strict=False))
    statuses = [status for status, _, _ in MONTH_COLUMNS]
    for column in NUMERIC:  # a loop over columns; each check is vectorised over the rows
        bad = values[column].is_null() | values[column].is_infinite()
        if column in statuses:
            bad = bad | (values[column] != values[column].round(0))
        else:
            bad = bad | ((values[column] * 100 - (values[column] * 100).round(0)).abs() > 1e-6)
        if bad.any():
            row = int(bad.arg_max())
            raise UciExportError(f"{csv_path.name}: column {column}, line {row + 2}: "
                                 f"not a valid {'status' if column in statuses else 'amount'} — "
                                 f"{text[column][row]!r}")
    ids = values["ID"]
    if ids.is_null().any() or (ids == "").any() or ids.n_unique() != ids.len():
        raise UciExportError(f"{csv_path.name}: column ID: empty or duplicate account ids")

    def cents(column: str) -> pl.Expr:
        return (pl.col(column) * 100).round(0).cast(pl.Int64)

    return values.select(
        id="ID",
        limit=cents(LIMIT),
        **{f"status_{i}": pl.col(s).cast(pl.Int64) for i, (s, _, _) in enumerate(MONTH_COLUMNS)},
        **{f"bill_{i}": cents(b) for i, (_, b, _) in enumerate(MONTH_COLUMNS)},
        **{f"paid_{i}": cents(p) for i, (_, _, p) in enumerate(MONTH_COLUMNS)},
    )


def days_past_due(status: pl.Expr) -> pl.Expr:
    """Repayment status → DPD: −2, −1, 0 → 0; k months late (k ≥ 1) → 30·k."""
    return pl.when(status >= 1).then(status * DAYS_PER_MONTH_LATE).otherwise(0)


def accounts_frame(export: pl.DataFrame) -> pl.DataFrame:
    return export.select(
        account_id=pl.lit("UCI") + pl.col("id"),
        customer_id=pl.lit("UCI-C") + pl.col("id"),
        product=pl.lit("revolving"),
        open_date=pl.lit(OPEN_DATE),
        original_amount=money("limit"),
        term_months=pl.lit(None, dtype=pl.String),
        apr=pl.lit(APR),
        risk_grade=pl.lit(RISK_GRADE),
        channel=pl.lit(None, dtype=pl.String),
        region=pl.lit(None, dtype=pl.String),
        currency=pl.lit(CURRENCY),
    )


def account_months_frame(export: pl.DataFrame, i: int) -> pl.DataFrame:
    dpd = days_past_due(pl.col(f"status_{i}"))
    due = pl.when(dpd > 0).then(pl.max_horizontal(pl.col(f"bill_{i}"), 0)).otherwise(0)
    return export.with_columns(dpd=dpd, due=due, bill=pl.col(f"bill_{i}")).select(
        as_of_date=pl.lit(MONTH_ENDS[i].isoformat()),
        account_id=pl.lit("UCI") + pl.col("id"),
        status=pl.lit("active"),
        principal_balance=money("bill"),
        interest_balance=pl.lit("0.00"),
        fee_balance=pl.lit("0.00"),
        credit_limit=money("limit"),
        days_past_due=pl.col("dpd").cast(pl.String),
        amount_past_due=money("due"),
        min_payment_due=money("due"),
        forbearance=pl.lit("false"),
        litigation=pl.lit("false"),
    )


def postings_frame(export: pl.DataFrame, i: int) -> pl.DataFrame:
    """The movements from month i−1's bill to month i's: a disbursement and/or a repayment."""
    if i == 0:  # the opening balances of the first month are unknown
        return pl.DataFrame(schema={c: pl.String for c in POSTING_COLUMNS})
    as_of = MONTH_ENDS[i]
    net = pl.col(f"bill_{i}") - pl.col(f"bill_{i - 1}")
    gross = net + pl.col(f"paid_{i}")
    moves = export.select(
        "id",
        disbursement=pl.max_horizontal(gross, 0),
        # the export's payment and bill do not always reconcile: the repayment is what closes the gap
        repayment=pl.when(gross < 0).then(-net).otherwise(pl.col(f"paid_{i}")),
    )
    long = moves.unpivot(index="id", on=["disbursement", "repayment"], variable_name="entry_type",
                         value_name="amount")
    return (
        long.filter(pl.col("amount") > 0)
        .sort(pl.col("id").cast(pl.Int64, strict=False), "id", "entry_type")
        .select(
            posting_id=pl.lit(f"UCI{as_of:%Y%m}-") + pl.col("entry_type").str.slice(0, 1).str.to_uppercase()
            + pl.lit("-") + pl.col("id"),
            account_id=pl.lit("UCI") + pl.col("id"),
            posting_date=pl.lit(as_of.replace(day=POSTING_DAY).isoformat()),
            entry_type="entry_type",
            amount=money("amount"),
        )
    )


def convert(csv_path: Path, landing_dir: Path, file_format: str = "csv") -> list[Path]:
    """Writes one extract per month end 2005-04-30 … 2005-09-30; returns the folders, oldest first.

    An existing folder of the same date is overwritten (its data files in any format replaced),
    so a rerun gives the same bytes.
    """
    if file_format not in FILE_FORMATS:
        raise ValueError(f"file_format: one of {', '.join(FILE_FORMATS)}, got {file_format!r}")
    export = read_export(Path(csv_path))
    accounts = accounts_frame(export)
    folders = []
    for i, as_of in enumerate(MONTH_ENDS):
        folder = Path(landing_dir) / as_of.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        for stale in (folder / f"{t}.{f}" for t in TABLES for f in FILE_FORMATS):
            stale.unlink(missing_ok=True)
        tables = {"accounts": accounts, "account_months": account_months_frame(export, i),
                  "postings": postings_frame(export, i)}
        for name, frame in tables.items():
            write_table(frame, folder / f"{name}.{file_format}", file_format, ENCODING)
        write_manifest(folder, as_of, ENCODING, SOURCE_SYSTEM)
        folders.append(folder)
    return folders


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m adapters.uci_credit_card",
        description="Convert the UCI credit-card export into six month-end ledger extracts (2005-04 … 2005-09).")
    parser.add_argument("--csv", type=Path, required=True, help="UCI_Credit_Card.csv")
    parser.add_argument("--landing", type=Path, required=True, help="landing directory to write into")
    parser.add_argument("--format", dest="file_format", choices=FILE_FORMATS, default="csv")
    args = parser.parse_args(argv)
    try:
        folders = convert(args.csv, args.landing, args.file_format)
    except (UciExportError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for folder in folders:
        print(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
