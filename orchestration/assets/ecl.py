"""Expected credit loss (methodology §5): stage, PD term structure, LGD, EAD and ECL per account,
the allowance movement, and the month's ECL controls, all computed by `transforms.ecl`."""


from datetime import date

import duckdb
import polars as pl
from dagster import AssetDep, AssetExecutionContext, AssetKey, MaterializeResult

from orchestration import steps
from orchestration.assets.ingest import LEDGER
from orchestration.assets.metadata import configuration, preview
from orchestration.assets.monthly import monthly_asset
from orchestration.assets.risk import ROLL_RATES
from orchestration.config import Settings
from orchestration.partitions import (
    PREVIOUS_MONTH,
    THIS_AND_PREVIOUS_MONTH,
    partition_month,
)
from orchestration.resources import RiskpackSettings
from orchestration.warehouse import WriteBehind, connect, frame, snapshot_pairs
from transforms.ecl import (
    TWELVE_MONTHS,
    allowance_movement,
    check_ecl,
    ead,
    ecl,
    ecl_summary,
    lgd,
    pd_term_structure,
    scenario_summary,
    stage,
    stage_migration,
)
from transforms.months import add_months
from transforms.states import ALL_PRODUCTS

ECL = AssetKey.from_user_string(steps.ECL)
ACCOUNT_COLUMNS = ("account_id", "product", "stage", "stage_reason", "bucket", "total_balance", "ead", "life_months",
                   "pd_12m", "pd_lifetime", "lgd", "ecl")


def month_tables(settings: Settings, con: duckdb.DuckDBPyConnection, month: date, previous_snapshot: pl.DataFrame,
                 snapshot: pl.DataFrame, previous_allowance: pl.DataFrame | None
                 ) -> tuple[dict[str, pl.DataFrame], pl.DataFrame | None]:
    """The month's ECL marts and its allowance (None when it has no ECL), the latter for the next
    month's movement."""
    e = settings.ecl
    accounts = frame(con, "read/month_accounts", {"month": month})
    pooled = frame(con, "read/month_roll_rates_pooled", {"month": month})
    losses = frame(con, "read/vintage_losses", {"month": month})
    charged = frame(con, "read/charged_off_accounts", {"month": month})
    staged = stage(snapshot, e.default_dpd)
    products = [*snapshot["product"].unique().sort().to_list(), ALL_PRODUCTS]
    horizon = max(e.behavioural_life, TWELVE_MONTHS, int(accounts["term_months"].max() or 0))
    term = pd_term_structure(pooled, settings.bucket_edges, e.default_dpd, horizon, e.pd_min_row_accounts, products)
    loss_rates = lgd(losses.filter(pl.col("entry_type") == "charge_off")
                     .join(charged.select("account_id", "product"), on="account_id", how="left"),
                     losses.filter(pl.col("entry_type") == "recovery"), charged.select("account_id", "apr"),
                     month, e.workout_months, e.lgd_fallback, e.lgd_min_accounts)
    allowance = None
    if term.height:  # no PD evidence yet (the first loaded month): no ECL, said so by the checks
        allowance = ecl(ead(staged, accounts, dict(e.ccf)), term, loss_rates, e.scenarios, e.behavioural_life,
                        cecl=e.mode == "cecl")
    movement = None
    if allowance is not None and previous_allowance is not None:
        movement = allowance_movement(previous_allowance, allowance, snapshot)
    tables = {
        "mart.ecl_account": allowance.select(ACCOUNT_COLUMNS) if allowance is not None else pl.DataFrame(),
        "mart.ecl_summary": ecl_summary(allowance) if allowance is not None else pl.DataFrame(),
        "mart.ecl_scenarios": scenario_summary(allowance, e.scenarios) if allowance is not None else pl.DataFrame(),
        "mart.pd_term_structure": term,
        "mart.lgd": loss_rates,
        "mart.stage_migration": stage_migration(stage(previous_snapshot, e.default_dpd), staged)
        if previous_snapshot.height else pl.DataFrame(),
        "mart.allowance_movement": movement if movement is not None else pl.DataFrame(),
        "mart.ecl_checks": check_ecl(allowance, movement, e.scenarios),
    }
    dated = {name: rows.with_columns(month=pl.lit(month, dtype=pl.Date)) if rows.width else rows
             for name, rows in tables.items()}
    return dated, allowance


@monthly_asset(
    ECL,
    "risk",
    [AssetDep(LEDGER, partition_mapping=THIS_AND_PREVIOUS_MONTH), ROLL_RATES,
     AssetDep(ECL, partition_mapping=PREVIOUS_MONTH)],
    "mart.ecl_account, mart.ecl_summary, mart.ecl_scenarios, mart.pd_term_structure, mart.lgd, "
    "mart.stage_migration, mart.allowance_movement and mart.ecl_checks (methodology §5). A month reads the "
    "pooled roll-rate matrix of its month, m−1's snapshot and allowance, and every charge-off and recovery before it.",
    {"duckdb", "polars"},
)
def expected_credit_loss(context: AssetExecutionContext, riskpack: RiskpackSettings) -> MaterializeResult:
    settings = riskpack.get()
    months = [partition_month(k) for k in context.partition_keys]
    prior = add_months(months[0], -1)
    written: dict[str, int] = {}
    with connect(settings.warehouse) as con, WriteBehind(con) as writer:
        had_ecl = frame(con, "read/month_ecl_summary", {"month": prior}).height > 0
        previous_allowance = frame(con, "read/month_ecl_account", {"month": prior}) if had_ecl else None
        for month, previous_snapshot, snapshot in snapshot_pairs(con, months):
            tables, previous_allowance = month_tables(settings, con, month, previous_snapshot, snapshot,
                                                      previous_allowance)
            writer.write_month(month, tables, steps.ECL, settings.configuration, context.run.run_id)
            for table, rows in tables.items():
                written[table] = written.get(table, 0) + rows.height
    summary = tables["mart.ecl_summary"]
    return MaterializeResult(metadata={
        **configuration(settings),
        **{f"rows {table}": count for table, count in written.items()},
        "latest_allowance_by_stage": preview(summary.filter(pl.col("product") == ALL_PRODUCTS).select(
            "stage", "accounts", "balance", "ead", "ecl", "coverage")) if summary.height else "no ECL this month",
        "latest_lgd": preview(tables["mart.lgd"].select("product", "lgd", "source", "accounts_used")),
        "latest_checks": preview(tables["mart.ecl_checks"].select("check_name", "passed", "detail")),
    })
