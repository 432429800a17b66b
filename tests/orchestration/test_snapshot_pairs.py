"""A run's months with m − 1's snapshot and their own, each read once (roll rates, overdue cost
and delinquency compare a month with the one before)."""

from datetime import date

from polars.testing import assert_frame_equal

from orchestration.ingest.load import load_month
from orchestration.warehouse import connect, frame, snapshot_pairs
from tests.portfolios import three_clean_months

DEC, JAN, FEB, MAR = date(2023, 12, 1), date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)


def test_each_month_with_the_snapshot_before_it_also_after_a_gap(settings):
    three_clean_months(settings.landing_dir)
    with connect(settings.warehouse) as con:
        for month in (JAN, FEB, MAR):
            load_month(settings, month, "test", con)
        snapshot = {m: frame(con, "read/month_snapshot", {"month": m}) for m in (DEC, JAN, FEB, MAR)}
        assert snapshot[DEC].height == 0 and all(snapshot[m].height for m in (JAN, FEB, MAR))
        for months in ([JAN, FEB, MAR], [JAN, MAR], [MAR]):
            pairs = list(snapshot_pairs(con, months))
            assert [month for month, _, _ in pairs] == months
            for month, previous, current in pairs:
                before = {JAN: DEC, FEB: JAN, MAR: FEB}[month]
                assert_frame_equal(previous, snapshot[before])
                assert_frame_equal(current, snapshot[month])
