"""Overdue cost and account actions: the "snowball" (methodology §7).

An overdue account keeps accruing penalty interest and late fees, so its balance grows while it
pays nothing; the lender freezes the line; some accounts cure, the rest roll on to charge-off,
after which recoveries trickle in. These tables show each step per product and bucket, and the
recovery curve shows how much of what was written off comes back, by months since charge-off.

Amounts stay Decimal(18,2); only shares are floats, computed from those exact sums.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import polars as pl

from transforms.states import (
    LOSS_ENTRY_TYPES,
    OVERDUE_CHARGE_TYPES,
    bucket_labels,
    month_index,
    product_grid,
    sums_by_product,
    with_all_products,
)

MONEY = pl.Decimal(18, 2)
# "unpaid fees exceed 10 % of principal", compared in decimals so exactly 10 % is exactly not over
FEES_OVER_PRINCIPAL_SHARE = Decimal("0.10")

OVERDUE_COST_COLUMNS = ["month", "product", "bucket", "bucket_order", "accounts", "total_balance",
                        "penalty_interest", "late_fees", "fee_balance", "fee_share", "fees_over_10pct_principal",
                        "freezes", "cures"]
RECOVERY_CURVE_COLUMNS = ["month", "product", "charge_off_month", "months_since", "accounts",
                          "charged_off_amount", "cumulative_recoveries", "recovery_rate"]
PREVIOUS_SCHEMA = {"account_id": pl.String, "status": pl.String, "on_book": pl.Boolean, "bucket": pl.String}


def _bucket_grid(edges: Sequence[int]) -> pl.DataFrame:
    labels = bucket_labels(edges)
    return pl.DataFrame({"bucket": labels, "bucket_order": list(range(len(labels)))},
                        schema={"bucket": pl.String, "bucket_order": pl.Int32})


def overdue_cost(snapshot: pl.DataFrame, previous: pl.DataFrame, postings: pl.DataFrame, edges: Sequence[int],
                 month: date) -> pl.DataFrame:
    """Per product (and `all`) and bucket of month m, the full grid: the cost of being overdue.

    snapshot: m (account_id, product, status, on_book, bucket, total_balance, principal_balance,
    fee_balance); previous: m−1 (account_id, status, on_book, bucket), empty in the first month;
    postings: the postings of m (account_id, entry_type, amount).

    The population is the accounts on book in m, each in its m bucket (bucket_order 0 = current).
    - penalty_interest, late_fees: the month's `penalty_interest` and `late_fee` postings of those
      accounts, attributed to the account's bucket at month end (the posting records no bucket,
      and an account's DPD moves within the month; month end is where the cost sits in the
      balance). Fees posted on accounts that left the book in m (charged off, closed) are not in
      this table: they are in the charge-off.
    - fee_share = fee_balance / total_balance, null unless total_balance > 0 (a zero or credit
      balance has no meaningful share).
    - fees_over_10pct_principal: accounts with unpaid fees (fee_balance > 0) above 10 % of their
      principal, fee_balance > 0.10 × principal_balance; exactly 10 % is not over. An account with
      fees and no (or a negative) principal left counts: its debt is then all fees.
    - freezes: accounts `active` in m−1 and `frozen` in m (in their m bucket).
    - cures: accounts on book in a delinquent bucket (not `current`) in m−1 and `current` in m;
      they all sit in the `current` row. Accounts that paid off and closed are not cures here
      (they left the book), as in the roll-rate cure.
    With no m−1 snapshot, freezes and cures are 0: nothing can be seen to have changed.
    """
    buckets = _bucket_grid(edges)
    current = bucket_labels(edges)[0]
    on_book = snapshot.filter(pl.col("on_book"))
    strays = sorted(set(on_book["bucket"].unique().to_list()) - set(buckets["bucket"].to_list()), key=str)
    if strays:
        raise ValueError(f"buckets {strays} are not buckets of the edges {list(edges)}: the snapshot was "
                         "classified with other edges")
    if previous.is_empty():
        previous = pl.DataFrame(schema=PREVIOUS_SCHEMA)
    before = previous.select("account_id", prev_status="status", prev_on_book="on_book", prev_bucket="bucket")
    kind = pl.col("entry_type")
    charges = (postings.filter(kind.is_in(OVERDUE_CHARGE_TYPES)).group_by("account_id")
               .agg(penalty_interest=pl.col("amount").filter(kind == "penalty_interest").sum().cast(MONEY),
                    late_fees=pl.col("amount").filter(kind == "late_fee").sum().cast(MONEY)))
    fee, principal = pl.col("fee_balance"), pl.col("principal_balance")
    rows = (on_book.join(before, on="account_id", how="left", validate="1:1")
            .join(charges, on="account_id", how="left", validate="1:1")
            .with_columns(
                fees_over=(fee > 0) & (fee > principal * pl.lit(FEES_OVER_PRINCIPAL_SHARE, dtype=pl.Decimal(3, 2))),
                frozen_now=(pl.col("prev_status") == "active").fill_null(False) & (pl.col("status") == "frozen"),
                cured=(pl.col("prev_on_book").fill_null(False) & (pl.col("prev_bucket") != current).fill_null(False)
                       & (pl.col("bucket") == current))))
    sums = sums_by_product(
        rows, ["bucket"],
        accounts=pl.len().cast(pl.Int64),
        total_balance=pl.col("total_balance").sum().cast(MONEY),
        penalty_interest=pl.col("penalty_interest").sum().cast(MONEY),
        late_fees=pl.col("late_fees").sum().cast(MONEY),
        fee_balance=fee.sum().cast(MONEY),
        fees_over_10pct_principal=pl.col("fees_over").sum().cast(pl.Int64),
        freezes=pl.col("frozen_now").sum().cast(pl.Int64),
        cures=pl.col("cured").sum().cast(pl.Int64),
    )
    zero = pl.lit(0).cast(MONEY)
    money = ["total_balance", "penalty_interest", "late_fees", "fee_balance"]
    counts = ["accounts", "fees_over_10pct_principal", "freezes", "cures"]
    total = pl.col("total_balance")
    return (product_grid().join(buckets, how="cross").join(sums, on=["product", "bucket"], how="left")
            .with_columns(*(pl.col(c).fill_null(zero) for c in money), *(pl.col(c).fill_null(0) for c in counts))
            .with_columns(fee_share=pl.when(total > 0).then(pl.col("fee_balance").cast(pl.Float64)
                                                            / total.cast(pl.Float64)),
                          month=pl.lit(month, dtype=pl.Date))
            .sort("product", "bucket_order")
            .select(OVERDUE_COST_COLUMNS))


def _first_of_month(day: date) -> date:
    return date(day.year, day.month, 1)


def recovery_curve(charge_offs_and_recoveries: pl.DataFrame, month: date) -> pl.DataFrame:
    """Cumulative recoveries as a share of the charged-off amount, per product (and `all`),
    charge-off month and months since charge-off: a triangle as of the reporting month.

    charge_offs_and_recoveries: the `charge_off` and `recovery` postings of every month up to m
    (account_id, product, month, entry_type, amount); rows dated after m are ignored.
    - An account's charge-off month is the month of its first `charge_off` posting; its
      charged-off amount is the sum of its charge-off postings up to m (as the LGD of §5 does).
      accounts and charged_off_amount are the charge-off month's cohort, the same in every cell.
    - A recovery counts at months_since = its month − the account's charge-off month (0 = the
      charge-off month itself). Recoveries of accounts with no charge-off posting in the input
      (written off before the first loaded month) and recoveries dated before the account's
      charge-off month (a data error) have no place on the curve and are left out.
    - Cells exist for charge-off months from the first one in the data to m, each for
      months_since 0 … (m − charge-off month): no cells in the future (a triangle, as in §3), and
      a charge-off month without charge-offs still shows, with zeros and no rate.
    recovery_rate = cumulative_recoveries / charged_off_amount, null when nothing was charged off.
    """
    end = _first_of_month(month)
    end_index = month_index(pl.lit(end, dtype=pl.Date))
    kind = pl.col("entry_type")
    flows = (charge_offs_and_recoveries
             .with_columns(pl.col("month").dt.truncate("1mo"))
             .filter((pl.col("month") <= end) & kind.is_in(LOSS_ENTRY_TYPES)))
    written = (flows.filter(kind == "charge_off").group_by("account_id")
               .agg(pl.col("product").first(), charge_off_month=pl.col("month").min(),
                    charged_off_amount=pl.col("amount").sum()))
    schema = {"month": pl.Date, "product": pl.String, "charge_off_month": pl.Date, "months_since": pl.Int32,
              "accounts": pl.Int64, "charged_off_amount": MONEY, "cumulative_recoveries": MONEY,
              "recovery_rate": pl.Float64}
    if written.is_empty():
        return pl.DataFrame(schema=schema)
    recovered = (flows.filter(kind == "recovery").select("account_id", "month", "amount")
                 .join(written.select("account_id", "product", "charge_off_month"), on="account_id", how="inner")
                 .with_columns(months_since=(month_index(pl.col("month"))
                                             - month_index(pl.col("charge_off_month"))).cast(pl.Int32))
                 .filter(pl.col("months_since") >= 0))
    recovered = (with_all_products(recovered).group_by("product", "charge_off_month", "months_since")
                 .agg(recovered=pl.col("amount").sum().cast(MONEY)))
    cohorts = (with_all_products(written).group_by("product", "charge_off_month")
               .agg(accounts=pl.len().cast(pl.Int64), charged_off_amount=pl.col("charged_off_amount").sum().cast(MONEY)))
    months = pl.DataFrame({"charge_off_month": pl.date_range(written["charge_off_month"].min(), end, "1mo",
                                                             eager=True)})
    zero = pl.lit(0).cast(MONEY)
    cells = (product_grid().join(months, how="cross")
             .with_columns(months_since=pl.int_ranges(0, end_index - month_index(pl.col("charge_off_month")) + 1,
                                                      dtype=pl.Int32))
             .explode("months_since")
             .join(cohorts, on=["product", "charge_off_month"], how="left")
             .join(recovered, on=["product", "charge_off_month", "months_since"], how="left")
             .with_columns(pl.col("accounts").fill_null(0), pl.col("charged_off_amount", "recovered").fill_null(zero))
             .sort("product", "charge_off_month", "months_since")
             .with_columns(cumulative_recoveries=pl.col("recovered").cum_sum().over("product", "charge_off_month")
                           .cast(MONEY)))
    amount = pl.col("charged_off_amount")
    return (cells.with_columns(
        recovery_rate=pl.when(amount > 0).then(pl.col("cumulative_recoveries").cast(pl.Float64)
                                               / amount.cast(pl.Float64)),
        month=pl.lit(end, dtype=pl.Date))
        .select(RECOVERY_CURVE_COLUMNS)
        .cast(schema))
