"""Months written behind the step (vintage, ECL, early warning): in order, in a thread of their own
while the step goes on, all committed when the step leaves, and nothing after a failed write."""

import threading
from datetime import date

import duckdb
import polars as pl
import pytest

import orchestration.warehouse as warehouse
from orchestration.warehouse import WriteBehind, connect

MONTHS = [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]


def lifetime(month: date) -> pl.DataFrame:
    """One mart.vintage_lifetime row for `month` (any month-partitioned table would do)."""
    return pl.DataFrame({"month": [month], "product": ["all"], "segment_type": ["all"], "segment": ["all"],
                         "cohort_month": [month], "cohort_accounts": [1], "cohort_amount": [100.0],
                         "observed_mob": [0], "horizon": [36], "method": ["observed"]})


def stored_months(settings) -> list[date]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return [m for (m,) in con.sql("select month from mart.vintage_lifetime order by month").fetchall()]


def test_months_are_written_in_order_beside_the_step(settings, monkeypatch):
    write_month = warehouse.write_month
    step_went_on = threading.Event()
    writers = []

    def writing(con, month, *args):
        writers.append((month, threading.current_thread().name))
        if month == MONTHS[0]:  # the step must get past its call before this write can end
            assert step_went_on.wait(timeout=30), "the step waited for its write"
        write_month(con, month, *args)

    monkeypatch.setattr(warehouse, "write_month", writing)
    with connect(settings.warehouse) as con, WriteBehind(con) as writer:
        for month in MONTHS:
            writer.write_month(month, {"mart.vintage_lifetime": lifetime(month)}, "mart/vintage",
                               settings.configuration, "run")
            step_went_on.set()
    assert stored_months(settings) == MONTHS
    assert [month for month, _ in writers] == MONTHS
    assert all(name.startswith("riskpack-write") for _, name in writers)


def test_a_failed_write_is_raised_and_stops_the_months_after_it(settings, monkeypatch):
    write_month = warehouse.write_month

    def failing(con, month, *args):
        if month == MONTHS[1]:
            raise duckdb.IOException("disk full")
        write_month(con, month, *args)

    monkeypatch.setattr(warehouse, "write_month", failing)
    written = []
    with pytest.raises(duckdb.IOException, match="disk full"):
        with connect(settings.warehouse) as con, WriteBehind(con) as writer:
            for month in MONTHS:
                writer.write_month(month, {"mart.vintage_lifetime": lifetime(month)}, "mart/vintage",
                                   settings.configuration, "run")
                written.append(month)
    assert stored_months(settings) == MONTHS[:1]
    assert written == MONTHS[:2]  # February's failure surfaced at March's write, which never ran
    assert not [t for t in threading.enumerate() if t.name.startswith("riskpack-write")]


def test_queued_months_are_written_while_the_step_goes_on_and_wait_sees_them_all(settings, monkeypatch):
    """Early warning hands over a block of months at once and reads them back after `wait`."""
    write_month = warehouse.write_month
    handed_over = threading.Event()

    def writing(con, month, *args):
        assert handed_over.wait(timeout=30), "the step waited for a write before handing over the block"
        write_month(con, month, *args)

    monkeypatch.setattr(warehouse, "write_month", writing)
    with connect(settings.warehouse) as con, WriteBehind(con, queued=len(MONTHS)) as writer:
        for month in MONTHS:
            writer.write_month(month, {"mart.vintage_lifetime": lifetime(month)}, "mart/vintage",
                               settings.configuration, "run")
        handed_over.set()
        writer.wait()
        assert [m for (m,) in con.sql("select month from mart.vintage_lifetime order by month").fetchall()] == MONTHS


def test_a_month_queued_behind_a_failed_write_is_not_written(settings, monkeypatch):
    write_month = warehouse.write_month
    all_queued = threading.Event()

    def failing(con, month, *args):
        if month == MONTHS[1]:
            assert all_queued.wait(timeout=30)
            raise duckdb.IOException("disk full")
        write_month(con, month, *args)

    monkeypatch.setattr(warehouse, "write_month", failing)
    with pytest.raises(duckdb.IOException, match="disk full"):
        with connect(settings.warehouse) as con, WriteBehind(con, queued=len(MONTHS)) as writer:
            for month in MONTHS:
                writer.write_month(month, {"mart.vintage_lifetime": lifetime(month)}, "mart/vintage",
                                   settings.configuration, "run")
            all_queued.set()
    assert stored_months(settings) == MONTHS[:1]
    assert not [t for t in threading.enumerate() if t.name.startswith("riskpack-write")]
