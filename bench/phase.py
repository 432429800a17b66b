"""One phase of the benchmark, in a process of its own: `python -m bench.phase PHASE --result FILE …`.

Paths come from the environment (`RISKPACK_LANDING_DIR`, `RISKPACK_WAREHOUSE`, `RISKPACK_OUTPUT_DIR`,
`RISKPACK_OUTBOX`), as for any run of the job. The process writes to `--result` the seconds of its
work proper (`work_s`: after the imports and set-up, the part the phase is about) and what it did;
the parent measures the whole process (wall, CPU, peak RSS).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import threading
import time
import warnings
from datetime import date
from pathlib import Path
from typing import Self

# Every column as text, in the loader's pinned dialect (sql/staging/read_csv_raw.sql) without what
# only the loader needs (store_rejects, line numbers, a serial read): those are the pipeline's cost.
CSV_SOURCE = ("read_csv($path, header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
              "columns = $columns)")
PARQUET_SOURCE = "(select columns(*)::varchar from read_parquet($path))"
# count(*) alone reads only Parquet metadata and lets the CSV reader skip values: the length of every
# value makes the scan read each of them, as text.
SCAN = "select count(*), sum(length(columns(*))) from {source}"
CTAS = "create table {table} as select * from {source}"


def _extract_files(landing: Path, first: date | None = None, last: date | None = None) -> list:
    """Every data file of every extract in the landing directory (of the months first … last when
    given), in month order (FileSpecs)."""
    from orchestration.ingest.landing import list_extracts
    from orchestration.ingest.manifest import read_manifest

    return [spec for as_of, folder in list_extracts(landing)
            if first is None or first <= as_of.replace(day=1) <= last
            for spec in read_manifest(folder, as_of).files.values()]


def _header(path: Path, file_format: str) -> list[str]:
    opener = gzip.open if file_format == "csv.gz" else open
    with opener(path, "rb") as handle:
        line = handle.readline().decode("utf-8").lstrip("\ufeff").rstrip("\r\n")
    return [name.strip().strip('"') for name in line.split(",")]


def _source(spec) -> tuple[str, dict]:
    if spec.file_format == "parquet":
        return PARQUET_SOURCE, {"path": str(spec.path)}
    return CSV_SOURCE, {"path": str(spec.path),
                        "columns": {c: "VARCHAR" for c in _header(spec.path, spec.file_format)}}


def floor(ctas: bool) -> dict:
    import duckdb

    from orchestration.config import load_settings

    settings = load_settings()
    files = _extract_files(settings.landing_dir)
    if not files:
        raise SystemExit(f"no extracts in {settings.landing_dir}")
    target = ":memory:"
    if ctas:
        target = str(settings.warehouse)
        for stale in (settings.warehouse, settings.warehouse.with_name(settings.warehouse.name + ".wal")):
            stale.unlink(missing_ok=True)
    sources = [_source(spec) for spec in files]   # headers read before the clock starts
    rows = 0
    started = time.perf_counter()
    con = duckdb.connect(target)
    for number, (source, params) in enumerate(sources, 1):
        if ctas:
            table = f"t_{number:05d}"
            con.execute(CTAS.format(table=table, source=source), params)
            rows += con.execute(f"select count(*) from {table}").fetchone()[0]
        else:
            rows += con.execute(SCAN.format(source=source), params).fetchone()[0]
    con.close()   # a file database checkpoints on close: part of writing the tables
    work = time.perf_counter() - started
    size = settings.warehouse.stat().st_size if ctas else None
    return {"work_s": work, "files": len(files), "bytes": sum(s.path.stat().st_size for s in files),
            "rows": rows, "database_bytes": size}


def simulate(accounts: int, months: int, file_format: str) -> dict:
    from orchestration.config import load_settings
    from simulator.portfolio import SimulationParams, simulate

    settings = load_settings()
    params = SimulationParams(accounts=accounts, months=months, first_month=settings.first_month,
                              seed=settings.demo_seed, file_format=file_format,
                              charge_off_dpd=settings.charge_off_dpd)
    started = time.perf_counter()
    folders = simulate(params, settings.landing_dir, progress=True)
    work = time.perf_counter() - started
    files = _extract_files(settings.landing_dir)
    return {"work_s": work, "extracts": len(folders), "files": len(files),
            "bytes": sum(s.path.stat().st_size for s in files)}


def _step_spans(instance, run_id: str) -> dict[str, tuple[float, float]]:
    """Start and end (epoch seconds) of each step of the run (an asset or a check over the run's
    whole month range), longest first."""
    from dagster import DagsterEventType

    started: dict[str, float] = {}
    spans: dict[str, tuple[float, float]] = {}
    for entry in instance.all_logs(run_id, of_type={DagsterEventType.STEP_START, DagsterEventType.STEP_SUCCESS,
                                                    DagsterEventType.STEP_FAILURE}):
        if entry.dagster_event.event_type == DagsterEventType.STEP_START:
            started[entry.step_key] = entry.timestamp
        elif entry.step_key in started:
            spans[entry.step_key] = (started[entry.step_key], entry.timestamp)
    return dict(sorted(spans.items(), key=lambda item: item[1][0] - item[1][1]))


class RssSampler:
    """The process's resident memory every 50 ms, so each step's peak can be told apart: the
    phase's own peak (`getrusage`) says how high, not where. Linux only (`/proc`); elsewhere empty."""

    def __init__(self):
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        statm = Path("/proc/self/statm")
        if not statm.exists():
            return
        page_mb = os.sysconf("SC_PAGE_SIZE") / 2**20
        while not self._stop.wait(0.05):
            self.samples.append((time.time(), int(statm.read_text().split()[1]) * page_mb))

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def peak_mb(self, start: float, end: float) -> float | None:
        inside = [rss for at, rss in self.samples if start <= at <= end]
        return round(max(inside)) if inside else None


