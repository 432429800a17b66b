"""How a range of months is cut into the blocks early warning works out together."""

from dataclasses import replace
from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from orchestration.assets.early_warning import block_tables, month_blocks, write_months
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


def test_a_month_alone_fits_on_the_patterns_the_months_before_it_stored(settings):
    """A month run alone (the nightly job) counts the feature patterns of m − horizon only, and
    reads the rest of its fit window as the months that learned their outcome stored them: the
    same tables as a run over every month. Patterns stored under another bad mark, or by the month
    itself, are counted again from the stored rows; the others are read as they are."""
    thresholds, options = settings.early_warning
    scoring = replace(settings, early_warning=(thresholds, replace(options, min_fit_months=2)))
    months = [add_months(date(2024, 1, 1), k) for k in range(options.horizon + 6)]
    last = months[-1]
    simulate(SimulationParams(accounts=400, months=len(months), first_month=months[0], seed=11),
             settings.landing_dir, progress=False)
    tables = ("mart.early_warning", "mart.early_warning_actions", "mart.early_warning_model",
              "mart.early_warning_backtest", "mart.early_warning_bands", "mart.early_warning_patterns")
    with connect(settings.warehouse) as con:
        for month in months:
            load_month(settings, month, "test", con)
        assert write_months(scoring, con, months, "backfill")[1] == 0  # a run counts its own months

        def written() -> dict[str, pl.DataFrame]:
            return {table: con.sql(f"select * from {table} where month = $month order by all",
                                   params={"month": last}).pl() for table in tables}

        in_the_run = written()
        stored = con.sql("select count(distinct scored_month), sum(accounts) from mart.early_warning_patterns "
                         "where month < $month", params={"month": last}).fetchall()[0]
        assert stored[0] == len(months) - 1 - options.horizon and stored[1] > 500
        assert in_the_run["mart.early_warning_patterns"]["scored_month"].unique().to_list() == [
            add_months(last, -options.horizon)]
        assert in_the_run["mart.early_warning"]["score"].is_not_null().all()
        # its own month's patterns are counted anew (the run rewrites them), and patterns counted
        # with another bad mark are counted again from the stored rows
        for step, where, read_stored in (("alone", "false", stored[0]),
                                         ("stale patterns of its own", f"month = '{last}'", stored[0]),
                                         ("under another bad mark", "true", 0)):
            con.execute(f"update mart.early_warning_patterns set accounts = accounts * 2, "
                        f"bad_dpd = bad_dpd + (month < '{last}')::integer where {where}")
            assert write_months(scoring, con, [last], step)[1] == read_stored
            for table, rows in written().items():
                assert_frame_equal(rows, in_the_run[table])
        con.execute("update mart.early_warning_patterns set bad_dpd = bad_dpd - 1 where month < $month",
                    {"month": last})
        assert write_months(scoring, con, [last], "counts read as stored")[1] == stored[0]
        fit_accounts = written()["mart.early_warning_model"]["fit_accounts"][0]
        assert fit_accounts > in_the_run["mart.early_warning_model"]["fit_accounts"][0]
