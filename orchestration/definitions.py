"""The one assembly point of the Dagster code location: explicit lists, nothing discovered."""

from __future__ import annotations

from dagster import Definitions

from orchestration.assets.ingest import ledger
from orchestration.assets.reports import management_pack
from orchestration.assets.risk import delinquency, roll_rates, vintage
from orchestration.checks import LEDGER_CHECKS
from orchestration.jobs import MONTHLY_JOB
from orchestration.resources import RiskpackSettings

defs = Definitions(
    assets=[ledger, delinquency, vintage, roll_rates, management_pack],
    asset_checks=LEDGER_CHECKS,
    jobs=[MONTHLY_JOB],
    resources={"riskpack": RiskpackSettings()},
)
