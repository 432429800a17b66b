"""What starts runs without an operator (operations.md): the nightly schedule, the landing
sensor, and the alert on a failed run.

Every run they request covers a *range* of months in month order: a month's load and marts read
the month before it, so a reload of month m is followed, in the same run, by every later month
already landed. The instance runs one run at a time (max_concurrent_runs 1 in
.dagster_home/dagster.yaml), so runs never interleave their months either.
"""

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dagster import (
    DagsterRunStatus,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunRequest,
    RunsFilter,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SkipReason,
    run_failure_sensor,
    schedule,
    sensor,
)

from orchestration.assets.delivery import month_end
from orchestration.cli import RANGE_END_TAG, RANGE_START_TAG
from orchestration.config import Settings, load_settings
from orchestration.ingest.landing import list_extracts, month_of
from orchestration.ingest.manifest import (
    ExtractRefused,
    read_manifest,
    verify_checksums,
)
from orchestration.jobs import MONTHLY_JOB
from orchestration.mail import build_message, deliver
from orchestration.partitions import partition_key
from transforms.months import add_months

FINALISES_TAG = "riskpack/finalises"
RUN_KEY_TAG = "dagster/run_key"  # set by the daemon on every run a sensor or schedule requests
TRIGGER_TAG = "riskpack/trigger"
SETTINGS = load_settings()  # cron and time zone are fixed when the code location loads


# ---------------------------------------------------------------------------------------------- nightly

@dataclass(frozen=True)
class NightlyPlan:
    first: date
    last: date
    finalises: date | None  # the previous month, when this run is its first with the month-end extract


def nightly_plan(today: date, extract_dates: list[date], first_month: date,
                 previous_finalised: bool) -> NightlyPlan | None:
    """Refresh the current month when it has an extract; also finalise the previous month when its
    month-end extract has landed and no successful run has finalised it yet (one run, in order)."""
    current = month_of(today)
    previous = add_months(current, -1)
    has_current = any(month_of(d) == current for d in extract_dates)
    finalise = (not previous_finalised and previous >= first_month and month_end(previous) in extract_dates)
    if not (has_current or finalise):
        return None
    return NightlyPlan(first=previous if finalise else current, last=current if has_current else previous,
                       finalises=previous if finalise else None)


def range_tags(first: date, last: date) -> dict[str, str]:
    return {RANGE_START_TAG: partition_key(first), RANGE_END_TAG: partition_key(last)}


@schedule(job=MONTHLY_JOB, cron_schedule=SETTINGS.schedule_cron, execution_timezone=SETTINGS.schedule_timezone,
          default_status=DefaultScheduleStatus.STOPPED,
          description="Nightly: refreshes the current month from its newest extract and, on the first night "
                      "after a month-end extract lands, finalises the previous month (marts, packs, delivery).")
def nightly(context: ScheduleEvaluationContext):
    settings = load_settings()
    today = context.scheduled_execution_time.date()
    previous = add_months(month_of(today), -1)
    finalised = context.instance.get_runs(
        filters=RunsFilter(tags={FINALISES_TAG: partition_key(previous)}, statuses=[DagsterRunStatus.SUCCESS]),
        limit=1)
    plan = nightly_plan(today, [d for d, _ in list_extracts(settings.landing_dir)], settings.first_month,
                        bool(finalised))
    if plan is None:
        return SkipReason(f"no extract for {month_of(today):%Y-%m} and nothing to finalise")
    tags = {**range_tags(plan.first, plan.last), TRIGGER_TAG: "nightly"}
    if plan.finalises:
        tags[FINALISES_TAG] = partition_key(plan.finalises)
    return RunRequest(run_key=f"nightly-{today.isoformat()}", tags=tags)


# ---------------------------------------------------------------------------------------------- landing

def fingerprint(folder: Path) -> str | None:
    """A cheap signature of a folder's content, or None while it has no manifest: the manifest's
    bytes (which carry every file's sha256) and the files' names and sizes. The same extract
    delivered twice has the same fingerprint (no second run); a corrected one does not."""
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return None
    digest = hashlib.sha256(manifest.read_bytes())
    for path in sorted(folder.iterdir()):
        digest.update(f"{path.name}:{path.stat().st_size}".encode())
    return digest.hexdigest()


def complete(folder: Path, as_of: date) -> bool:
    """Manifest present and every listed file there with its checksum: the copy has finished."""
    try:
        verify_checksums(read_manifest(folder, as_of))
    except ExtractRefused:
        return False
    return True


