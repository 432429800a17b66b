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
                              "rollforward_reconciled": True, "keys_unique": True}
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
