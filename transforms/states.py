"""Account-month states and buckets (methodology §1), derived once at load time.

Deriving state, bucket, cohort and months-on-book when a month is loaded means every mart
reads the same classification, and a change of bucket edges is a reload, not a silent
divergence between reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

PRODUCTS = ("revolving", "installment", "cash_loan")
ALL_PRODUCTS = "all"
ON_BOOK_STATUSES = ("active", "frozen")
STATUSES = ("active", "frozen", "closed", "charged_off")
TERMINAL_STATES = ("charged_off", "closed")
# the postings that move losses (charge-offs, recoveries) and the overdue charges (penalty interest,
# late fees): the only entry types the marts read of a month's postings
LOSS_ENTRY_TYPES = ("charge_off", "recovery")
OVERDUE_CHARGE_TYPES = ("penalty_interest", "late_fee")


def product_grid() -> pl.DataFrame:
    """Every product and `all`: reports show each even when a month has none of it."""
    return pl.DataFrame({"product": [*PRODUCTS, ALL_PRODUCTS]})


def with_all_products(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows once under their product and once more under `all`, so every measure exists for both."""
    return pl.concat([frame, frame.with_columns(product=pl.lit(ALL_PRODUCTS))])


def sums_by_product(rows: pl.DataFrame, by: Sequence[str] = (), **sums: pl.Expr) -> pl.DataFrame:
    """`sums` per product and `by`, and per `by` under `all`: the same as grouping
    `with_all_products(rows)`, for sums and counts, without copying every row once more (on a
    million-account book, a copy of the month's snapshot per mart and measure)."""
    return with_totals(rows.group_by("product", *by).agg(**sums), "product", ALL_PRODUCTS, by)


def with_totals(sums: pl.DataFrame, column: str, label: str, keys: Sequence[str] = ()) -> pl.DataFrame:
    """Sums (or counts) per `column` and `keys`, with the rows under `column` = `label` added: per
    `keys`, every `column` value's row added up, in its own types. Exact for integers and decimals;
    a float sum added up again can move in its last digits, so sum floats in decimals and cast
    them afterwards."""
    if sums.is_empty():
        return sums
    totals = [pl.col(name).sum().cast(dtype) for name, dtype in sums.schema.items()
              if name != column and name not in keys]
    everything = sums.group_by(keys).agg(totals) if keys else sums.select(totals)
    return pl.concat([sums, everything.with_columns(pl.lit(label).alias(column)).select(sums.columns)])


def bucket_labels(edges: Sequence[int]) -> list[str]:
    """Machine labels from the edges: `current`, `dpd_<lo>_<hi-1>`, …, `dpd_<lo>_plus`."""
    labels = ["current"]
    for lo, hi in zip(edges[1:], [*edges[2:], None]):
        labels.append(f"dpd_{lo}_plus" if hi is None else f"dpd_{lo}_{hi - 1}")
    return labels


def state_labels(edges: Sequence[int]) -> list[str]:
    """Every state in report order: buckets from best to worst, then the absorbing states."""
    return [*bucket_labels(edges), *TERMINAL_STATES]


def state_order(edges: Sequence[int]) -> pl.DataFrame:
    labels = state_labels(edges)
    return pl.DataFrame({"state": labels, "state_order": list(range(len(labels)))},
                        schema={"state": pl.String, "state_order": pl.Int32})


def bucket_expr(dpd: pl.Expr, edges: Sequence[int]) -> pl.Expr:
    """The bucket of a DPD value: the label of the last edge at or below it."""
    index = pl.sum_horizontal([(dpd >= edge).cast(pl.Int32) for edge in edges[1:]])
    labels = bucket_labels(edges)
    return index.replace_strict(list(range(len(labels))), labels, return_dtype=pl.String)


def month_index(col: pl.Expr) -> pl.Expr:
    """Months since year 0, so month differences are plain integer subtraction."""
    return col.dt.year().cast(pl.Int32) * 12 + col.dt.month().cast(pl.Int32) - 1


def classify_account_months(snapshot: pl.DataFrame, accounts: pl.DataFrame, month: date,
                            edges: Sequence[int]) -> pl.DataFrame:
    """Adds product, cohort month, mob, total balance, bucket, state, on-book and receivable.

    `snapshot` holds typed account_months rows; `accounts` the typed accounts of the same
    extract (account_id, product, open_date).
    """
    month_lit = pl.lit(month, dtype=pl.Date)
    return (
        snapshot.join(accounts.select("account_id", "product", "open_date"), on="account_id",
                      how="left", validate="m:1")
        .with_columns(
            cohort_month=pl.col("open_date").dt.truncate("1mo"),
            total_balance=(pl.col("principal_balance") + pl.col("interest_balance")
                           + pl.col("fee_balance")).cast(pl.Decimal(18, 2)),
            bucket=bucket_expr(pl.col("days_past_due"), edges),
        )
        .with_columns(
            mob=month_index(month_lit) - month_index(pl.col("cohort_month")),
            state=pl.when(pl.col("status").is_in(TERMINAL_STATES)).then(pl.col("status"))
            .otherwise(pl.col("bucket")),
            on_book=pl.col("status").is_in(ON_BOOK_STATUSES),
        )
        .with_columns(receivable=pl.col("on_book") & (pl.col("total_balance") > 0))
        .drop("open_date")
    )
