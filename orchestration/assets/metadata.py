"""Dagster metadata shared by the assets: row counts and previews people can read in the UI."""

from __future__ import annotations

import polars as pl
from dagster import MetadataValue

PREVIEW_ROWS = 12


def preview(frame: pl.DataFrame, rows: int = PREVIEW_ROWS) -> MetadataValue:
    """A markdown table of the first rows (Decimals and dates shown as text)."""
    head = frame.head(rows).with_columns(pl.all().cast(pl.String))
    header = "| " + " | ".join(head.columns) + " |"
    rule = "|" + "---|" * len(head.columns)
    body = ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in head.iter_rows()]
    return MetadataValue.md("\n".join([header, rule, *body]))
