"""Jobs: the monthly job materialises the whole graph for one month or a range of months."""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job, in_process_executor

# In-process: every step opens the one DuckDB file and the warehouse pool runs them one at a time
# anyway, so a process per step would only add its start-up (seconds each, for ~20 steps a run).
MONTHLY_JOB = define_asset_job(
    "riskpack_monthly",
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    description="Load the month's extracts, build the marts, render the packs, deliver final months.",
)

# The warehouse alone: loads and marts without packs or delivery, for rebuilding history (a backfill
# of past months whose packs were sent long ago) at a fraction of the cost of rendering them again.
MARTS_JOB = define_asset_job(
    "riskpack_marts",
    selection=AssetSelection.groups("ingest", "risk"),
    executor_def=in_process_executor,
    description="Load the month's extracts and build every mart; no packs, no delivery.",
)
