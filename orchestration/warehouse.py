"""The DuckDB warehouse: a connection per step, SQL read from `sql/` by path, month replaces.

DuckDB admits one writing process per file, so every step opens, works and closes; the Dagster
pool `warehouse` (limit 1) queues the writers instead of letting them hit the lock. A step keeps
its one connection over all the months of its run (a month is a transaction): a connection per
read and per write cost more than the work on a month of a small book.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from orchestration.config import REPO_ROOT, Configuration
from transforms.months import add_months

SQL_DIR = REPO_ROOT / "sql"
POOL = "warehouse"
# Tables a month replace may touch; identifiers are substituted only from here.
MONTH_TABLES = (
    "core.accounts", "core.account_month", "core.postings", "core.loss_postings",
    "audit.loads", "audit.quarantine", "audit.rollforward_breaks", "audit.rollforward_summary",
    "audit.vanished_accounts", "mart.delinquency", "mart.delinquency_by_state", "mart.vintage",
    "mart.vintage_lifetime", "mart.roll_rates", "mart.roll_rate_summary", "mart.flow_rates", "mart.roll_rates_pooled",
    "mart.markov_projection", "mart.absorption", "mart.ecl_account", "mart.ecl_summary", "mart.ecl_scenarios",
    "mart.pd_term_structure", "mart.lgd", "mart.stage_migration", "mart.allowance_movement", "mart.ecl_checks",
    "mart.regulatory_classification", "mart.regulatory_ratios", "mart.us_past_due", "mart.past_charge_off_point",
    "mart.overdue_cost", "mart.recovery_curve", "mart.early_warning", "mart.early_warning_model",
    "mart.early_warning_backtest", "mart.early_warning_bands", "mart.early_warning_actions",
    "mart.early_warning_patterns", "mart.concentration",
)
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?")


@cache
def _sql_file(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def sql(name: str, **identifiers: str) -> str:
    """The statement in `sql/<name>.sql`, with `{placeholders}` filled by plain identifiers only."""
    for value in identifiers.values():
        if not _IDENTIFIER.fullmatch(value):
            raise ValueError(f"not an identifier: {value!r}")
    text = _sql_file(name)
    return text.format(**identifiers) if identifiers else text


def run_folder(con: duckdb.DuckDBPyConnection, folder: str) -> None:
    """Runs every statement file of a folder in name order (DDL, macros)."""
    for path in sorted((SQL_DIR / folder).glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A step's connection; a writer makes sure the schema exists and leaves an empty WAL."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        if not read_only:
            run_folder(con, "ddl")
        yield con
        if not read_only:
            con.execute("checkpoint")
    finally:
        con.close()


def frame(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, object] | None = None,
          **identifiers: str) -> pl.DataFrame:
    """Runs a read statement and returns a Polars frame (Arrow hand-off, no pandas).

    A relation, not `execute`: DuckDB 2.0 results of `execute` have no `.pl()` and copy rows.
    """
    return con.sql(sql(name, **identifiers), params=dict(params or {})).pl()


def one(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, object] | None = None,
        **identifiers: str) -> tuple:
    """The single row of a read statement (fully fetched: DuckDB 2.0 blocks a connection
    while an `execute` result is unfinished)."""
    return con.sql(sql(name, **identifiers), params=dict(params or {})).fetchall()[0]


def snapshot_pairs(con: duckdb.DuckDBPyConnection,
                   months: Sequence[date]) -> Iterator[tuple[date, pl.DataFrame, pl.DataFrame]]:
    """Each month with m − 1's snapshot and its own. A run's months follow one another, so a
    month's snapshot is read once and is the next month's m − 1; after a gap m − 1 is read."""
    before, snapshot = None, pl.DataFrame()
    for month in months:
        previous = snapshot if before == add_months(month, -1) else frame(
            con, "read/month_snapshot", {"month": add_months(month, -1)})
        snapshot, before = frame(con, "read/month_snapshot", {"month": month}), month
        yield month, previous, snapshot


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: a failure or a kill inside leaves the previous state."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def replace_month(con: duckdb.DuckDBPyConnection, table: str, month: date, rows: pl.DataFrame) -> None:
    """Deletes the month's rows of `table` and inserts `rows`; call inside `transaction()`."""
    if table not in MONTH_TABLES:
        raise ValueError(f"{table} is not a month-partitioned warehouse table")
    con.execute(sql("write/delete_month", table=table), {"month": month})
    append(con, table, rows)


def write_month(con: duckdb.DuckDBPyConnection, month: date, tables: Mapping[str, pl.DataFrame], step: str,
                configuration: Configuration, run_id: str) -> None:
    """A step's tables of one month and the configuration (and Dagster run) it computed them with,
    all or nothing: the record of a month's settings can never name other settings than those
    behind its figures."""
    with transaction(con):
        for table, rows in tables.items():
            replace_month(con, table, month, rows)
        con.execute(sql("write/keep_configuration"), {"sha256": configuration.sha256, "text": configuration.text})
        con.execute(sql("write/delete_month_configuration"), {"month": month, "step": step})
        con.execute(sql("write/insert_month_configuration"),
                    {"month": month, "step": step, "file": configuration.file_name, "sha256": configuration.sha256,
                     "run_id": run_id})


class WriteBehind:
    """`write_month` behind the step: each month written in a thread of its own, on a cursor of its
    own, while the step works out the next months (writing a month is mostly DuckDB compressing it on
    one core). Months are written one at a time and in order, at most `queued` of them waiting or
    being written (each holds its tables in memory); leaving waits for the last and raises any
    write's error, and a month after a failed write is never written.

    A read on the step's connection does not wait for a write still running: a step whose months
    read nothing the step itself writes (vintage, ECL) just writes; early warning, whose next
    months read the stored rows of earlier ones, calls `wait` before that read."""

    def __init__(self, con: duckdb.DuckDBPyConnection, queued: int = 1):
        self._cursor = con.cursor()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="riskpack-write")
        self._queued = queued
        self._pending: deque[Future[None]] = deque()
        self._failed = False

    def write_month(self, month: date, tables: Mapping[str, pl.DataFrame], step: str,
                    configuration: Configuration, run_id: str) -> None:
        while len(self._pending) >= self._queued:
            self._pending.popleft().result()
        self._pending.append(self._writer.submit(self._write, month, tables, step, configuration, run_id))

    def _write(self, *args) -> None:
        if self._failed:  # a month queued behind a failed write: its error is the one raised
            return
        try:
            write_month(self._cursor, *args)
        except BaseException:
            self._failed = True
            raise

    def wait(self) -> None:
        """Every month handed over is written; the first failed write's error is raised."""
        while self._pending:
            self._pending.popleft().result()

    def __enter__(self) -> WriteBehind:
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.wait()
        finally:
            self._writer.shutdown()
            self._cursor.close()


def append(con: duckdb.DuckDBPyConnection, table: str, rows: pl.DataFrame) -> None:
    if rows.height:
        con.register("incoming", rows)
        try:
            con.execute(sql("write/insert_incoming", table=table))
        finally:
            con.unregister("incoming")
