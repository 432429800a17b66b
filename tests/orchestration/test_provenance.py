"""Each month keeps the configuration its figures were computed with, and the packs print that one."""

import hashlib
from datetime import date

import duckdb
import polars as pl
import pytest
from dagster import AssetSelection, DagsterInstance, Definitions, define_asset_job, in_process_executor

from orchestration import steps
from orchestration.assets.reports import MANAGEMENT_PACK, REGULATORY_PACK
from orchestration.cli import RANGE_END_TAG, RANGE_START_TAG
from orchestration.config import Configuration, load_settings
from orchestration.definitions import defs
from orchestration.documents import pack_input, regulatory_input
from orchestration.provenance import computed_with
from orchestration.warehouse import connect, frame, write_month
from reports.i18n import phrase, setting_rows, setting_value
from tests.orchestration.test_materialize import run_range
from tests.portfolios import three_clean_months

FEBRUARY, MARCH = date(2024, 2, 1), date(2024, 3, 1)


def render_packs(month: str):
    """The packs alone, as the UI re-renders a month: no other step runs before them."""
    job = define_asset_job("packs_alone", selection=AssetSelection.assets(MANAGEMENT_PACK, REGULATORY_PACK),
                           executor_def=in_process_executor)
    definitions = Definitions(assets=list(defs.assets), jobs=[job], resources=defs.resources)
    with DagsterInstance.ephemeral() as instance:
        return definitions.resolve_job_def(job.name).execute_in_process(
            instance=instance, raise_on_error=False, tags={RANGE_START_TAG: month, RANGE_END_TAG: month})


def _recorded(settings, month: date) -> pl.DataFrame:
    with connect(settings.warehouse, read_only=True) as con:
        return frame(con, "read/month_configurations", {"month": month})


def test_a_month_rerun_under_a_new_configuration_prints_the_settings_it_was_computed_with(settings, env):
    """March computed again under CECL, the file then put back to IFRS 9: March's packs say CECL and that
    the configuration has changed since, February's say IFRS 9 and name the configuration in force."""
    shipped = settings.config_file.read_text(encoding="utf-8")
    three_clean_months(settings.landing_dir)
    first = run_range("2024-01-01", "2024-03-01")
    assert first.success
    shown = {event.asset_key.to_user_string(): event.materialization.metadata["configuration"].value
             for event in first.get_asset_materialization_events()  # what the Dagster UI shows of each step
             if event.asset_key.to_user_string() in steps.MONTH_STEPS}
    assert shown == {step: f"riskpack.toml, SHA-256 {settings.configuration.sha256}" for step in steps.MONTH_STEPS}
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:  # each month tied to the run's logs
        assert con.execute("select distinct run_id from audit.month_configuration").fetchall() == [(first.run_id,)]
    march = _recorded(settings, MARCH)
    assert set(march["step"]) == set(steps.MONTH_STEPS)
    assert set(march["config_sha256"]) == {settings.configuration.sha256}

    settings.config_file.write_text(shipped.replace('mode = "ifrs9"', 'mode = "cecl"'), encoding="utf-8")
    cecl = load_settings(env)
    rerun = run_range("2024-03-01", "2024-03-01")
    assert rerun.success
    settings.config_file.write_text(shipped, encoding="utf-8")
    rendering = load_settings(env)

    march = _recorded(settings, MARCH)
    assert march.height == len(steps.MONTH_STEPS)  # replaced, not added to
    assert set(march["config_sha256"]) == {cecl.configuration.sha256}
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from audit.configurations").fetchone() == (2,)
        assert con.execute("select distinct run_id from audit.month_configuration where month = ?",
                           [MARCH]).fetchall() == [(rerun.run_id,)]

    pack = pack_input(rendering, MARCH)
    assert pack.parameters["ECL mode"] == "CECL" and pack.expected_loss.mode == "cecl"
    assert pack.parameters_note == phrase("param.note.changed", file="riskpack.toml",
                                          digest=cecl.configuration.sha256)
    assert pack.lineage["configuration SHA-256"] == cecl.configuration.sha256
    assert "The configuration in force now differs" in setting_value(pack.parameters_note, "en")
    regulatory = regulatory_input(rendering, MARCH)
    assert regulatory.parameters["ECL mode"] == "CECL"
    assert regulatory.parameters_note == pack.parameters_note

    with duckdb.connect(str(settings.warehouse)) as con:  # a warehouse from before the record was kept
        con.execute("drop table audit.month_configuration")
    assert render_packs("2024-02-01").success
    appendix = (settings.output_dir / "2024-02" / "regulatory_2024-02_en.html").read_text(encoding="utf-8")
    assert "the warehouse holds no record of the configuration this month was computed with" in appendix
    assert run_range("2024-02-01", "2024-02-01").success

    february = pack_input(rendering, FEBRUARY)
    assert february.parameters == rendering.parameters() and february.expected_loss.mode == "ifrs9"
    assert february.parameters_note == phrase("param.note.computed", file="riskpack.toml",
                                              digest=rendering.configuration.sha256)


