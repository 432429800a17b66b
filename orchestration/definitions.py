"""The one assembly point of the Dagster code location: explicit lists, nothing discovered."""

from __future__ import annotations

from dagster import Definitions

from orchestration.assets.delivery import pack_delivery
from orchestration.assets.early_warning import early_warning
from orchestration.assets.ecl import expected_credit_loss
from orchestration.assets.ingest import ledger
from orchestration.assets.regulatory import overdue, regulatory
from orchestration.assets.reports import packs
from orchestration.assets.risk import (
    delinquency,
    portfolio_concentration,
    roll_rates,
    vintage,
)
from orchestration.automation import failure_alert, landing, nightly
from orchestration.checks import LEDGER_CHECKS
from orchestration.ecl_checks import ECL_CHECKS
from orchestration.jobs import MARTS_JOB, MONTHLY_JOB
from orchestration.resources import RiskpackSettings

defs = Definitions(
    assets=[ledger, delinquency, portfolio_concentration, vintage, roll_rates, expected_credit_loss, regulatory,
            overdue, early_warning, packs, pack_delivery],
    asset_checks=[*LEDGER_CHECKS, *ECL_CHECKS],
    jobs=[MONTHLY_JOB, MARTS_JOB],
    schedules=[nightly],
    sensors=[landing, failure_alert],
    resources={"riskpack": RiskpackSettings()},
)
