"""Rendering many documents on every core: a month's pack takes seconds of pure-Python layout
(WeasyPrint), so a range of months renders in worker processes, one document per task.

Workers are spawned, not forked (a fork of a process holding DuckDB and Polars thread pools can
deadlock), and each reads its month's marts through its own read-only connection: no writer is
active while the reports step runs, because every warehouse step is in the single-writer pool.
"""

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

from tqdm import tqdm

Task = tuple[str, date, str]  # (pack, month, locale)


def render_all(tasks: Sequence[Task], render: Callable[[str, date, str], dict[str, Path]]) -> list[Path]:
    """Every task's files, in task order; one process when there is one task (no start-up cost)."""
    workers = min(len(tasks), os.cpu_count() or 1)
    progress = {"desc": "rendering packs", "unit": "document", "total": len(tasks), "disable": len(tasks) < 2}
    if workers < 2:
        results = [render(*task) for task in tqdm(tasks, **progress)]
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            results = list(tqdm(pool.map(render, *zip(*tasks)), **progress))
    return [path for paths in results for path in (paths["html"], paths["pdf"])]