def job(groups: list[str], first: date, last: date) -> dict:
    """The job's asset groups over [first, last] as one in-process Dagster run, as `riskpack run` does."""
    from dagster import (
        AssetSelection,
        DagsterEventType,
        DagsterInstance,
        Definitions,
        define_asset_job,
        in_process_executor,
    )

    from orchestration.cli import RANGE_END_TAG, RANGE_START_TAG
    from orchestration.config import load_settings
    from orchestration.definitions import defs
    from orchestration.partitions import partition_key

    settings = load_settings()
    selected = define_asset_job(f"bench_{'_'.join(groups)}", selection=AssetSelection.groups(*groups),
                                executor_def=in_process_executor)
    definitions = Definitions(assets=list(defs.assets), asset_checks=list(defs.asset_checks), jobs=[selected],
                              resources=defs.resources)
    job_def = definitions.resolve_job_def(selected.name)
    pdfs_before = set(settings.output_dir.rglob("*.pdf"))
    with DagsterInstance.ephemeral() as instance, RssSampler() as rss:
        started = time.perf_counter()
        result = job_def.execute_in_process(
            instance=instance, raise_on_error=False,
            tags={RANGE_START_TAG: partition_key(first), RANGE_END_TAG: partition_key(last)},
            run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}})
        work = time.perf_counter() - started
        spans = _step_spans(instance, result.run_id)
    steps = {step: end - start for step, (start, end) in spans.items()}
    step_peaks = {step: rss.peak_mb(start, end) for step, (start, end) in spans.items()}
    if not result.success:
        for event in result.all_events:
            if event.event_type == DagsterEventType.STEP_FAILURE:
                print(f"step {event.step_key} failed: {event.event_specific_data.error.message.strip()}",
                      file=sys.stderr)
        raise SystemExit(f"the {'+'.join(groups)} run over {first:%Y-%m} … {last:%Y-%m} failed")
    documents = sorted(str(p) for p in set(settings.output_dir.rglob("*.pdf")) - pdfs_before)
    per_document = {step: seconds / len(documents) for step, seconds in steps.items()} if documents else {}
    extract_bytes = sum(spec.path.stat().st_size for spec in _extract_files(settings.landing_dir, first, last))
    return {"work_s": work, "first_month": first.isoformat(), "last_month": last.isoformat(), "extract_bytes": extract_bytes,
            "groups": groups, "locales": list(settings.locales), "steps": steps, "step_peak_rss_mb": step_peaks,
            "documents": documents,
            "seconds_per_document": per_document}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.phase", description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=("simulate", "floor_scan", "floor_ctas", "job"))
    parser.add_argument("--result", type=Path, required=True, help="where to write the phase's JSON")
    parser.add_argument("--accounts", type=int)
    parser.add_argument("--months", type=int)
    parser.add_argument("--format", default="csv")
    parser.add_argument("--groups", default="ingest,risk", help="job: comma-separated asset groups")
    parser.add_argument("--first", type=date.fromisoformat, help="job: first month, YYYY-MM-01")
    parser.add_argument("--last", type=date.fromisoformat, help="job: last month, YYYY-MM-01")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")   # Dagster's beta/preview notices
    if args.phase == "simulate":
        result = simulate(args.accounts, args.months, args.format)
    elif args.phase == "job":
        result = job(args.groups.split(","), args.first, args.last)
    else:
        result = floor(ctas=args.phase == "floor_ctas")
    args.result.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
