"""The code location through the real Dagster webserver and daemon, as operators meet it:
the UI's GraphQL API sees every definition, and a backfill launched as separate runs through the
run queue gives exactly the tables of running the months in order."""

import time
from datetime import date

import pytest
from dagster import DagsterInstance

from orchestration.cli import RANGE_END_TAG, RANGE_START_TAG
from orchestration.definitions import defs
from simulator.portfolio import SimulationParams, simulate
from tests.dagster_servers import daemon, dagster_home, environment, webserver
from tests.warehouse_dump import dump

LOCATION = """
{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus locationOrLoadError {
  __typename ... on PythonError { message }
  ... on RepositoryLocation { repositories { name jobs { name } schedules { name cronSchedule executionTimezone }
    sensors { name } assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name blocking } } } }
} } } } } } }
"""
BACKFILL = """
mutation($params: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $params) {
  __typename ... on LaunchBackfillSuccess { backfillId launchedRunIds } ... on PythonError { message } } }
"""
RUNS = """
query($id: String!) { runsOrError(filter: {tags: [{key: "dagster/backfill", value: $id}]}) {
  ... on Runs { results { runId status tags { key value } } } } }
"""
MONTHS = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]


def paths(root) -> dict[str, str]:
    return {"RISKPACK_LANDING_DIR": str(root / "landing"), "RISKPACK_WAREHOUSE": str(root / "warehouse.duckdb"),
            "RISKPACK_OUTPUT_DIR": str(root / "reports"), "RISKPACK_OUTBOX": str(root / "outbox")}


def test_the_ui_sees_every_definition(tmp_path):
    env = environment(dagster_home(tmp_path), **paths(tmp_path))
    with webserver(env, tmp_path / "webserver.log") as graphql:
        [entry] = graphql(LOCATION)["workspaceOrError"]["locationEntries"]
    assert entry["loadStatus"] == "LOADED", entry
    [repository] = entry["locationOrLoadError"]["repositories"]
    assert {j["name"] for j in repository["jobs"]} >= {"riskpack_monthly"}
    assert repository["schedules"] == [{"name": "nightly", "cronSchedule": "0 2 * * *",
                                        "executionTimezone": "Asia/Shanghai"}]
    assert {s["name"] for s in repository["sensors"]} == {"landing", "failure_alert"}
    assets = {"/".join(n["assetKey"]["path"]): {c["name"] for c in n["assetChecksOrError"]["checks"]}
              for n in repository["assetNodes"]}
    expected_keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert set(assets) == expected_keys
    assert assets["core/ledger"] == {"manifest_verified", "quarantine_rate", "rollforward_reconciled", "keys_unique"}
    assert "movement_ties" in assets["mart/ecl"]


@pytest.fixture
def small_book(tmp_path_factory):
    landing = tmp_path_factory.mktemp("book") / "landing"
    simulate(SimulationParams(accounts=400, months=4, first_month=date(2024, 1, 1), seed=11), landing,
             progress=False)
    return landing


def test_a_backfill_as_separate_queued_runs_equals_the_months_in_order(tmp_path, small_book, monkeypatch):
    sequential, queued = tmp_path / "sequential", tmp_path / "queued"
    for root in (sequential, queued):
        root.mkdir()
        (root / "landing").symlink_to(small_book, target_is_directory=True)
    for key, value in paths(sequential).items():
        monkeypatch.setenv(key, value)
    with DagsterInstance.ephemeral() as instance:
        assert defs.resolve_job_def("riskpack_monthly").execute_in_process(
            instance=instance, tags={RANGE_START_TAG: MONTHS[0], RANGE_END_TAG: MONTHS[-1]}).success

    env = environment(dagster_home(queued), **paths(queued))
    selector = {"partitionSetName": "riskpack_monthly_partition_set",
                "repositorySelector": {"repositoryName": "__repository__",
                                       "repositoryLocationName": "orchestration.definitions"}}
    with webserver(env, queued / "webserver.log") as graphql, daemon(env, queued / "daemon.log"):
        launched = graphql(BACKFILL, {"params": {"selector": selector, "partitionNames": MONTHS,
                                                 "forceSynchronousSubmission": True}})["launchPartitionBackfill"]
        assert launched["__typename"] == "LaunchBackfillSuccess", launched
        assert len(launched["launchedRunIds"]) == len(MONTHS)  # one run per month, all queued at once
        deadline = time.monotonic() + 600
        while True:
            runs = graphql(RUNS, {"id": launched["backfillId"]})["runsOrError"]["results"]
            if all(r["status"] in ("SUCCESS", "FAILURE", "CANCELED") for r in runs) or time.monotonic() > deadline:
                break
            time.sleep(2)
    assert sorted(r["status"] for r in runs) == ["SUCCESS"] * len(MONTHS), (queued / "daemon.log").read_text()[-3000:]
    assert "Conflicting lock" not in (queued / "daemon.log").read_text()
    assert dump(queued / "warehouse.duckdb") == dump(sequential / "warehouse.duckdb")
