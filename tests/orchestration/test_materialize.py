"""The Dagster job over a few months, as one run over a partition range (as `make run` does)."""

from datetime import date
from decimal import Decimal

import duckdb
import pytest
from dagster import DagsterInstance

from orchestration.cli import RANGE_END_TAG, RANGE_START_TAG
from orchestration.definitions import defs
from tests.ledger_builder import Extract
from tests.portfolios import three_clean_months


def run_range(first: str, last: str):
    job = defs.resolve_job_def("riskpack_monthly")
    with DagsterInstance.ephemeral() as instance:
        return job.execute_in_process(instance=instance, raise_on_error=False,
                                      tags={RANGE_START_TAG: first, RANGE_END_TAG: last})


def checks(result) -> dict[str, bool]:
    return {e.event_specific_data.check_name: e.event_specific_data.passed
            for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"}


def test_a_range_of_months_in_one_run(settings):
    three_clean_months(settings.landing_dir)
    result = run_range("2024-01-01", "2024-03-01")
    assert result.success
    assert checks(result) == {"manifest_verified": True, "quarantine_rate": True,
                              "rollforward_reconciled": True, "keys_unique": True, "ecl_known": True,
                              "ecl_non_negative": True, "stage3_lgd_times_ead": True, "movement_ties": True,
                              "movement_closing_matches_ecl": True, "scenario_weights": True,
                              # a warning: on so few transitions every bucket is assumed to roll forward,
                              # so R1's undrawn line makes stage 1 as covered as stage 2
                              "coverage_increasing": False}
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        rows = con.execute("select month, receivable_balance, dq30_rate, nco_rate from mart.delinquency "
                           "where product = 'all' order by month").fetchall()
    assert [r[0] for r in rows] == [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]
    assert rows[0][1] == Decimal("1500.00") and rows[0][2] == 0.0 and rows[0][3] is None
    # February: R1 900, R2 500 at DPD 31, I1 600 → 500 / 2000
    assert rows[1][1] == Decimal("2000.00") and rows[1][2] == pytest.approx(0.25)
    assert rows[1][3] == 0.0
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        # January cohort (R1, R2) in March, mob 2: R2 went 30+ at mob 1 → ever-30 rate 1/2
        cell = con.execute("select ever30_rate, projected from mart.vintage where month = '2024-03-01' and "
                           "product = 'all' and segment_type = 'all' and cohort_month = '2024-01-01' "
                           "and mob = 2").fetchall()
        assert cell == [(0.5, False)]
        assert con.execute("select count(distinct month) from mart.vintage_lifetime").fetchone() == (3,)
        # February: of R1 and R2 (current in January; I1 opens in February and is not in the matrix),
        # R2 goes straight to 30–59: a roll of half the row, and a move of more than one bucket
        feb = dict(con.execute("select to_state, account_rate from mart.roll_rates where month = '2024-02-01' "
                               "and product = 'all' and from_state = 'current' and accounts > 0").fetchall())
        assert feb == {"current": 0.5, "dpd_30_59": 0.5}
        assert con.execute("select impossible_moves, roll_forward_rate from mart.roll_rate_summary where "
                           "month = '2024-02-01' and product = 'all' and from_state = 'current'").fetchall() == [(1, 0.5)]
        assert con.execute("select count(*) from mart.roll_rates where month = '2024-01-01'").fetchone() == (0,)
        pooled = con.execute("select accounts from mart.roll_rates_pooled where month = '2024-03-01' and "
                             "product = 'all' and from_state = 'current' and to_state = 'current'").fetchone()
        assert pooled == (3,)  # R1 in February and March, I1 in March
        # March under cn_2023: R1 (800) and I1 (600) pass, R2 (500 at 62 DPD) special mention; no NPL,
        # so provision coverage is unknown and flags no breach
        march = dict(con.execute("select category, balance from mart.regulatory_classification where month = "
                                 "'2024-03-01' and product = 'all' and accounts > 0").fetchall())
        assert march == {"pass": Decimal("1400.00"), "special_mention": Decimal("500.00")}
        assert con.execute("select npl_ratio, provision_coverage, provision_coverage_breach from mart.regulatory_ratios "
                           "where month = '2024-03-01' and product = 'all'").fetchone() == (0.0, None, None)
        # R2 was frozen in February (active in January): one freeze, in its February bucket 30–59
        assert con.execute("select bucket, freezes from mart.overdue_cost where month = '2024-02-01' and "
                           "product = 'all' and freezes > 0").fetchall() == [("dpd_30_59", 1)]


def test_a_failing_blocking_check_stops_the_marts(settings):
    months = three_clean_months(settings.landing_dir)
    folder = settings.landing_dir / "2024-03-31"
    manifest_rows = (folder / "account_months.csv").read_text().splitlines()
    (folder / "account_months.csv").write_text("\n".join([*manifest_rows[:2], manifest_rows[2].replace(",62,", ",6x,"),
                                                          *manifest_rows[3:]]) + "\n")
    Extract.refresh_manifest(folder)
    result = run_range("2024-01-01", months[-1].isoformat())
    assert not result.success
    assert checks(result)["quarantine_rate"] is False
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from mart.delinquency").fetchone() == (0,)
        assert con.execute("select count(*) from audit.quarantine").fetchone() == (1,)


def test_ecl_of_a_tiny_book_by_hand(settings):
    """Three months, a handful of transitions: below the 30 a PD row needs, so every bucket is
    assumed to roll one bucket a month (current reaches default, 90+, in month 4; 60–89 in
    month 1). No charge-off has a completed workout: LGD is the 0.85 fallback. Scenarios
    0.6 × 1, 0.3 × 1.5 and 0.1 × 0.8 weight a PD of 1 into 0.6 + 0.3 + 0.08 = 0.98. apr 18 %:
    one month discounts by 1.015."""
    three_clean_months(settings.landing_dir)
    assert run_range("2024-01-01", "2024-03-01").success
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        march = {r[0]: r[1:] for r in con.execute(
            "select account_id, stage, stage_reason, ead, ecl from mart.ecl_account where month = '2024-03-01'"
        ).fetchall()}
        assert con.execute("select count(*) from mart.ecl_account where month = '2024-01-01'").fetchone() == (0,)
        assert set(con.execute("select distinct row_source from mart.pd_term_structure").fetchall()) == {
            ("assumed_roll_forward",)}
        assert con.execute("select distinct lgd, source from mart.lgd").fetchall() == [(0.85, "fallback")]
        movement = con.execute("select opening, new_accounts, remeasurement, transfers_in, closing "
                               "from mart.allowance_movement where month = '2024-03-01' and product = 'all' "
                               "and stage = 'all'").fetchone()
        january = con.execute("select passed, detail from mart.ecl_checks where month = '2024-01-01' "
                              "and check_name = 'ecl_known'").fetchone()
    weight = 0.6 + 0.3 + 0.1 * 0.8
    # R1 revolving, active, 800 drawn of 1000: EAD 800 + 0.5 · 200; current, stage 1 (12 months ≥ 4)
    assert march["R1"][:3] == (1, "performing", 900.0)
    assert march["R1"][3] == pytest.approx(weight * 0.85 * 900 / 1.015 ** 4)
    # R2 revolving, frozen (no undrawn exposure), 62 DPD: stage 2, defaults next month
    assert march["R2"][:3] == (2, "dpd_30", 500.0)
    assert march["R2"][3] == pytest.approx(weight * 0.85 * 500 / 1.015)
    # I1 instalment, mob 1 of 12: 11 months left, still past month 4
    assert march["I1"][3] == pytest.approx(weight * 0.85 * 600 / 1.015 ** 4)
    opening, new, remeasured, transfers, closing = (float(v) for v in movement)
    assert (new, transfers) == (0.0, 0.0)
    assert opening + remeasured == pytest.approx(closing)
    assert closing == pytest.approx(sum(v[3] for v in march.values()))
    assert january == (None, "not evaluated: no ECL this month (no roll-rate transitions to estimate PD from)")