def settled(folder: Path, seconds: float, now: float) -> bool:
    """Nothing in the folder changed for `seconds`: an incomplete folder is now a bad delivery, not a
    copy in progress, and is handed to the loader, which refuses it naming the fault."""
    return all(now - p.stat().st_mtime >= seconds for p in [folder, *folder.iterdir()])


def landing_plan(settings: Settings, seen: dict[str, str], now: float) -> tuple[list[str], dict[str, str], list[str]]:
    """(new or changed folders ready to load, the updated cursor, folders still being copied)."""
    ready, waiting, cursor = [], [], dict(seen)
    for as_of, folder in list_extracts(settings.landing_dir):
        if month_of(as_of) < settings.first_month:
            continue
        signature = fingerprint(folder)
        if signature is not None and seen.get(folder.name) == signature:
            continue
        if signature is not None and (complete(folder, as_of) or settled(folder, settings.sensor_settle_seconds, now)):
            ready.append(folder.name)
            cursor[folder.name] = signature
        else:
            waiting.append(folder.name)
    return ready, cursor, waiting


def unfinished(context: SensorEvaluationContext, requested: list[dict]) -> list[dict]:
    """The sensor's earlier requests whose run has not succeeded yet (queued, running, or failed):
    their months are owed a complete run, so the next request starts no later than they did."""
    owed = []
    for request in requested:
        runs = context.instance.get_runs(filters=RunsFilter(tags={RUN_KEY_TAG: request["run_key"]}), limit=1)
        if not runs or runs[0].status != DagsterRunStatus.SUCCESS:
            owed.append(request)
    return owed


@sensor(job=MONTHLY_JOB, minimum_interval_seconds=30, default_status=DefaultSensorStatus.STOPPED,
        description="Watches the landing directory: each new or changed extract folder, once completely "
                    "copied, requests one run from its month (or an earlier month a failed run still owes) "
                    "through the last landed month.")
def landing(context: SensorEvaluationContext):
    settings = load_settings()
    state = json.loads(context.cursor or "{}")
    ready, folders, waiting = landing_plan(settings, state.get("folders", {}), time.time())
    if not ready:
        return SkipReason(f"no new complete extract; still copying: {', '.join(waiting)}" if waiting
                          else "no new extract")
    owed = unfinished(context, state.get("requested", []))
    first = min([month_of(date.fromisoformat(name)) for name in ready]
                + [date.fromisoformat(r["first"]) for r in owed])
    last = max(month_of(d) for d, _ in list_extracts(settings.landing_dir))
    key = "extracts-" + hashlib.sha256(json.dumps({n: folders[n] for n in sorted(ready)}).encode()).hexdigest()[:16]
    requested = [*owed, {"run_key": key, "first": first.isoformat()}]
    context.update_cursor(json.dumps({"folders": folders, "requested": requested}, sort_keys=True))
    return RunRequest(run_key=key, tags={**range_tags(first, last), TRIGGER_TAG: "landing:" + ",".join(sorted(ready))})


# ---------------------------------------------------------------------------------------------- alert

def alert_text(context: RunFailureSensorContext) -> tuple[str, str]:
    """Subject and body: which run, which months, what started it, and each failed step's error."""
    run = context.dagster_run
    months = [run.tags.get(tag) for tag in (RANGE_START_TAG, RANGE_END_TAG, "dagster/partition") if run.tags.get(tag)]
    lines = [f"riskpack run {run.run_id} of job {run.job_name} failed.",
             f"Months: {' to '.join(m[:7] for m in months) or 'none recorded'}",
             f"Trigger: {run.tags.get(TRIGGER_TAG, 'manual')}", ""]
    steps = context.get_step_failure_events()
    for event in steps:
        error = event.event_specific_data.error
        lines += [f"Step {event.step_key} failed:", error.to_string() if error else "(no error recorded)", ""]
    if not steps:
        lines.append(f"The run failed outside any step: {context.failure_event.message}")
    return f"[riskpack] run failed: {run.job_name} {run.run_id[:8]}", "\n".join(lines)


@run_failure_sensor(name="failure_alert", default_status=DefaultSensorStatus.STOPPED, monitor_all_code_locations=False,
                    description="Emails the operators the failed run, its steps and their errors.")
def failure_alert(context: RunFailureSensorContext) -> None:
    settings = load_settings()
    subject, body = alert_text(context)
    deliver(build_message(settings.delivery.sender, settings.delivery.operators, subject, body), settings.delivery,
            log=context.log.warning)
