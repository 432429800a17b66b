"""Reports layer: the month's management and regulatory packs, read from the marts and rendered to HTML and PDF."""

from collections.abc import Iterator

from dagster import (
    AssetDep,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    BackfillPolicy,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from orchestration.assets.early_warning import EARLY_WARNING
from orchestration.assets.ecl import ECL
from orchestration.assets.ingest import LEDGER
from orchestration.assets.regulatory import OVERDUE_COST, REGULATORY
from orchestration.assets.rendering import render_all
from orchestration.assets.risk import CONCENTRATION, DELINQUENCY, ROLL_RATES, VINTAGE
from orchestration.documents import render_document
from orchestration.partitions import (
    MONTHLY,
    THIS_AND_PREVIOUS_MONTH,
    TREND_WINDOW,
    partition_month,
)
from orchestration.resources import RiskpackSettings
from orchestration.warehouse import POOL, connect

MANAGEMENT_PACK = AssetKey(["reports", "management_pack"])
REGULATORY_PACK = AssetKey(["reports", "regulatory_pack"])


PACKS = {
    MANAGEMENT_PACK: AssetSpec(
        MANAGEMENT_PACK, group_name="reports", kinds={"html", "pdf"},
        deps=[AssetDep(DELINQUENCY, partition_mapping=TREND_WINDOW), LEDGER, VINTAGE,
              AssetDep(ROLL_RATES, partition_mapping=TREND_WINDOW), AssetDep(ECL, partition_mapping=TREND_WINDOW),
              OVERDUE_COST, AssetDep(EARLY_WARNING, partition_mapping=TREND_WINDOW),
              AssetDep(CONCENTRATION, partition_mapping=THIS_AND_PREVIOUS_MONTH)],
        description="The month's management pack in each configured locale, HTML and PDF (reports.md)."),
    REGULATORY_PACK: AssetSpec(
        REGULATORY_PACK, group_name="reports", kinds={"html", "pdf"},
        deps=[REGULATORY, ECL, LEDGER, AssetDep(DELINQUENCY, partition_mapping=TREND_WINDOW)],
        description="The month's regulatory pack in each configured locale, HTML and PDF/A-3b with every table "
                    "attached as CSV (reports.md)."),
}
PACK_NAMES = {MANAGEMENT_PACK: "management", REGULATORY_PACK: "regulatory"}


@multi_asset(specs=list(PACKS.values()), name="packs", can_subset=True, partitions_def=MONTHLY,
             backfill_policy=BackfillPolicy.single_run(), pool=POOL)
def packs(context: AssetExecutionContext, riskpack: RiskpackSettings) -> Iterator[MaterializeResult]:
    """Both packs in one step, so every document of the range shares one pool of render workers:
    a worker's start-up (seconds of imports) is paid once, and the two cores stay busy to the end.
    The UI can still materialise one pack alone."""
    settings = riskpack.get()
    # a writer's connection gives a warehouse of an earlier version the tables and views added since (the
    # months' configuration record), which the read-only workers then read
    with connect(settings.warehouse):
        pass
    selected = [key for key in PACKS if key in context.selected_asset_keys]
    tasks = [(PACK_NAMES[key], partition_month(month), locale)
             for key in selected for month in context.partition_keys for locale in settings.locales]
    written = render_all(tasks, render_document)
    for key in selected:
        files = [path for path in written if path.name.startswith(f"{PACK_NAMES[key]}_")]
        yield MaterializeResult(asset_key=key, metadata={
            "files": len(files),
            "output_dir": MetadataValue.path(str(settings.output_dir)),
            "latest_pdf": MetadataValue.path(str(files[-1])),
            "latest_html": MetadataValue.path(str(files[-2])),
        })
