"""Writing a month's extract: the book's rows as the ledger contract's three files."""

import gzip
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from simulator import behaviour as B
from simulator.book import ACTIVE, CHARGED_OFF, CLOSED, FROZEN, Book
from simulator.manifest import write_manifest

MONEY = pl.Decimal(18, 2)
ENTRY_ORDER = ["disbursement", "interest", "penalty_interest", "late_fee", "repayment", "waiver", "charge_off",
               "recovery"]


def money(column: str) -> pl.Expr:
    """Integer cents as a decimal string with two places ("-0.05", "1234.50")."""
    cents = pl.col(column)
    sign = pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return (sign + (cents.abs() // 100).cast(pl.String) + pl.lit(".")
            + (cents.abs() % 100).cast(pl.String).str.zfill(2)).alias(column)


def _account_id() -> pl.Expr:
    """The account id of book index `n`, the same in all three files."""
    return pl.lit("A") + pl.col("n").cast(pl.String).str.zfill(8)


def accounts_frame(book: Book, t: int) -> pl.DataFrame:
    idx = np.flatnonzero(book.open_month <= t)
    frame = pl.DataFrame({
        "n": idx, "customer": book.customer[idx], "product": B.PRODUCTS[book.product[idx]],
        "open_date": book.open_date[idx], "original_amount": book.original[idx], "term": book.term[idx],
        "apr_bp": book.apr_bp[idx], "risk_grade": B.GRADES[book.grade[idx]],
        "channel": B.CHANNELS[book.channel[idx]], "region": B.REGIONS[book.region[idx]],
    })
    return frame.select(
        account_id=_account_id(),
        customer_id=pl.lit("C") + pl.col("customer").cast(pl.String).str.zfill(8),
        product="product",
        open_date=pl.col("open_date").cast(pl.String),
        original_amount=money("original_amount"),
        term_months=pl.when(pl.col("term") > 0).then(pl.col("term").cast(pl.String)),
        apr=pl.lit("0.") + (pl.col("apr_bp") * 100).cast(pl.String).str.zfill(6),
        risk_grade="risk_grade", channel="channel", region="region", currency=pl.lit("CNY"),
    )


def account_months_frame(book: Book, as_of: date) -> pl.DataFrame:
    idx = np.flatnonzero(np.isin(book.status, (ACTIVE, FROZEN, CLOSED, CHARGED_OFF)))
    status = np.array(["", "active", "frozen", "closed", "charged_off"])[book.status[idx]]
    on_book = np.isin(book.status[idx], (ACTIVE, FROZEN))
    frame = pl.DataFrame({
        "n": idx, "status": status, "principal_balance": book.principal[idx],
        "interest_balance": book.interest[idx], "fee_balance": book.fee[idx],
        "credit_limit": np.where(book.term[idx] == 0, book.original[idx], 0), "dpd": book.dpd[idx],
        "amount_past_due": np.where(on_book, book.arrears[idx], 0), "min_payment_due": book.min_payment[idx],
        "forbearance": book.forbearance[idx], "litigation": book.litigation[idx],
    })
    return frame.select(
        as_of_date=pl.lit(as_of.isoformat()),
        account_id=_account_id(),
        status="status",
        **{c: money(c) for c in ("principal_balance", "interest_balance", "fee_balance", "credit_limit")},
        days_past_due=pl.col("dpd").cast(pl.String),
        amount_past_due=money("amount_past_due"),
        min_payment_due=money("min_payment_due"),
        forbearance=pl.col("forbearance").cast(pl.String).str.to_lowercase(),
        litigation=pl.col("litigation").cast(pl.String).str.to_lowercase(),
    )


def postings_frame(parts, as_of: date) -> pl.DataFrame:
    """The month's postings in date order; ids unique across extracts (month prefix)."""
    if parts:
        idx = np.concatenate([p[0] for p in parts])
        day = np.concatenate([p[1] for p in parts])
        kind = np.concatenate([np.full(p[0].size, ENTRY_ORDER.index(p[2])) for p in parts])
        amount = np.concatenate([p[3] for p in parts])
    else:
        idx = kind = amount = np.zeros(0, dtype=np.int64)
        day = np.zeros(0, dtype="datetime64[D]")
    order = np.lexsort((kind, idx, day))
    frame = pl.DataFrame({"n": idx[order], "day": day[order], "kind": kind[order], "amount": amount[order],
                          "seq": np.arange(idx.size)})
    return frame.select(
        posting_id=pl.lit(f"P{as_of:%Y%m}") + pl.col("seq").cast(pl.String).str.zfill(9),
        account_id=_account_id(),
        posting_date=pl.col("day").cast(pl.String),
        entry_type=pl.col("kind").replace_strict(list(range(len(ENTRY_ORDER))), ENTRY_ORDER, return_dtype=pl.String),
        amount=money("amount"),
    )


PARQUET_TYPES = {
    "open_date": pl.Date, "as_of_date": pl.Date, "posting_date": pl.Date, "term_months": pl.Int32,
    "days_past_due": pl.Int32, "apr": pl.Decimal(9, 6), "forbearance": pl.Boolean, "litigation": pl.Boolean,
    **{c: MONEY for c in ("original_amount", "principal_balance", "interest_balance", "fee_balance", "credit_limit",
                          "amount_past_due", "min_payment_due", "amount")},
}


def _typed(column: str, dtype) -> pl.Expr:
    if dtype == pl.Date:
        return pl.col(column).str.to_date("%Y-%m-%d")
    if dtype == pl.Boolean:
        return pl.col(column) == "true"
    return pl.col(column).cast(dtype)


def write_table(frame: pl.DataFrame, path: Path, file_format: str, encoding: str) -> None:
    """CSV (plain or gzip, UTF-8 or GBK) or Parquet with the contract's logical types."""
    if file_format == "parquet":
        typed = frame.with_columns(_typed(c, t) for c, t in PARQUET_TYPES.items() if c in frame.columns)
        typed.write_parquet(path, compression="zstd", statistics=False)
        return
    data = frame.write_csv(line_terminator="\n").encode(encoding)
    path.write_bytes(gzip.compress(data, compresslevel=6, mtime=0) if file_format == "csv.gz" else data)


def write_extract(book: Book, month, as_of: date, params, landing_dir: Path) -> Path:
    folder = landing_dir / as_of.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    tables = {"accounts": accounts_frame(book, month.t), "account_months": account_months_frame(book, as_of),
              "postings": postings_frame(month.parts, as_of)}
    for name, frame in tables.items():
        write_table(frame, folder / f"{name}.{params.file_format}", params.file_format, params.encoding)
    write_manifest(folder, as_of, params.encoding)
    return folder
