"""Runs one phase in a child process and measures the whole process.

Wall time from the parent's clock around the child; CPU time (user + system) and peak RSS from the
rusage `wait4` returns for that child, which covers the child and every process it waited for (the
render workers): the per-child form of `getrusage(RUSAGE_CHILDREN)`. Peak RSS is the largest
resident set of any one process of the phase, as `/usr/bin/time -v` reports it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from orchestration.config import REPO_ROOT


class PhaseFailed(RuntimeError):
    """A phase's process exited with an error; its output is above in the console."""


@dataclass
class Measurement:
    phase: str
    wall_s: float            # the whole process, start-up and imports included
    work_s: float            # the phase's work proper, timed inside the process
    cpu_s: float             # user + system, the process and its children
    user_s: float
    sys_s: float
    peak_rss_mb: float       # the largest resident set of any process of the phase
    timed: bool = True       # False: set-up (simulation, preparing a warehouse), not part of the ratios
    info: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)


def run_phase(phase: str, args: list[str], env: dict[str, str], timed: bool = True) -> Measurement:
    """`python -m bench.phase …` in a fresh interpreter with `env`; raises PhaseFailed on a non-zero exit."""
    with tempfile.TemporaryDirectory(prefix="riskpack-bench-") as tmp:
        result_file = Path(tmp) / "result.json"
        argv = [sys.executable, "-m", "bench.phase", *args, "--result", str(result_file)]
        started = time.perf_counter()
        child = subprocess.Popen(argv, env=env, cwd=REPO_ROOT)
        try:
            _, status, usage = os.wait4(child.pid, 0)
        except BaseException:
            child.kill()
            child.wait()
            raise
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise PhaseFailed(f"phase {phase} failed (exit code {child.returncode})")
        info = json.loads(result_file.read_text(encoding="utf-8"))
    work = info.pop("work_s")
    return Measurement(phase=phase, wall_s=wall, work_s=work, cpu_s=usage.ru_utime + usage.ru_stime,
                       user_s=usage.ru_utime, sys_s=usage.ru_stime, peak_rss_mb=usage.ru_maxrss / 1024,
                       timed=timed, info=info)


def fastest_of(runs: list[Measurement], phase: str) -> Measurement:
    """The run with the least work, named `phase`, every run kept in its info (`runs`). Work on a
    shared machine only ever gains time from what else runs, so the fastest run is the closest to
    the phase's own cost (timeit's reasoning)."""
    fastest = min(runs, key=lambda m: m.work_s)
    return replace(fastest, phase=phase, info={**fastest.info, "runs": [m.to_json() for m in runs]})


def flush_writes() -> float:
    """Seconds to write out what the page cache still holds of earlier work, before a phase starts.

    Otherwise a phase pays for the one before it: a fresh copy of a 1.2 GB warehouse, made just
    before month 36 of a million accounts, was still being written to disk while that month loaded
    (DuckDB's checkpoint syncs the file), and its load step took 16.6 and 10.5 s against 8.4 and
    8.4 s after `sync` and a pause of 5 s (alternated)."""
    started = time.perf_counter()
    os.sync()
    return time.perf_counter() - started


PROBE_LOOPS = 1_000_000


def speed_probe(rounds: int = 3) -> float:
    """Milliseconds of a fixed pure-Python loop, the fastest of `rounds`: how fast this shared machine
    runs at the moment. Taken before every phase, so a run shows whether the machine's speed held
    (a loop like it took 1.5 s and 2.5 s a few minutes apart on an otherwise idle machine here)."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        total = 0
        for i in range(PROBE_LOOPS):
            total += i * i % 7
        best = min(best, time.perf_counter() - started)
    return best * 1000
