"""A range of months loaded with each month's files read while the month before is written: the
same warehouse as loading them one by one, the reading really ahead, and a fault stopping the
range at its month with nothing read ahead left behind."""

import dataclasses
import threading
from datetime import date

import pytest

import orchestration.ingest.load as load
from orchestration.ingest.landing import extracts_for_month
from orchestration.ingest.load import NoExtract, load_month, load_months
from orchestration.ingest.manifest import ExtractRefused
from orchestration.warehouse import connect
from tests.ledger_builder import Extract
from tests.portfolios import three_clean_months
from tests.warehouse_dump import dump

JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)
TABLES = ("core", "audit")


def reader_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("riskpack-read")]


def test_a_range_loads_the_same_warehouse_as_its_months_one_by_one(settings, tmp_path):
    three_clean_months(settings.landing_dir)
    # two February rows that only January's rows, once written, make faulty: read ahead, they are
    # still checked against the warehouse as January left it
    (_, folder), = extracts_for_month(settings.landing_dir, FEB)
    accounts = (folder / "accounts.csv").read_text()
    (folder / "accounts.csv").write_text(accounts.replace("R2,CR2,revolving,2024-01-01", "R2,CR2,revolving,2024-01-02"))
    with (folder / "postings.csv").open("a") as postings:
        postings.write("P0,R1,2024-02-11,repayment,1.00\n")
    Extract.refresh_manifest(folder)
    with connect(settings.warehouse) as con:
        loaded = [result.month for result in load_months(settings, [JAN, FEB, MAR], "run", con)]
    one_by_one = dataclasses.replace(settings, warehouse=tmp_path / "one_by_one.duckdb")
    for month in (JAN, FEB, MAR):
        load_month(one_by_one, month, "run")
    assert loaded == [JAN, FEB, MAR]
    together, alone = dump(settings.warehouse, TABLES), dump(one_by_one.warehouse, TABLES)
    assert together["core.account_month"] and together["audit.loads"]
    reasons = [row[-1] for row in together["audit.quarantine"]]
    assert reasons == ["account_id: not among the loaded accounts — R2",  # the snapshot of the account refused
                       "open_date: changed since an earlier extract — 2024-01-01 to 2024-01-02",
                       "posting_id: already loaded from another extract — P0"]
    assert together == alone
    assert not reader_threads()


def test_the_next_month_is_read_while_this_one_is_written(settings, monkeypatch):
    three_clean_months(settings.landing_dir)
    february_read = threading.Event()
    readers: dict[date, str] = {}
    read_extract, write_month = load.read_extract, load.write_month

    def reading(cursor, folder, as_of):
        readers[as_of.replace(day=1)] = threading.current_thread().name
        if as_of.replace(day=1) == FEB:
            february_read.set()
        return read_extract(cursor, folder, as_of)

    def writing(con, month, *args):
        if month == JAN:  # January's write waits for February's read: never ends without it
            assert february_read.wait(timeout=30), "February was not read while January was written"
        write_month(con, month, *args)

    monkeypatch.setattr(load, "read_extract", reading)
    monkeypatch.setattr(load, "write_month", writing)
    with connect(settings.warehouse) as con:
        assert [r.month for r in load_months(settings, [JAN, FEB], "run", con)] == [JAN, FEB]
    assert set(readers) == {JAN, FEB}
    assert all(name.startswith("riskpack-read") for name in readers.values())


def refuse_february(settings) -> type[Exception]:
    (_, folder), = extracts_for_month(settings.landing_dir, FEB)
    (folder / "postings.csv").write_text("posting_id\n")
    return ExtractRefused


def remove_february(settings) -> type[Exception]:
    (_, folder), = extracts_for_month(settings.landing_dir, FEB)
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    return NoExtract


@pytest.mark.parametrize("fault", [refuse_february, remove_february])
def test_a_fault_stops_the_range_at_its_month(settings, fault, monkeypatch):
    three_clean_months(settings.landing_dir)
    error = fault(settings)
    opened, closed = [], []
    month_files, close = load.MonthFiles.__init__, load.MonthFiles.close
    monkeypatch.setattr(load.MonthFiles, "__init__",
                        lambda self, con, landing, month, *a: (opened.append(month), month_files(self, con, landing, month, *a))[1])
    monkeypatch.setattr(load.MonthFiles, "close", lambda self: (closed.append(self.month), close(self))[1])
    with connect(settings.warehouse) as con:
        loaded = []
        with pytest.raises(error):
            for result in load_months(settings, [JAN, FEB, MAR], "run", con):
                loaded.append(result.month)
        months = con.sql("select distinct month from core.account_month order by month").fetchall()
        refused = con.sql("select fault from audit.refused_extracts").fetchall()
    assert loaded == [JAN] and months == [(JAN,)]
    assert refused == ([("checksum mismatch",)] if error is ExtractRefused else [])
    # March, read while February was checked, is dropped with its cursor, and so is each month's
    assert opened == [JAN, FEB, MAR] and sorted(closed) == opened
    assert not reader_threads()
