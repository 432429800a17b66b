"""The supervisor's view (methodology §6) and the overdue "snowball" (§7), computed by
`transforms.regulatory` and `transforms.overdue_cost` from the month's snapshot, postings and
allowance."""


import polars as pl
from dagster import AssetDep, AssetExecutionContext, AssetKey, MaterializeResult

from orchestration import steps
from orchestration.assets.ecl import ECL
from orchestration.assets.ingest import LEDGER
from orchestration.assets.metadata import configuration, preview
from orchestration.assets.monthly import monthly_asset
from orchestration.partitions import THIS_AND_PREVIOUS_MONTH, partition_month
from orchestration.resources import RiskpackSettings
from orchestration.warehouse import connect, frame, snapshot_pairs, write_month
from transforms.overdue_cost import overdue_cost, recovery_curve
from transforms.regulatory import (
    classification_table,
    past_charge_off_point,
    regime_in_force,
    regulatory_ratios,
    us_past_due,
)
from transforms.states import ALL_PRODUCTS, LOSS_ENTRY_TYPES, OVERDUE_CHARGE_TYPES

REGULATORY = AssetKey.from_user_string(steps.REGULATORY)
OVERDUE_COST = AssetKey.from_user_string(steps.OVERDUE_COST)


@monthly_asset(
    REGULATORY,
    "risk",
    [LEDGER, ECL],
    "mart.regulatory_classification and mart.regulatory_ratios under the regime in force, mart.us_past_due and "
    "mart.past_charge_off_point (methodology §6); the allowance is the month's ECL.",
    {"duckdb", "polars"},
)
def regulatory(context: AssetExecutionContext, riskpack: RiskpackSettings) -> MaterializeResult:
    settings = riskpack.get()
    with connect(settings.warehouse) as con:
        for month in (partition_month(k) for k in context.partition_keys):
            regime = regime_in_force(settings.regime_schedule, month)
            params = {"month": month}
            snapshot = frame(con, "read/month_snapshot", params)
            postings = frame(con, "read/month_postings_by_product",
                             {**params, "entry_types": list(LOSS_ENTRY_TYPES)})
            allowance = frame(con, "read/month_ecl_allowance", params)
            classification = classification_table(snapshot, allowance, regime, month)
            ratios = regulatory_ratios(classification, settings.provision_coverage_min,
                                       settings.loan_provision_ratio_min)
            past_point = past_charge_off_point(snapshot, month)
            write_month(con, month, {"mart.regulatory_classification": classification,
                                     "mart.regulatory_ratios": ratios,
                                     "mart.us_past_due": us_past_due(snapshot, postings, month),
                                     "mart.past_charge_off_point": past_point},
                        steps.REGULATORY, settings.configuration, context.run.run_id)
    overall = ratios.filter(pl.col("product") == ALL_PRODUCTS)
    return MaterializeResult(metadata={
        **configuration(settings),
        "months": len(context.partition_keys),
        "regime": regime,
        "latest_ratios": preview(overall.select("npl_ratio", "provision_coverage", "provision_coverage_breach",
                                                "loan_provision_ratio", "loan_provision_ratio_breach")),
        "latest_classification": preview(classification.filter(pl.col("product") == ALL_PRODUCTS)
                                         .select("category", "accounts", "balance", "allowance")),
        "accounts_past_charge_off_point": past_point.height,
    })


@monthly_asset(
    OVERDUE_COST,
    "risk",
    [AssetDep(LEDGER, partition_mapping=THIS_AND_PREVIOUS_MONTH)],
    "mart.overdue_cost (penalty interest, fees, freezes and cures by bucket) and mart.recovery_curve "
    "(recoveries by months since charge-off), methodology §7.",
    {"duckdb", "polars"},
)
def overdue(context: AssetExecutionContext, riskpack: RiskpackSettings) -> MaterializeResult:
    settings = riskpack.get()
    months = [partition_month(k) for k in context.partition_keys]
    with connect(settings.warehouse) as con:
        for month, previous, snapshot in snapshot_pairs(con, months):
            params = {"month": month}
            postings = frame(con, "read/month_postings_by_product",
                             {**params, "entry_types": list(OVERDUE_CHARGE_TYPES)})
            flows = frame(con, "read/charge_offs_and_recoveries", params)
            cost = overdue_cost(snapshot, previous, postings, settings.bucket_edges, month)
            curve = recovery_curve(flows, month)
            write_month(con, month, {"mart.overdue_cost": cost, "mart.recovery_curve": curve},
                        steps.OVERDUE_COST, settings.configuration, context.run.run_id)
    return MaterializeResult(metadata={
        **configuration(settings),
        "months": len(context.partition_keys),
        "latest_overdue_cost": preview(cost.filter(pl.col("product") == ALL_PRODUCTS).select(
            "bucket", "accounts", "penalty_interest", "late_fees", "fee_share", "freezes", "cures")),
        "recovery_curve_rows": curve.height,
    })
