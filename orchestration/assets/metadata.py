"""Dagster metadata shared by the assets: row counts and previews people can read in the UI."""

from __future__ import annotations

import polars as pl
from dagster import MetadataValue

from orchestration.config import Settings

PREVIEW_ROWS = 12


def preview(frame: pl.DataFrame, rows: int = PREVIEW_ROWS) -> MetadataValue:
    """A markdown table of the first rows (Decimals and dates shown as text)."""
    head = frame.head(rows).with_columns(pl.all().cast(pl.String))
    header = "| " + " | ".join(head.columns) + " |"
    rule = "|" + "---|" * len(head.columns)
    body = ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in head.iter_rows()]
    return MetadataValue.md("\n".join([header, rule, *body]))


def configuration(settings: Settings) -> dict[str, str]:
    """The configuration a step computed its months with, as the warehouse records it for each
    month (audit.month_configuration) and the packs print it: the UI shows which file ran."""
    return {"configuration": f"{settings.configuration.file_name}, SHA-256 {settings.configuration.sha256}"}
