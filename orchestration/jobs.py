"""Jobs: the monthly job materialises the whole graph for one month or a range of months."""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

MONTHLY_JOB = define_asset_job(
    "riskpack_monthly",
    selection=AssetSelection.all(),
    description="Load the month's extracts, build the marts, render the packs.",
)
