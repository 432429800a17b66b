"""The nightly schedule, the landing sensor and the failure alert, evaluated as Dagster evaluates them."""

import json
import os
import time
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from dagster import (
    DagsterEventType,
    DagsterInstance,
    DagsterRun,
    DagsterRunStatus,
    RunRequest,
    SkipReason,
    build_run_status_sensor_context,
    build_schedule_context,
    build_sensor_context,
    instance_for_test,
)

from orchestration.automation import (
    FINALISES_TAG,
    RUN_KEY_TAG,
    failure_alert,
    landing,
    nightly,
    nightly_plan,
)
from orchestration.cli import RANGE_END_TAG, RANGE_START_TAG
from orchestration.definitions import defs
from tests.ledger_builder import Extract
from tests.portfolios import three_clean_months
from tests.smtp_server import Inbox, smtp_config, smtp_server

FIRST = date(2023, 11, 1)


@pytest.mark.parametrize(("today", "extracts", "finalised", "expected"), [
    # 2 March: February's month-end extract (29th, a leap year) has landed → finalise it; no March yet
    (date(2024, 3, 2), [date(2024, 2, 29)], False, (date(2024, 2, 1), date(2024, 2, 1), date(2024, 2, 1))),
    # a March extract too: one run, February then March
    (date(2024, 3, 2), [date(2024, 2, 29), date(2024, 3, 1)], False,
     (date(2024, 2, 1), date(2024, 3, 1), date(2024, 2, 1))),
    # February already finalised by a successful run: refresh March only
    (date(2024, 3, 2), [date(2024, 2, 29), date(2024, 3, 1)], True, (date(2024, 3, 1), date(2024, 3, 1), None)),
    # February only month-to-date (20th): nothing to finalise, March refreshed
    (date(2024, 3, 2), [date(2024, 2, 20), date(2024, 3, 1)], False, (date(2024, 3, 1), date(2024, 3, 1), None)),
    # nothing for March, February not final: no run
    (date(2024, 3, 2), [date(2024, 2, 20)], False, None),
    # the month before the first partition is never finalised
    (date(2023, 11, 2), [date(2023, 10, 31), date(2023, 11, 1)], False, (date(2023, 11, 1), date(2023, 11, 1), None)),
])
def test_nightly_plan(today, extracts, finalised, expected):
    plan = nightly_plan(today, extracts, FIRST, finalised)
    assert (None if plan is None else (plan.first, plan.last, plan.finalises)) == expected


