"""The one way a riskpack asset is declared: monthly, a range in one run, in the warehouse pool."""

from collections.abc import Sequence

from dagster import AssetDep, AssetKey, BackfillPolicy, asset

from orchestration.partitions import MONTHLY
from orchestration.warehouse import POOL


def monthly_asset(key: AssetKey, group: str, deps: Sequence[AssetDep | AssetKey], description: str,
                  kinds: set[str]):
    """Every asset reads or writes the DuckDB file, so every one is in the single-writer pool."""
    return asset(key=key, group_name=group, partitions_def=MONTHLY, backfill_policy=BackfillPolicy.single_run(),
                 deps=list(deps), pool=POOL, description=description, kinds=kinds)
