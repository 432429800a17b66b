"""What each pack document reads from the marts, and one document rendered in a worker process.

Apart from the Dagster assets on purpose: a render worker imports only this module's chain
(settings, warehouse reads, the report builders), not Dagster and every asset definition, and so
starts about a second sooner; a month's four documents spend that second on both cores.
"""

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from importlib.metadata import version
from pathlib import Path

import polars as pl

from orchestration import steps
from orchestration.config import Settings, load_settings
from orchestration.provenance import ComputedWith, computed_with
from orchestration.warehouse import connect, frame, one
from reports.concentration_section import ConcentrationInput
from reports.early_warning_section import EarlyWarningInput
from reports.ecl_section import ExpectedLossInput
from reports.kpis import TREND_MONTHS
from reports.management import ManagementPackInput, render_management_pack
from reports.overdue_section import OverdueInput
from reports.regulatory import RegulatoryPackInput, render_regulatory_pack
from reports.roll_rates_section import RollRateInput
from transforms.months import add_months
from transforms.regulatory import classification_regime, regime_in_force


def pack_input(settings: Settings, month: date) -> ManagementPackInput:
    """Everything the pack shows, read in one short connection (no identifiers leave here)."""
    window = {"first_month": add_months(month, -(TREND_MONTHS - 1)), "month": month}
    this_month = {"month": month}
    with connect(settings.warehouse, read_only=True) as con:
        computed = computed_with(settings, frame(con, "read/month_configurations", this_month), os.environ)
        score_settings = computed.of(steps.EARLY_WARNING).early_warning[1]
        loads = frame(con, "read/month_loads", this_month)
        ecl_summary = frame(con, "read/month_ecl_summary", this_month)
        model = frame(con, "read/early_warning_model_facts", this_month)
        return ManagementPackInput(
            month=month,
            portfolio_name=settings.portfolio_name,
            currency=settings.currency,
            delinquency=frame(con, "read/delinquency_window", window),
            delinquency_by_state=frame(con, "read/delinquency_by_state_window", window),
            loads=loads,
            quarantine_summary=frame(con, "read/quarantine_summary", this_month),
            rollforward=frame(con, "read/month_rollforward", this_month),
            vanished_accounts=one(con, "read/month_vanished_count", this_month)[0],
            parameters=computed.parameters(),
            parameters_note=computed.note(),
            percent_decimals=settings.percent_decimals,
            vintage=frame(con, "read/month_vintage", this_month),
            vintage_lifetime=frame(con, "read/month_vintage_lifetime", this_month),
            roll_rates=RollRateInput(
                roll_rates=frame(con, "read/month_roll_rates", this_month),
                roll_summary=frame(con, "read/roll_rate_summary_window", window),
                flow_rates=frame(con, "read/month_flow_rates", this_month),
                projection=frame(con, "read/month_markov_projection", this_month),
            ),
            expected_loss=ExpectedLossInput(
                available=ecl_summary.height > 0,  # the first loaded month has no ECL
                summary=ecl_summary,
                summary_trend=frame(con, "read/ecl_summary_window", window),
                scenarios=frame(con, "read/month_ecl_scenarios", this_month),
                pd_term_structure=frame(con, "read/month_pd_term_structure", this_month),
                lgd=frame(con, "read/month_lgd", this_month),
                stage_migration=frame(con, "read/month_stage_migration", this_month),
                movement=frame(con, "read/month_allowance_movement", this_month),
                checks=frame(con, "read/month_ecl_checks", this_month),
                mode=computed.of(steps.ECL).ecl.mode,
            ),
            overdue=OverdueInput(overdue_cost=frame(con, "read/month_overdue_cost", this_month),
                                 recovery_curve=frame(con, "read/month_recovery_curve", this_month)),
            concentration=ConcentrationInput(frame(con, "read/concentration_window",
                                                   {"first_month": add_months(month, -1), "month": month})),
            early_warning=EarlyWarningInput(
                available=model.height > 0,  # no model before enough months with a known outcome
                by_band=frame(con, "read/early_warning_by_band", this_month),
                signals=frame(con, "read/early_warning_signals", this_month),
                coefficients=frame(con, "read/early_warning_coefficients", this_month),
                model=model,
                actions=frame(con, "read/month_early_warning_actions", this_month),
                backtest=frame(con, "read/early_warning_backtest_window", window),
                bands=frame(con, "read/month_early_warning_bands", this_month),
                gini_floor=score_settings.gini_floor,
                band_cuts=score_settings.band_cuts,
                watchlist_band=score_settings.watchlist_band,
            ),
            lineage=lineage(loads, computed),
        )


def lineage(loads: pl.DataFrame, computed: ComputedWith) -> dict[str, str]:
    """Where the month's figures come from, printed on each pack's cover."""
    return {
        "extract as_of_date": str(loads["as_of_date"].max()),
        "files loaded": str(loads.height),
        "load run id": ", ".join(sorted(set(loads["run_id"].to_list()))),
        "code version": f"riskpack {version('riskpack')}",
        **computed.lineage(),
    }


def regulatory_input(settings: Settings, month: date) -> RegulatoryPackInput:
    """The regulatory pack's figures, read in one short connection (accounts only as counts)."""
    this_month = {"month": month}
    window = {"first_month": add_months(month, -(TREND_MONTHS - 1)), "month": month}
    with connect(settings.warehouse, read_only=True) as con:
        computed = computed_with(settings, frame(con, "read/month_configurations", this_month), os.environ)
        regime = regime_in_force(computed.of(steps.REGULATORY).regime_schedule, month)
        loads = frame(con, "read/month_loads", this_month)
        return RegulatoryPackInput(
            month=month,
            portfolio_name=settings.portfolio_name,
            currency=settings.currency,
            regime=regime,
            regime_title=classification_regime(regime).title,
            classification=frame(con, "read/month_regulatory_classification", this_month),
            ratios=frame(con, "read/month_regulatory_ratios", this_month),
            us_past_due=frame(con, "read/month_us_past_due", this_month),
            past_charge_off_point=frame(con, "read/past_charge_off_point_counts", this_month),
            charge_offs=frame(con, "read/delinquency_window", window),
            ecl_summary=frame(con, "read/month_ecl_summary", this_month),
            movement=frame(con, "read/month_allowance_movement", this_month),
            loads=loads,
            parameters=computed.parameters(),
            parameters_note=computed.note(),
            lineage=lineage(loads, computed),
            percent_decimals=settings.percent_decimals,
        )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for one document, back as it was afterwards.

    Laying out a pack allocates hundreds of thousands of small objects (WeasyPrint's boxes,
    matplotlib's artists), and each allocation threshold crossed sets off a collection that walks
    them all again: about a sixth of a management pack's time. A document lives for seconds, so
    its reference cycles can wait until it is done: the next collection frees them (some 40 MB
    more at the peak of a management pack)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_document(pack: str, month: date, locale: str) -> dict[str, Path]:
    """One document, in a worker process: settings from the environment the worker inherited."""
    settings = load_settings()
    with collector_paused():
        if pack == "regulatory":
            return render_regulatory_pack(regulatory_input(settings, month), settings.output_dir, locale=locale)
        return render_management_pack(pack_input(settings, month), settings.output_dir, locale=locale)
