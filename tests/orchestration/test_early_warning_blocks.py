"""How a range of months is cut into the blocks early warning works out together."""

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from orchestration.assets.early_warning import block_tables, month_blocks
from orchestration.ingest.load import load_month
from orchestration.warehouse import connect, frame
from simulator.portfolio import SimulationParams, simulate
from transforms.early_warning import SIGNAL_COLUMNS, lookback_months, signals
from transforms.months import add_months


def test_consecutive_months_in_blocks_of_at_most_the_size():
    months = [date(2024, m, 1) for m in range(1, 8)]
    assert month_blocks(months, 3) == [months[0:3], months[3:6], months[6:7]]
    assert month_blocks(months, 1) == [[m] for m in months]


def test_a_gap_or_a_year_end_and_any_order():
    dec, jan, feb, may = date(2023, 12, 1), date(2024, 1, 1), date(2024, 2, 1), date(2024, 5, 1)
    assert month_blocks([may, jan, dec, feb], 3) == [[dec, jan, feb], [may]]
    assert month_blocks([], 3) == []


def test_a_block_longer_than_the_horizon_or_with_a_gap_is_refused(settings):
    horizon = settings.early_warning[1].horizon
    with pytest.raises(ValueError, match="consecutive months"):
        block_tables(settings, None, [date(2024, m, 1) for m in range(1, horizon + 2)])
    with pytest.raises(ValueError, match="consecutive months"):
        block_tables(settings, None, [date(2024, 1, 1), date(2024, 3, 1)])


def test_a_blocks_signals_are_those_of_every_loaded_month(settings):
    """A block reads only the months its signals need (history and repayments): what it works out
    is what the whole warehouse gives."""
    thresholds = settings.early_warning[0]
    months = [add_months(date(2024, 1, 1), k) for k in range(lookback_months(thresholds) + 5)]
    simulate(SimulationParams(accounts=400, months=len(months), first_month=months[0], seed=7),
             settings.landing_dir, progress=False)
    block = months[-3:]
    with connect(settings.warehouse) as con:
        for month in months:
            load_month(settings, month, "test", con)
        tables = block_tables(settings, con, block)
        everything = {"first_month": months[0], "month": months[-1], "low": None, "high": None}
        history = frame(con, "read/account_month_window", everything)
        repayments = frame(con, "read/repayments_window", everything)
    for month in block:
        expected = signals(history, repayments, month, thresholds)
        assert expected.select(pl.col("min_payments", "recent_cure", "utilisation_jump").any()).row(0) == (True,) * 3
        assert_frame_equal(tables[month]["mart.early_warning"].select(SIGNAL_COLUMNS), expected)
