"""The code location loads and is wired as the architecture says."""

from dagster import AssetKey, Definitions

from orchestration.checks import LEDGER_CHECKS
from orchestration.definitions import defs
from orchestration.ecl_checks import BLOCKING, ECL_CHECKS, WARNING
from orchestration.warehouse import POOL


def test_definitions_load():
    Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    assert {k.to_user_string() for k in graph.get_all_asset_keys()} >= {"core/ledger", "mart/delinquency"}
    assert defs.resolve_job_def("riskpack_monthly") is not None


def test_every_warehouse_step_is_in_the_single_writer_pool():
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        assert defs.resolve_assets_def(key).op.pool == POOL, key
    for check in [*LEDGER_CHECKS, *ECL_CHECKS]:
        assert check.op.pool == POOL


def test_ledger_checks_are_blocking():
    specs = [spec for check in LEDGER_CHECKS for spec in check.check_specs]
    assert {s.name for s in specs} == {"manifest_verified", "quarantine_rate", "rollforward_reconciled", "keys_unique"}
    assert all(s.blocking for s in specs)


def test_months_depend_on_earlier_months():
    graph = defs.resolve_asset_graph()
    ledger = AssetKey(["core", "ledger"])
    assert ledger in graph.get(ledger).parent_keys  # the load of m reads m−1's snapshot
    mapping = graph.get_partition_mapping(ledger, ledger)
    assert (mapping.start_offset, mapping.end_offset) == (-1, -1)
    mart = AssetKey(["mart", "delinquency"])
    assert (graph.get_partition_mapping(mart, ledger).start_offset) == -1


def test_ecl_controls_block_except_the_coverage_warning():
    specs = {spec.name: spec for check in ECL_CHECKS for spec in check.check_specs}
    assert set(specs) == set(BLOCKING) | set(WARNING)
    assert {name for name, spec in specs.items() if not spec.blocking} == {"coverage_increasing"}
    ecl = AssetKey(["mart", "ecl"])
    assert {s.asset_key for s in specs.values()} == {ecl}
    graph = defs.resolve_asset_graph()
    assert graph.get_partition_mapping(ecl, ecl).start_offset == -1  # the movement opens on m−1's allowance
    assert AssetKey(["mart", "roll_rates"]) in graph.get(ecl).parent_keys


def test_the_packs_step_renders_only_the_selected_pack(env, monkeypatch, tmp_path):
    """Both packs are one multi-asset (one pool of render workers); the UI may still ask for one.
    (`env`: the step opens the warehouse, which must be the test's own, not the checkout's.)"""
    from dagster import materialize

    from orchestration.assets import reports
    from orchestration.resources import RiskpackSettings

    asked = []

    def render_all(tasks, render):
        asked.extend(tasks)
        return [tmp_path / f"{pack}_{month:%Y-%m}_{locale}.{suffix}" for pack, month, locale in tasks
                for suffix in ("html", "pdf")]

    monkeypatch.setattr(reports, "render_all", render_all)
    result = materialize([reports.packs], selection=[reports.REGULATORY_PACK], partition_key="2024-03-01",
                         resources={"riskpack": RiskpackSettings()})
    assert result.success
    assert {(pack, month.isoformat()) for pack, month, _ in asked} == {("regulatory", "2024-03-01")}
    assert len(asked) == len(RiskpackSettings().get().locales)
    events = result.get_asset_materialization_events()
    assert [e.asset_key for e in events] == [reports.REGULATORY_PACK]
    assert str(events[0].materialization.metadata["latest_pdf"].value).endswith(".pdf")