def test_a_failed_write_records_no_configuration(settings):
    """The record is written in the month's transaction: a step that fails keeps the previous one."""
    other = Configuration("other.toml", settings.configuration.text + "\n# changed\n")
    with connect(settings.warehouse) as con:
        write_month(con, MARCH, {}, steps.ECL, settings.configuration, "run-1")
        with pytest.raises(ValueError, match="not a month-partitioned"):
            write_month(con, MARCH, {"mart.no_such_table": pl.DataFrame({"x": [1]})}, steps.ECL, other, "run-2")
        kept = frame(con, "read/month_configurations", {"month": MARCH})
    assert kept.select("step", "config_file", "config_sha256").rows() == [
        (steps.ECL, "riskpack.toml", settings.configuration.sha256)]


def _record(*rows: tuple[str, Configuration]) -> pl.DataFrame:
    return pl.DataFrame({"step": [s for s, _ in rows], "config_file": [c.file_name for _, c in rows],
                         "config_sha256": [c.sha256 for _, c in rows], "config_text": [c.text for _, c in rows]},
                        schema={"step": pl.String, "config_file": pl.String, "config_sha256": pl.String,
                                "config_text": pl.String})


def _every_step(configuration: Configuration, **others: Configuration) -> pl.DataFrame:
    return _record(*((step, others.get(step.split("/")[1], configuration)) for step in steps.MONTH_STEPS))


def _wider(configuration: Configuration) -> Configuration:
    """The same file with a 9-month roll-rate window instead of 6."""
    return Configuration("riskpack.toml", configuration.text.replace("window = 6", "window = 9"))


def _unreadable(configuration: Configuration) -> Configuration:
    """The same file with an ECL mode this version does not know (as after a renamed setting)."""
    return Configuration("riskpack.toml", configuration.text.replace('mode = "ifrs9"', 'mode = "ifrs17"'))


def test_steps_computed_with_different_configurations_name_their_steps(settings):
    wider = _wider(settings.configuration)
    assert wider.text != settings.configuration.text
    computed = computed_with(settings, _every_step(settings.configuration, roll_rates=wider), {})
    parameters = dict(setting_rows(computed.parameters(), "en"))
    others = ", ".join(step for step in steps.MONTH_STEPS if step != steps.ROLL_RATES)
    assert parameters["roll-rate pooling window (months)"] == f"6 ({others}); 9 (mart/roll_rates)"
    assert parameters["bucket edges (DPD)"] == "0, 1, 30, 60, 90, 120, 150, 180"  # the same in both: once
    assert computed.of(steps.ROLL_RATES).roll_window == 9 and computed.of(steps.ECL).roll_window == 6
    assert setting_value(computed.note(), "zh-CN").startswith("本月各计算步骤使用了 2 套不同的配置")
    assert computed.lineage() == {"configuration SHA-256": f"{settings.configuration.sha256} ({others}); "
                                                           f"{wider.sha256} (mart/roll_rates)"}


def test_a_month_only_partly_on_record_says_which_steps_are_not(settings):
    """One step run again after an upgrade: the others' settings are unknown, and the note says so."""
    computed = computed_with(settings, _record((steps.ECL, settings.configuration)), {})
    unrecorded = [step for step in steps.MONTH_STEPS if step != steps.ECL]
    assert computed.note() == phrase("param.note.partial", steps=", ".join(unrecorded))
    assert computed.of(steps.LEDGER) is settings  # nothing on record for it: the rendering settings
    assert computed.lineage() == {"configuration SHA-256": f"{settings.configuration.sha256} (mart/ecl)"}


