"""Delinquency per month and product (methodology §2).

Sums stay Decimal(18,2) so figures are identical on every rerun; only the rates, computed
from those exact sums, are floats.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from transforms.states import (
    LOSS_ENTRY_TYPES,
    product_grid,
    state_order,
    sums_by_product,
)

MONEY = pl.Decimal(18, 2)
DQ_THRESHOLDS = (30, 60, 90)



def _money_sum(expr: pl.Expr) -> pl.Expr:
    return expr.sum().cast(MONEY)


def _ratio(num: str, den: str) -> pl.Expr:
    return pl.when(pl.col(den) > 0).then(pl.col(num).cast(pl.Float64) / pl.col(den).cast(pl.Float64))


def receivable_balance(snapshot: pl.DataFrame) -> pl.DataFrame:
    """Σ total_balance of receivable accounts per product (and `all`)."""
    sums = sums_by_product(snapshot.filter("receivable"), receivable_balance=_money_sum(pl.col("total_balance")))
    return product_grid().join(sums, on="product", how="left").with_columns(
        pl.col("receivable_balance").fill_null(pl.lit(0).cast(MONEY)))


def delinquency_by_state(snapshot: pl.DataFrame, month: date, edges: Sequence[int]) -> pl.DataFrame:
    """Accounts and total balance per state, every state and product present (zeros included)."""
    counts = sums_by_product(snapshot, ["state"], accounts=pl.len().cast(pl.Int64),
                             balance=_money_sum(pl.col("total_balance")))
    grid = product_grid().join(state_order(edges), how="cross")
    return (
        grid.join(counts, on=["product", "state"], how="left")
        .with_columns(pl.col("accounts").fill_null(0), pl.col("balance").fill_null(pl.lit(0).cast(MONEY)),
                      month=pl.lit(month, dtype=pl.Date))
        .select("month", "product", "state", "state_order", "accounts", "balance")
        .sort("product", "state_order")
    )


def delinquency_summary(snapshot: pl.DataFrame, postings: pl.DataFrame, month: date,
                        prior_receivable: pl.DataFrame | None) -> pl.DataFrame:
    """One row per product and `all`: on-book and receivable totals, dq rates, charge-offs, NCO.

    `snapshot` is the month's classified snapshot; `postings` the month's postings with
    product, entry_type and amount; `prior_receivable` is `receivable_balance()` of m−1, or
    None when m−1 was never loaded (then the NCO rate is null rather than a guess).
    """
    dq = {}
    for x in DQ_THRESHOLDS:
        past_x = pl.col("receivable") & (pl.col("days_past_due") >= x)
        dq[f"dq{x}_accounts"] = past_x.sum().cast(pl.Int64)
        dq[f"dq{x}_balance"] = _money_sum(pl.col("total_balance").filter(past_x))
    book = sums_by_product(
        snapshot,
        accounts_on_book=pl.col("on_book").sum().cast(pl.Int64),
        balance_on_book=_money_sum(pl.col("total_balance").filter("on_book")),
        receivable_accounts=pl.col("receivable").sum().cast(pl.Int64),
        receivable_balance=_money_sum(pl.col("total_balance").filter("receivable")),
        **dq,
    )
    flows = sums_by_product(postings.filter(pl.col("entry_type").is_in(LOSS_ENTRY_TYPES)),
                            gross_charge_offs=_money_sum(pl.col("amount").filter(pl.col("entry_type") == "charge_off")),
                            recoveries=_money_sum(pl.col("amount").filter(pl.col("entry_type") == "recovery")))
    zero = pl.lit(0).cast(MONEY)
    money_cols = ["balance_on_book", "receivable_balance", *(f"dq{x}_balance" for x in DQ_THRESHOLDS),
                  "gross_charge_offs", "recoveries"]
    count_cols = ["accounts_on_book", "receivable_accounts", *(f"dq{x}_accounts" for x in DQ_THRESHOLDS)]
    out = (
        product_grid().join(book, on="product", how="left").join(flows, on="product", how="left")
        .with_columns(*(pl.col(c).fill_null(zero) for c in money_cols),
                      *(pl.col(c).fill_null(0) for c in count_cols))
        .with_columns(net_charge_offs=(pl.col("gross_charge_offs") - pl.col("recoveries")).cast(MONEY))
    )
    if prior_receivable is None:
        out = out.with_columns(prior_receivable_balance=pl.lit(None, dtype=MONEY))
    else:
        out = out.join(prior_receivable.rename({"receivable_balance": "prior_receivable_balance"}),
                       on="product", how="left")
    average = (pl.col("receivable_balance").cast(pl.Float64)
               + pl.col("prior_receivable_balance").cast(pl.Float64)) / 2
    return out.with_columns(
        month=pl.lit(month, dtype=pl.Date),
        **{f"dq{x}_rate": _ratio(f"dq{x}_balance", "receivable_balance") for x in DQ_THRESHOLDS},
        **{f"dq{x}_account_rate": _ratio(f"dq{x}_accounts", "receivable_accounts") for x in DQ_THRESHOLDS},
        nco_rate=pl.when(average > 0).then(pl.col("net_charge_offs").cast(pl.Float64) * 12 / average),
    ).select(DELINQUENCY_COLUMNS)


DELINQUENCY_COLUMNS = [
    "month", "product", "accounts_on_book", "balance_on_book", "receivable_accounts", "receivable_balance",
    *(f"dq{x}_accounts" for x in DQ_THRESHOLDS), *(f"dq{x}_balance" for x in DQ_THRESHOLDS),
    *(f"dq{x}_rate" for x in DQ_THRESHOLDS), *(f"dq{x}_account_rate" for x in DQ_THRESHOLDS),
    "gross_charge_offs", "recoveries", "net_charge_offs", "nco_rate",
]
