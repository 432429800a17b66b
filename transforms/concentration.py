"""Where the book is (reports.md "portfolio and concentration"): on-book balance by product, risk
grade and region, with each segment's share and 30+ rate, so a risk committee sees a concentration
building up before it shows in the delinquency figures."""

import polars as pl

from transforms.states import sums_by_product

MONEY = pl.Decimal(18, 2)
DIMENSIONS = ("product", "risk_grade", "region")
NO_REGION = "(none)"


def concentration(snapshot: pl.DataFrame, accounts: pl.DataFrame, month) -> pl.DataFrame:
    """Per product (and `all`), dimension and segment: accounts, balance, balance_share (of the
    product's on-book balance), dq30_balance and dq30_rate (DPD ≥ 30).

    snapshot: the month's account_month rows (account_id, product, on_book, days_past_due,
    total_balance); accounts: the month's dimension (account_id, risk_grade, region). Only on-book
    accounts count; a missing region is the segment `(none)`.
    """
    book = (snapshot.filter(pl.col("on_book"))
            .join(accounts.select("account_id", "risk_grade", "region"), on="account_id", how="left",
                  validate="1:1")
            .with_columns(region=pl.col("region").fill_null(NO_REGION),
                          dq30=pl.when(pl.col("days_past_due") >= 30).then(pl.col("total_balance"))
                          .otherwise(pl.lit(0).cast(MONEY))))
    frames = []
    for dimension in DIMENSIONS:  # under `all`, the product dimension's segments are the products
        rows = book.select("product", "total_balance", "dq30", segment=pl.col(dimension))
        frames.append(sums_by_product(rows, ["segment"], accounts=pl.len().cast(pl.Int64),
                                      balance=pl.col("total_balance").sum().cast(MONEY),
                                      dq30_balance=pl.col("dq30").sum().cast(MONEY)
                                      ).with_columns(dimension=pl.lit(dimension)))
    out = pl.concat(frames) if frames else pl.DataFrame()
    total = pl.col("balance").sum().over("product", "dimension").cast(pl.Float64)
    return (out.with_columns(
        month=pl.lit(month, dtype=pl.Date),
        balance_share=pl.when(total > 0).then(pl.col("balance").cast(pl.Float64) / total),
        dq30_rate=pl.when(pl.col("balance") > 0)
        .then(pl.col("dq30_balance").cast(pl.Float64) / pl.col("balance").cast(pl.Float64)))
        .select("month", "product", "dimension", "segment", "accounts", "balance", "balance_share", "dq30_balance",
                "dq30_rate")
        .sort("product", "dimension", "segment"))
