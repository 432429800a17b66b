"""Ingest layer: the month's ledger extracts into core and audit tables."""

from contextlib import closing

import polars as pl
from dagster import (
    AssetDep,
    AssetExecutionContext,
    AssetKey,
    MaterializeResult,
    MetadataValue,
)
from tqdm import tqdm

from orchestration import steps
from orchestration.assets.metadata import configuration, preview
from orchestration.assets.monthly import monthly_asset
from orchestration.ingest.load import load_months
from orchestration.partitions import PREVIOUS_MONTH, partition_month
from orchestration.resources import RiskpackSettings
from orchestration.warehouse import connect

LEDGER = AssetKey.from_user_string(steps.LEDGER)


@monthly_asset(
    LEDGER,
    "ingest",
    [AssetDep(LEDGER, partition_mapping=PREVIOUS_MONTH)],
    "core.accounts, core.account_month, core.postings and the audit tables of a month, "
    "from every extract whose as_of_date falls in it (ledger contract).",
    {"duckdb"},
)
def ledger(context: AssetExecutionContext, riskpack: RiskpackSettings) -> MaterializeResult:
    settings = riskpack.get()
    months = [partition_month(k) for k in context.partition_keys]
    loads = []
    with connect(settings.warehouse) as con, closing(load_months(settings, months, context.run.run_id, con)) as loaded:
        for result in tqdm(loaded, desc="loading months", unit="month", total=len(months), disable=len(months) < 2):
            loads.append(result.tables["audit.loads"])
            context.log.info(f"{result.month:%Y-%m}: {result.rows('core.account_month'):,} account-months, "
                             f"{result.rows('core.postings'):,} postings, "
                             f"{result.rows('audit.quarantine'):,} rows quarantined")
    log = pl.concat(loads)
    return MaterializeResult(metadata={
        **configuration(settings),
        "months": len(months),
        "files": log.height,
        "rows_in_files": int(log["rows_in_file"].sum()),
        "rows_loaded": int(log["rows_loaded"].sum()),
        "rows_quarantined": int(log["rows_quarantined"].sum()),
        "load_log": preview(log.select("as_of_date", "file_name", "rows_in_file", "rows_loaded",
                                       "rows_quarantined", "sha256"), rows=36),
        "warehouse": MetadataValue.path(str(settings.warehouse)),
    })
