"""Blocking checks on the ledger: a month that fails one gets no marts and no reports.

Each check covers every month of the run (a backfill over a range is one run) and lists the
months that fail, so an operator sees which month to fix.
"""


from datetime import date

import polars as pl
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    asset_check,
)

from orchestration.assets.ingest import LEDGER
from orchestration.assets.metadata import preview
from orchestration.partitions import partition_month
from orchestration.resources import RiskpackSettings
from orchestration.warehouse import POOL, connect, frame


def _months(context: AssetCheckExecutionContext) -> list[date]:
    return [partition_month(k) for k in context.partition_keys]


def _read(riskpack: RiskpackSettings, name: str, months: list[date]) -> pl.DataFrame:
    with connect(riskpack.get().warehouse, read_only=True) as con:
        return frame(con, name, {"months": months})


def _result(passed: bool, description: str, table: pl.DataFrame, **metadata: object) -> AssetCheckResult:
    return AssetCheckResult(passed=passed, severity=AssetCheckSeverity.ERROR, description=description,
                            metadata={"detail": preview(table, rows=36), **metadata})


@asset_check(asset=LEDGER, blocking=True, pool=POOL,
             description="Every extract of the month passed manifest verification (checksum, row count, "
                         "control totals) and each file reconciles: rows_in_file = loaded + quarantined.")
def manifest_verified(context: AssetCheckExecutionContext, riskpack: RiskpackSettings) -> AssetCheckResult:
    months = _months(context)
    table = _read(riskpack, "checks/load_reconciliation", months)
    missing = sorted(set(months) - set(table["month"].to_list()))
    bad = table.filter((pl.col("unreconciled_files") > 0) | (pl.col("files") != 3 * pl.col("extracts")))
    failing = [m.strftime("%Y-%m") for m in missing] + [m.strftime("%Y-%m") for m in bad["month"].to_list()]
    return _result(not failing, f"months failing: {', '.join(failing)}" if failing else "all files reconcile",
                   table, months_failing=len(failing))


@asset_check(asset=LEDGER, blocking=True, pool=POOL,
             description="No file has more than the configured share of its rows quarantined.")
def quarantine_rate(context: AssetCheckExecutionContext, riskpack: RiskpackSettings) -> AssetCheckResult:
    threshold = riskpack.get().quarantine_threshold
    table = _read(riskpack, "checks/quarantine_rates", _months(context))
    over = table.filter(pl.col("quarantine_rate") > threshold)
    worst = float(table["quarantine_rate"].max() or 0.0)
    description = (f"{over.height} file(s) above {threshold:.2%}" if over.height
                   else f"highest quarantine rate {worst:.3%} (threshold {threshold:.2%})")
    return _result(over.height == 0, description, table.head(36), threshold=threshold, worst_rate=worst)


@asset_check(asset=LEDGER, blocking=True, pool=POOL,
             description="Roll-forward reconciliation: the gross portfolio break (Σ |break| over accounts) "
                         "of each month is within the configured tolerance.")
def rollforward_reconciled(context: AssetCheckExecutionContext, riskpack: RiskpackSettings) -> AssetCheckResult:
    tolerance = riskpack.get().rollforward_tolerance
    table = _read(riskpack, "checks/rollforward_totals", _months(context))
    over = table.filter(pl.col("gross_break_amount") > tolerance)
    description = (f"months above tolerance {tolerance}: "
                   + ", ".join(m.strftime("%Y-%m") for m in over["month"].to_list())) if over.height \
        else f"every month within {tolerance}"
    return _result(over.height == 0, description, table, tolerance=str(tolerance))


@asset_check(asset=LEDGER, blocking=True, pool=POOL,
             description="Keys are unique: account per extract in accounts and account_month, posting_id overall.")
def keys_unique(context: AssetCheckExecutionContext, riskpack: RiskpackSettings) -> AssetCheckResult:
    table = _read(riskpack, "checks/duplicate_keys", _months(context))
    duplicated = int(table["duplicated_keys"].sum())
    return _result(duplicated == 0, f"{duplicated} duplicated key(s)", table)


LEDGER_CHECKS = [manifest_verified, quarantine_rate, rollforward_reconciled, keys_unique]
