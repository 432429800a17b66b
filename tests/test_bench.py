"""The benchmark command end to end on a tiny portfolio: every phase measured, the ratios computed.

Timings are never asserted: they depend on the machine and on what else runs on it.
"""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.cli import Bench, parse_args
from bench.measure import Measurement, fastest_of
from bench.report import _incremental_steps, probe_spread, ratios, targets

ROOT = Path(__file__).resolve().parent.parent
TIMED = {"floor_scan", "floor_ctas", "pipeline", "render", "incremental_12"}


def test_bench_on_a_tiny_portfolio(tmp_path):
    workdir, results = tmp_path / "work", tmp_path / "bench.json"
    # 12 months: month 12's incremental cost is measured, months 24 and 36 are skipped and said so
    done = subprocess.run([sys.executable, "-m", "bench", "--accounts", "300", "--months", "12",
                           "--runs", "2", "--workdir", str(workdir), "--json", str(results)],
                          check=False, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    data = json.loads(results.read_text(encoding="utf-8"))

    assert data["error"] is None
    assert data["params"]["accounts"] == 300 and data["params"]["months"] == 12
    assert set(data["phases"]) == TIMED
    assert set(data["not_timed"]) == {"simulate", "prepare_12"}
    for name, phase in {**data["phases"], **data["not_timed"]}.items():
        assert phase["wall_s"] > 0 and phase["work_s"] > 0, name
        assert phase["cpu_s"] > 0 and phase["peak_rss_mb"] > 0, name
        assert phase["work_s"] <= phase["wall_s"], name
        assert phase["info"]["probe_ms"] > 0, name   # the machine's speed, taken just before the phase
        assert phase["info"]["flush_s"] >= 0, name   # earlier phases' writes flushed before it
    floor = data["phases"]["floor_scan"]["info"]
    assert floor["files"] == 36 and floor["rows"] == data["phases"]["floor_ctas"]["info"]["rows"] > 0
    pipeline = data["phases"]["pipeline"]["info"]
    assert pipeline["steps"]["core__ledger"] > 0
    # each step's peak is sampled while it ran: a Python process with Dagster, DuckDB and Polars
    # loaded holds well over 50 MB, and no sample can exceed the phase's own peak
    peaks = [mb for mb in pipeline["step_peak_rss_mb"].values() if mb is not None]
    assert peaks and all(50 < mb <= data["phases"]["pipeline"]["peak_rss_mb"] + 1 for mb in peaks)  # MB, rounded
    render = data["phases"]["render"]
    assert render["info"]["documents"]
    # every phase of seconds ran twice, its figure the faster run, whole: its work, wall, CPU and
    # peak together; the pipeline ran once
    figures = ("wall_s", "work_s", "cpu_s", "peak_rss_mb")
    for name in ("floor_scan", "floor_ctas", "incremental_12", "render"):
        phase = data["phases"][name]
        fastest = min(phase["info"]["runs"], key=lambda run: run["work_s"])
        assert len(phase["info"]["runs"]) == 2, name
        assert {k: phase[k] for k in figures} == {k: fastest[k] for k in figures}, name
    assert "runs" not in data["phases"]["pipeline"]["info"]
    # each render from an empty reports folder (so each found its documents new); each month-12 run
    # loaded the same month
    assert all(run["info"]["documents"] == render["info"]["documents"] for run in render["info"]["runs"])
    assert len({run["info"]["extract_bytes"] for run in data["phases"]["incremental_12"]["info"]["runs"]}) == 1

    assert set(data["skipped"]) == {"incremental_24", "incremental_36"}
    assert "skipped: only 12 months simulated (needs 36)" in done.stdout
    ratios = data["ratios"]
    assert ratios["pipeline_over_floor_ctas"] > 0 and ratios["pipeline_over_floor_scan"] > 0
    assert ratios["incremental_36_over_12"] is None and ratios["incremental_24_over_12"] is None
    assert ratios["incremental_36_over_12_per_byte"] is None
    # each job phase knows the size of the extracts it loaded: a month of the pipeline's 36 files
    assert 0 < data["phases"]["incremental_12"]["info"]["extract_bytes"] < floor["bytes"] / 6
    results_by_name = {t["name"]: t["result"] for t in data["targets"]}
    assert results_by_name["incremental month 36 / month 12"] == "skipped"
    for name in ("pipeline / floor CTAS", "peak RSS of the job's phases", "render one month"):
        assert results_by_name[name] in ("PASS", "MISS"), name
    assert "the fastest of 2 run(s)" in done.stdout
    assert "pipeline / floor CTAS" in done.stdout and "peak RSS MB" in done.stdout
    assert data["probe_spread"] >= 1.0 and "the slowest took" in done.stdout

    # without --keep, what the run made in a given workdir is gone
    assert not (workdir / "landing").exists() and not list(workdir.glob("*.duckdb*"))


def _incremental(month: int, steps: dict[str, float], work_s: float = 1.0, extract_bytes: int = 1) -> Measurement:
    return Measurement(phase=f"incremental_{month}", wall_s=work_s, work_s=work_s, cpu_s=1, user_s=1, sys_s=0,
                       peak_rss_mb=1, info={"steps": steps, "extract_bytes": extract_bytes})


def test_incremental_steps_lead_with_the_step_that_grew_most():
    phases = {"incremental_12": _incremental(12, {"mart__vintage": 1.0, "core__ledger": 4.0, "mart__ecl": 2.0}),
              "incremental_36": _incremental(36, {"mart__vintage": 4.0, "core__ledger": 4.5, "mart__ecl": 1.0})}
    lines = _incremental_steps(phases)
    steps = [line.split()[0] for line in lines[2:]]
    assert steps == ["mart__vintage", "core__ledger", "mart__ecl"]   # +3.0, +0.5, −1.0
    assert lines[2].split()[1:] == ["1.0", "s", "4.0", "s", "4.00x"]
    assert _incremental_steps({"incremental_12": phases["incremental_12"]}) == []   # month 36 not measured


def test_incremental_growth_per_byte_discounts_a_growing_book():
    phases = {"incremental_12": _incremental(12, {}, work_s=10.0, extract_bytes=100),
              "incremental_36": _incremental(36, {}, work_s=18.0, extract_bytes=200)}
    found = ratios(phases)
    assert found["incremental_36_over_12"] == pytest.approx(1.8)
    assert found["incremental_36_over_12_per_byte"] == pytest.approx(0.9)   # twice the data, 1.8× the time


def test_the_fastest_run_is_the_figure_and_every_run_is_kept():
    runs = [Measurement(phase=f"render run {k}", wall_s=work + 1, work_s=work, cpu_s=2 * work, user_s=work, sys_s=0,
                        peak_rss_mb=100 + k, info={"documents": ["a.pdf"], "run": k})
            for k, work in enumerate((3.0, 1.5, 2.0), start=1)]
    render = fastest_of(runs, "render")
    assert (render.phase, render.work_s, render.wall_s, render.cpu_s, render.peak_rss_mb) == ("render", 1.5, 2.5, 3.0, 102)
    assert render.info["run"] == 2 and render.info["documents"] == ["a.pdf"]
    assert [run["work_s"] for run in render.info["runs"]] == [3.0, 1.5, 2.0]
    assert runs[1].phase == "render run 2" and "runs" not in runs[1].info   # the runs themselves are left as they were


def test_each_incremental_run_starts_from_the_months_before_it(tmp_path):
    """Run k of month n must not find month n already loaded by run k − 1: a rerun replaces the
    month, other work than the first load."""
    args = parse_args(["--accounts", "10", "--months", "12", "--runs", "3", "--workdir", str(tmp_path)])
    bench = Bench(args, SimpleNamespace(first_month=date(2024, 1, 1)), tmp_path)
    chain = tmp_path / "incremental.duckdb"
    chain.write_bytes(b"months 1-11")
    seen = []

    def job(name, groups, first, last, warehouse, record=True):
        seen.append((name, (tmp_path / warehouse).read_bytes()))
        (tmp_path / warehouse).write_bytes(b"months 1-12")   # what the month's load leaves
        return Measurement(phase=name, wall_s=1, work_s=float(len(seen)), cpu_s=1, user_s=1, sys_s=0,
                           peak_rss_mb=1, info={})

    bench.job = job
    bench.incremental(12, "incremental.duckdb")
    assert seen == [(f"incremental_12 run {k} of 3", b"months 1-11") for k in (1, 2, 3)]
    assert chain.read_bytes() == b"months 1-12"                          # the chain goes on from month 12
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dagster_home", "incremental.duckdb"]   # no copy left
    assert [m.phase for m in bench.measured] == ["incremental_12"] and bench.measured[0].work_s == 1.0


def test_the_peak_memory_target_reads_every_run_not_only_the_fastest():
    runs = [Measurement(phase=f"render run {k}", wall_s=work, work_s=work, cpu_s=work, user_s=work, sys_s=0,
                        peak_rss_mb=peak, info={"documents": []})
            for k, (work, peak) in enumerate(((2.0, 3072.0), (1.0, 1024.0)), start=1)]
    phases = {"render": fastest_of(runs, "render")}
    assert phases["render"].peak_rss_mb == 1024.0
    checks = {t.name: t for t in targets(phases, ratios(phases), large=True, skipped={})}
    assert checks["peak RSS of the job's phases"].value == 3.0                  # GB, the slower run's peak
    assert checks["render one month"].value == 1.0 and "the fastest of 2 run(s)" in checks["render one month"].note


def test_probe_spread_is_the_slowest_probe_over_the_fastest():
    def phase(name: str, info: dict) -> Measurement:
        return Measurement(phase=name, wall_s=1, work_s=1, cpu_s=1, user_s=1, sys_s=0, peak_rss_mb=1, info=info)

    measured = [phase("floor_scan", {"probe_ms": 120.0}), phase("pipeline", {"probe_ms": 180.0}),
                phase("render", {"probe_ms": 150.0, "documents": []})]
    assert probe_spread(measured) == 1.5
    assert probe_spread([phase("floor_scan", {})]) is None   # no probe taken: no figure, not 1.0
