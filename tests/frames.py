"""Small frames shared by tests above the loader, written as plain rows."""

import polars as pl

MONEY = pl.Decimal(18, 2)


def snapshot(rows: list[tuple]) -> pl.DataFrame:
    """Snapshot rows (account_id, product, state, on_book, total_balance) as the marts read them."""
    return pl.DataFrame(rows, schema={"account_id": pl.String, "product": pl.String, "state": pl.String,
                                      "on_book": pl.Boolean, "total_balance": pl.String}, orient="row") \
        .with_columns(pl.col("total_balance").cast(MONEY))
