"""Extracts delivered the way real core systems deliver them: twice, corrected, late, with a gap,
out of order. The landing sensor decides what to run, the job runs it, and the warehouse must end
exactly as if every month had arrived once, complete and in order."""

import shutil
from datetime import date

import polars as pl
import pytest
from dagster import RunRequest, SkipReason, build_sensor_context, instance_for_test

from orchestration.automation import RUN_KEY_TAG, landing
from orchestration.cli import RANGE_END_TAG, RANGE_START_TAG
from simulator.extract import write_table
from simulator.manifest import read_table, write_manifest
from simulator.portfolio import SimulationParams, simulate
from tests.reliability.job import run as run_part
from tests.warehouse_dump import dump

FOLDERS = ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"]


@pytest.fixture
def instance():
    with instance_for_test() as instance:  # records the runs, with their run keys, as the daemon's does
        yield instance


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """Five simulated months, and the warehouse of loading them once, in order (the reference)."""
    root = tmp_path_factory.mktemp("deliveries")
    simulate(SimulationParams(accounts=300, months=5, first_month=date(2024, 1, 1), seed=21), root / "source",
             progress=False)
    return root


def correct(folder) -> None:
    """A correction the core system might send: one account's channel fixed in the accounts file."""
    path = folder / "accounts.csv"
    frame = read_table(path, "utf-8")
    frame = frame.with_columns(channel=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("corrected"))
                               .otherwise(pl.col("channel")))
    write_table(frame, path, "csv", "utf-8")
    write_manifest(folder, date.fromisoformat(folder.name), "utf-8")


def reference(book, monkeypatch, tmp_path):
    for key, value in {"RISKPACK_LANDING_DIR": str(book / "source"), "RISKPACK_WAREHOUSE": str(tmp_path / "ref.duckdb"),
                       "RISKPACK_OUTPUT_DIR": str(tmp_path / "ref-reports")}.items():
        monkeypatch.setenv(key, value)
    assert run_part("2024-01-01", "2024-05-01", "marts")
    return dump(tmp_path / "ref.duckdb")


class Landing:
    """The landing directory, the sensor's cursor, and what the daemon would run on each tick."""

    def __init__(self, settings, book, instance):
        self.settings, self.book, self.instance, self.cursor, self.runs = settings, book, instance, None, []

    def deliver(self, folder: str, corrected: bool = False) -> None:
        target = self.settings.landing_dir / folder
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(self.book / "source" / folder, target)
        if corrected:
            correct(target)

    def tick(self) -> str:
        context = build_sensor_context(cursor=self.cursor, instance=self.instance)
        request = landing(context)
        self.cursor = context.cursor
        if isinstance(request, SkipReason):
            return "no run"
        assert isinstance(request, RunRequest)
        first, last = request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]
        ok = run_part(first, last, "marts", self.instance, {RUN_KEY_TAG: request.run_key})
        self.runs.append((first[:7], last[:7], ok))
        return f"run {first[:7]}..{last[:7]}"


def test_a_duplicate_delivery_runs_nothing_again(settings, book, instance, outcomes):
    shipped = Landing(settings, book, instance)
    for folder in FOLDERS[:2]:
        shipped.deliver(folder)
    assert shipped.tick() == "run 2024-01..2024-02"
    before = dump(settings.warehouse)
    shipped.deliver(FOLDERS[1])  # the same bytes copied again
    seen = shipped.tick()
    outcomes.record("duplicate delivery of an extract", "no second run, tables unchanged",
                    f"{seen}, tables {'unchanged' if dump(settings.warehouse) == before else 'CHANGED'}")
    assert seen == "no run" and dump(settings.warehouse) == before


def test_a_corrected_extract_replaces_its_month_and_recomputes_later_ones(settings, book, instance, outcomes, monkeypatch,
                                                                       tmp_path):
    shipped = Landing(settings, book, instance)
    for folder in FOLDERS[:3]:
        shipped.deliver(folder)
    shipped.tick()
    for folder in FOLDERS[1:3]:  # February and March corrected and delivered again
        shipped.deliver(folder, corrected=True)
    seen = shipped.tick()
    mixed = tmp_path / "mixed"
    shutil.copytree(settings.landing_dir, mixed)
    after = dump(settings.warehouse)
    monkeypatch.setenv("RISKPACK_LANDING_DIR", str(mixed))
    monkeypatch.setenv("RISKPACK_WAREHOUSE", str(tmp_path / "fresh.duckdb"))
    assert run_part("2024-01-01", "2024-03-01", "marts")
    equal = after == dump(tmp_path / "fresh.duckdb")
    outcomes.record("corrected extracts re-delivered under the same dates", "months replaced; = a fresh load",
                    f"{seen}; {'equal' if equal else 'DIFFERENT'}")
    assert seen == "run 2024-02..2024-03" and equal


def test_late_and_out_of_order_months_end_as_if_in_order(settings, book, instance, outcomes, monkeypatch, tmp_path):
    shipped = Landing(settings, book, instance)
    steps = []
    for folder in (FOLDERS[2], FOLDERS[3]):  # March and April first: a backfill of older months to come
        shipped.deliver(folder)
    steps.append(shipped.tick())
    shipped.deliver(FOLDERS[0])  # January, far in the past; February still missing (a gap)
    steps.append(shipped.tick())
    shipped.deliver(FOLDERS[4])  # May before February: out of order
    steps.append(shipped.tick())
    shipped.deliver(FOLDERS[1])  # February lands last
    steps.append(shipped.tick())
    got = dump(settings.warehouse)
    expected = reference(book, monkeypatch, tmp_path)
    outcomes.record("months delivered Mar, Apr, Jan (gap Feb), May, Feb",
                    "gap runs fail naming the month; final = in order",
                    "; ".join(f"{s} {'ok' if ok else 'failed'}" for s, (_, _, ok) in zip(steps, shipped.runs))
                    + f"; final {'equal' if got == expected else 'DIFFERENT'}")
    # January's run stops at the gap (no February) and is owed: May's run starts from January and stops
    # there too; February's run, from January, completes everything
    assert [ok for _, _, ok in shipped.runs] == [True, False, False, True]
    assert steps[-1] == "run 2024-01..2024-05"
    assert got == expected
