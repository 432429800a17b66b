"""Twelve months backfilled from the UI's GraphQL API as separate runs, all queued at once, executed
by the real daemon's run queue: every run succeeds, no lock error, and the warehouse equals one
run over the twelve months in order. The backfill is of the `riskpack_marts` job (loads and
marts; the packs are rendered by the same code in every other job test)."""

import time
from datetime import date

import pytest
from dagster import DagsterInstance

from orchestration.cli import RANGE_END_TAG, RANGE_START_TAG
from orchestration.definitions import defs
from simulator.portfolio import SimulationParams, simulate
from tests.dagster_servers import daemon, dagster_home, environment, webserver
from tests.warehouse_dump import dump

BACKFILL = """
mutation($params: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $params) {
  __typename ... on LaunchBackfillSuccess { backfillId launchedRunIds } ... on PythonError { message } } }
"""
RUNS = """
query($id: String!) { runsOrError(filter: {tags: [{key: "dagster/backfill", value: $id}]}) {
  ... on Runs { results { runId status } } } }
"""
MONTHS = [date(2024, m, 1).isoformat() for m in range(1, 13)]
SELECTOR = {"partitionSetName": "riskpack_marts_partition_set",
            "repositorySelector": {"repositoryName": "__repository__",
                                   "repositoryLocationName": "orchestration.definitions"}}


def paths(root) -> dict[str, str]:
    return {"RISKPACK_LANDING_DIR": str(root / "landing"), "RISKPACK_WAREHOUSE": str(root / "warehouse.duckdb"),
            "RISKPACK_OUTPUT_DIR": str(root / "reports"), "RISKPACK_OUTBOX": str(root / "outbox")}


@pytest.fixture
def book(tmp_path_factory):
    landing = tmp_path_factory.mktemp("book") / "landing"
    simulate(SimulationParams(accounts=200, months=12, first_month=date(2024, 1, 1), seed=11), landing,
             progress=False)
    return landing


def test_twelve_months_as_concurrent_queued_runs_equal_one_run_in_order(tmp_path, book, monkeypatch, outcomes):
    sequential, queued = tmp_path / "sequential", tmp_path / "queued"
    for root in (sequential, queued):
        root.mkdir()
        (root / "landing").symlink_to(book, target_is_directory=True)
    for key, value in paths(sequential).items():
        monkeypatch.setenv(key, value)
    with DagsterInstance.ephemeral() as instance:
        assert defs.resolve_job_def("riskpack_marts").execute_in_process(
            instance=instance, tags={RANGE_START_TAG: MONTHS[0], RANGE_END_TAG: MONTHS[-1]}).success

    env = environment(dagster_home(queued), **paths(queued))
    with webserver(env, queued / "webserver.log") as graphql, daemon(env, queued / "daemon.log"):
        launched = graphql(BACKFILL, {"params": {"selector": SELECTOR, "partitionNames": MONTHS,
                                                 "forceSynchronousSubmission": True}})["launchPartitionBackfill"]
        assert launched["__typename"] == "LaunchBackfillSuccess", launched
        deadline = time.monotonic() + 900
        while True:
            runs = graphql(RUNS, {"id": launched["backfillId"]})["runsOrError"]["results"]
            if all(r["status"] in ("SUCCESS", "FAILURE", "CANCELED") for r in runs) or time.monotonic() > deadline:
                break
            time.sleep(2)
    log = (queued / "daemon.log").read_text()
    statuses = sorted(r["status"] for r in runs)
    equal = dump(queued / "warehouse.duckdb") == dump(sequential / "warehouse.duckdb")
    outcomes.record("12 months backfilled as concurrent queued runs",
                    "all succeed, no lock error, tables = one run in order",
                    f"{statuses.count('SUCCESS')} of {len(launched['launchedRunIds'])} succeeded; "
                    f"lock errors {log.count('Conflicting lock')}; tables {'equal' if equal else 'DIFFERENT'}")
    assert len(launched["launchedRunIds"]) == 12 and statuses == ["SUCCESS"] * 12, log[-3000:]
    assert "Conflicting lock" not in log
    assert equal