def at_two_in_shanghai(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_schedule_finalises_a_month_once(settings):
    three_clean_months(settings.landing_dir)
    with instance_for_test() as instance:  # the schedule context needs an instance it can reopen
        request = nightly(build_schedule_context(instance=instance,
                                                 scheduled_execution_time=at_two_in_shanghai(date(2024, 4, 1))))
        assert isinstance(request, RunRequest)
        assert request.tags[RANGE_START_TAG] == request.tags[RANGE_END_TAG] == "2024-03-01"
        assert request.tags[FINALISES_TAG] == "2024-03-01"
        result = defs.resolve_job_def("riskpack_monthly").execute_in_process(
            instance=instance, tags={RANGE_START_TAG: "2024-01-01", RANGE_END_TAG: "2024-03-01",
                                     FINALISES_TAG: "2024-03-01"})
        assert result.success
        later = nightly(build_schedule_context(instance=instance,
                                               scheduled_execution_time=at_two_in_shanghai(date(2024, 4, 2))))
        assert isinstance(later, SkipReason)  # finalised, and no April extract to refresh


@pytest.fixture
def instance():
    with instance_for_test() as instance:  # where the sensor looks up the runs it requested
        yield instance


def succeeded(instance, request: RunRequest) -> None:
    """What the daemon leaves behind when the requested run completes: a successful run with its key."""
    instance.add_run(DagsterRun(job_name="riskpack_monthly", run_id=str(uuid.uuid4()), status=DagsterRunStatus.SUCCESS,
                                tags={RUN_KEY_TAG: request.run_key}))


def evaluate(instance, cursor: str | None):
    context = build_sensor_context(cursor=cursor, instance=instance)
    result = landing(context)
    return result, context.cursor


def test_the_sensor_requests_one_run_per_new_or_changed_folder(settings, instance):
    three_clean_months(settings.landing_dir)
    first, cursor = evaluate(instance, None)
    succeeded(instance, first)
    assert isinstance(first, RunRequest)
    assert (first.tags[RANGE_START_TAG], first.tags[RANGE_END_TAG]) == ("2024-01-01", "2024-03-01")
    assert sorted(json.loads(cursor)["folders"]) == ["2024-01-31", "2024-02-29", "2024-03-31"]
    again, same = evaluate(instance, cursor)
    assert isinstance(again, SkipReason) and same == cursor

    # a corrected February re-delivered under the same date: February and every later month again
    february = settings.landing_dir / "2024-02-29"
    (february / "accounts.csv").write_text((february / "accounts.csv").read_text().replace("app", "web"))
    Extract.refresh_manifest(february)
    corrected, cursor = evaluate(instance, cursor)
    assert (corrected.tags[RANGE_START_TAG], corrected.tags[RANGE_END_TAG]) == ("2024-02-01", "2024-03-01")
    assert corrected.run_key != first.run_key
    # that run fails: the next request starts no later than February again
    instance.add_run(DagsterRun(job_name="riskpack_monthly", run_id=str(uuid.uuid4()), status=DagsterRunStatus.FAILURE,
                                tags={RUN_KEY_TAG: corrected.run_key}))
    (settings.landing_dir / "2024-03-31" / "accounts.csv").write_text(
        (settings.landing_dir / "2024-03-31" / "accounts.csv").read_text().replace("app", "web"))
    Extract.refresh_manifest(settings.landing_dir / "2024-03-31")
    retried, _ = evaluate(instance, cursor)
    assert retried.tags[RANGE_START_TAG] == "2024-02-01"


def test_a_folder_being_copied_waits_until_complete(settings, instance):
    three_clean_months(settings.landing_dir)
    request, cursor = evaluate(instance, None)
    succeeded(instance, request)
    source = settings.landing_dir / "2024-03-31"
    april = settings.landing_dir / "2024-04-30"
    april.mkdir()
    # data files arriving before the manifest
    for name in ("accounts.csv", "account_months.csv"):
        (april / name).write_bytes((source / name).read_bytes())
    waiting, unchanged = evaluate(instance, cursor)
    assert isinstance(waiting, SkipReason) and "2024-04-30" in waiting.skip_message and unchanged == cursor
    # the manifest is there but one file is still half-copied: its checksum does not match yet
    manifest = json.loads((source / "manifest.json").read_text())
    manifest["as_of_date"] = "2024-04-30"
    (april / "manifest.json").write_text(json.dumps(manifest))
    postings = (source / "postings.csv").read_bytes()
    (april / "postings.csv").write_bytes(postings[: len(postings) // 2])
    assert isinstance(evaluate(instance, cursor)[0], SkipReason)
    # the copy completes
    (april / "postings.csv").write_bytes(postings)
    ready, _ = evaluate(instance, cursor)
    assert isinstance(ready, RunRequest) and ready.tags[RANGE_START_TAG] == "2024-04-01"


def test_an_incomplete_folder_left_alone_goes_to_the_loader_to_be_refused(settings, instance):
    three_clean_months(settings.landing_dir)
    request, cursor = evaluate(instance, None)
    succeeded(instance, request)
    broken = settings.landing_dir / "2024-04-30"
    broken.mkdir()
    (broken / "manifest.json").write_text('{"as_of_date": "2024-04-30", "files": {}}')
    assert isinstance(evaluate(instance, cursor)[0], SkipReason)
    old = time.time() - settings.sensor_settle_seconds - 60
    for path in [broken, *broken.iterdir()]:
        os.utime(path, (old, old))
    handed_over, _ = evaluate(instance, cursor)
    assert isinstance(handed_over, RunRequest) and handed_over.tags[RANGE_START_TAG] == "2024-04-01"


def test_a_failed_run_emails_the_operators_its_step_and_error(settings, tmp_path, monkeypatch):
    months = three_clean_months(settings.landing_dir)
    (settings.landing_dir / "2024-01-31" / "postings.csv").write_text("not,the,header\n")  # checksum now wrong
    inbox = Inbox()
    with smtp_server(inbox) as port, DagsterInstance.ephemeral() as instance:
        monkeypatch.setenv("RISKPACK_CONFIG", str(smtp_config(tmp_path, port)))
        result = defs.resolve_job_def("riskpack_monthly").execute_in_process(
            instance=instance, raise_on_error=False,
            tags={RANGE_START_TAG: "2024-01-01", RANGE_END_TAG: months[-1].isoformat()})
        assert not result.success
        [failure] = instance.all_logs(result.run_id, of_type=DagsterEventType.RUN_FAILURE)
        context = build_run_status_sensor_context(
            sensor_name="failure_alert", dagster_event=failure.dagster_event, dagster_instance=instance,
            dagster_run=instance.get_run_by_id(result.run_id)).for_run_failure()
        failure_alert(context)
    [alert] = inbox.messages
    assert alert["To"] == "riskpack-ops@example.com"
    assert result.run_id[:8] in alert["Subject"]
    body = alert.get_content()
    assert result.run_id in body and "Months: 2024-01 to 2024-03" in body
    assert "Step core__ledger failed:" in body and "checksum mismatch" in body