def test_a_month_with_no_record_or_an_unreadable_one_prints_the_rendering_configuration(settings):
    none = computed_with(settings, _record(), {})
    assert none.parameters() == settings.parameters() and none.lineage() == {}
    assert none.note() == phrase("param.note.rendering")
    broken = _unreadable(settings.configuration)
    unreadable = computed_with(settings, _every_step(broken), {})
    assert unreadable.parameters() == settings.parameters() and unreadable.of(steps.ECL) is settings
    assert setting_value(unreadable.note(), "en") == (
        f"This month was computed with the configuration of SHA-256 {broken.sha256}, which this version of "
        "riskpack cannot read (ecl.mode: 'ifrs9' or 'cecl', got 'ifrs17'); shown instead is the configuration "
        "when this document was rendered.")
    assert unreadable.lineage() == {"configuration SHA-256": broken.sha256}


def test_steps_with_a_configuration_this_version_cannot_read_are_named(settings):
    """One step run again under a second configuration, then a setting renamed: the readable
    configuration's settings are shown, and the note names the steps whose settings are not."""
    wider, broken = _wider(settings.configuration), _unreadable(settings.configuration)
    computed = computed_with(settings, _every_step(settings.configuration, roll_rates=wider, ecl=broken), {})
    assert dict(setting_rows(computed.parameters(), "en"))["roll-rate pooling window (months)"] == (
        f"6 ({', '.join(s for s in steps.MONTH_STEPS if s not in (steps.ROLL_RATES, steps.ECL))}); "
        "9 (mart/roll_rates)")
    assert setting_value(computed.note(), "en").endswith(
        "This version of riskpack cannot read the configuration used by mart/ecl (ecl.mode: 'ifrs9' or 'cecl', "
        "got 'ifrs17'), whose settings are therefore not shown.")
    assert setting_value(computed.note(), "zh-CN").startswith("本月各计算步骤使用了 3 套不同的配置")
    assert "当前版本的 riskpack 无法读取 mart/ecl 计算时所用的配置" in setting_value(computed.note(), "zh-CN")
    partial = computed_with(settings, _record((steps.ECL, broken), (steps.VINTAGE, settings.configuration)), {})
    assert setting_value(partial.note(), "en").startswith("Only some of this month's steps have a record")
    assert "cannot read the configuration used by mart/ecl" in setting_value(partial.note(), "en")
    everything = computed_with(settings, _every_step(broken, ecl=Configuration("riskpack.toml", "[x")), {})
    assert everything.parameters() == settings.parameters()
    assert setting_value(everything.note(), "en").startswith(
        f"This month was computed with the configuration of SHA-256 {broken.sha256}, ")


def test_a_record_with_an_smtp_login_reads_back_without_the_password(settings):
    """The password is a secret of the environment the job sends mail from, never stored; a month
    computed there prints its parameters wherever it is rendered."""
    mailing = Configuration("riskpack.toml", settings.configuration.text
                            .replace('smtp_host = ""', 'smtp_host = "mail.example.com"')
                            .replace('smtp_user = ""', 'smtp_user = "riskpack"')
                            .replace("window = 6", "window = 9"))
    computed = computed_with(settings, _every_step(mailing), {})
    assert computed.of(steps.ROLL_RATES).roll_window == 9
    assert computed.of(steps.ROLL_RATES).delivery.smtp_password is None
    assert setting_value(computed.note(), "en").startswith(
        f"The configuration this month's figures were computed with: riskpack.toml, SHA-256 {mailing.sha256}. "
        "The configuration in force now differs")


def test_the_digest_is_the_files_own(settings, env):
    """An auditor checks the printed digest with `sha256sum riskpack.toml`."""
    assert settings.configuration.sha256 == hashlib.sha256(settings.config_file.read_bytes()).hexdigest()
    settings.config_file.write_bytes(settings.config_file.read_bytes().replace(b"\n", b"\r\n"))  # saved on Windows
    crlf = load_settings(env)
    assert crlf.configuration.sha256 == hashlib.sha256(settings.config_file.read_bytes()).hexdigest()
    assert crlf.parameters() == settings.parameters()
