"""Sums that give the same bits in any row order.

A float sum depends on the order of its terms, and DuckDB's parallel scans do not fix the order
rows arrive in; a backfill and a sequential run would then differ in the last digit. Summing in
decimals (10 places, far below any amount or rate the marts report) is exact, so they do not.
"""

import polars as pl

EXACT = pl.Decimal(38, 10)


def exact_sum(expr: pl.Expr) -> pl.Expr:
    return expr.cast(EXACT).sum().cast(pl.Float64)
