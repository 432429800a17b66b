"""The code location through the real Dagster webserver, as operators meet it: the UI's GraphQL
API sees every definition. (The daemon's run queue is exercised by the reliability suite's
concurrent backfill.)"""



from orchestration.definitions import defs
from tests.dagster_servers import dagster_home, environment, webserver

LOCATION = """
{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus locationOrLoadError {
  __typename ... on PythonError { message }
  ... on RepositoryLocation { repositories { name jobs { name } schedules { name cronSchedule executionTimezone }
    sensors { name } assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name blocking } } } }
} } } } } } }
"""


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
