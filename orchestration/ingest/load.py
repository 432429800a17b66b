"""Loading a month: every extract of the month verified, staged, validated, then written once.

Nothing reaches the warehouse until every file of every extract of the month has passed the
file-level checks; then core, audit and the reconciliation are replaced in one transaction,
so a rerun or a corrected extract never duplicates and a crash never half-writes.

Over a range of months, each month's files are read while the month before is validated and
written (`load_months`): reading them needs nothing from the warehouse, and writing a month is
mostly DuckDB compressing it on one core.
"""

from __future__ import annotations

import tempfile
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from orchestration import steps
from orchestration.config import Settings
from orchestration.ingest.landing import FILE_STEMS, extracts_for_month
from orchestration.ingest.manifest import (
    ExtractRefused,
    read_manifest,
    verify_checksums,
)
from orchestration.ingest.stage import StagedFile, stage_file
from orchestration.warehouse import (
    append,
    connect,
    frame,
    one,
    run_folder,
    sql,
    transaction,
    write_month,
)
from transforms.months import add_months
from transforms.reconcile import rollforward, rollforward_summary, vanished_accounts
from transforms.states import LOSS_ENTRY_TYPES, classify_account_months

CORE_TABLES = {"accounts": "core.accounts", "account_months": "core.account_month", "postings": "core.postings"}


class NoExtract(Exception):
    """The landing directory holds no extract for the month."""


@dataclass
class MonthLoad:
    """What a month's load wrote, for asset metadata, checks and tests."""

    month: date
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)

    def rows(self, table: str) -> int:
        return self.tables[table].height


def _validate(con: duckdb.DuckDBPyConnection, table: str, params: dict) -> pl.DataFrame:
    """Runs `validate/<table>.sql`, binding only the parameters it names (DuckDB refuses extras)."""
    statement = sql(f"validate/{table}")
    return frame(con, f"validate/{table}", {k: v for k, v in params.items() if f"${k}" in statement})


@dataclass
class ReadExtract:
    """An extract whose files passed the file-level checks and are read, as text, into temporary
    tables of a cursor of its own (so that two months' files can be staged at once)."""

    as_of_date: date
    folder: Path
    cursor: duckdb.DuckDBPyConnection
    files: dict[str, StagedFile]
    checksums: dict[str, tuple[str, int]]
    encoding: str


@dataclass
class StagedExtract(ReadExtract):
    """The read extract with every file's rows typed and checked (`validate_extract`)."""

    validated: dict[str, pl.DataFrame]


def read_extract(cursor: duckdb.DuckDBPyConnection, folder: Path, as_of: date) -> ReadExtract:
    """File-level checks and the files staged; raises ExtractRefused on a file-level fault. Reads
    nothing of the warehouse."""
    manifest = read_manifest(folder, as_of)
    checksums = verify_checksums(manifest)
    run_folder(cursor, "macros")  # temporary, like the staged tables: the validation's, on this cursor
    with tempfile.TemporaryDirectory(prefix="riskpack-") as workdir:
        files = {t: stage_file(cursor, manifest.files[t], manifest.encoding, folder, Path(workdir))
                 for t in FILE_STEMS}
    return ReadExtract(as_of, folder, cursor, files, checksums, manifest.encoding)


def validate_extract(read: ReadExtract, previous_as_of: date | None, month: date) -> StagedExtract:
    """Typing and row rules, against the warehouse as the months before `month` left it."""
    con = read.cursor
    params = {"as_of_date": read.as_of_date, "month": month, "previous_as_of_date": previous_as_of}
    con.execute(sql("staging/known_accounts"), {"month": month})
    validated = {"accounts": _validate(con, "accounts", params)}
    con.register("incoming", validated["accounts"])
    con.execute(sql("staging/valid_accounts"))
    con.unregister("incoming")
    validated["account_months"] = _validate(con, "account_months", params)
    validated["postings"] = _validate(con, "postings", params)
    return StagedExtract(**vars(read), validated=validated)


class MonthFiles:
    """A month's extracts, each read by `read_extract` on a cursor of `con`: at once, or in
    `reader`'s thread while the month before is loaded (DuckDB runs each cursor's statements beside
    the others'). The cursors are made here, in the caller's thread, and closed by `close`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, landing_dir: Path, month: date,
                 reader: Executor | None = None):
        self.month, self._landing_dir = month, landing_dir
        self._extracts = extracts_for_month(landing_dir, month)
        self._cursors = [con.cursor() for _ in self._extracts]
        self._future: Future[list[ReadExtract]] | None = None
        if reader is not None:
            self._future = reader.submit(self._read)

    def _read(self) -> list[ReadExtract]:
        return [read_extract(cursor, folder, as_of) for cursor, (as_of, folder) in zip(self._cursors, self._extracts)]

    def result(self) -> list[ReadExtract]:
        """The read extracts; raises NoExtract, or the first ExtractRefused of the reading."""
        if not self._extracts:
            raise NoExtract(f"no extract for {self.month:%Y-%m} in {self._landing_dir}")
        return self._future.result() if self._future is not None else self._read()

    def close(self) -> None:
        """Drops the staged tables: waits for a read still running, and cancels one not started."""
        if self._future is not None and not self._future.cancel():
            wait([self._future])
        for cursor in self._cursors:
            cursor.close()


def _quarantine(staged: StagedExtract, month: date, run_id: str) -> pl.DataFrame:
    parts = []
    for table, file in staged.files.items():
        rules = staged.validated[table].filter(pl.col("reason").is_not_null()).select("line", "raw_text", "reason")
        parts.append(pl.concat([file.rejects, rules]).with_columns(file_name=pl.lit(file.spec.name)))
    return pl.concat(parts).select(
        month=pl.lit(month, dtype=pl.Date), as_of_date=pl.lit(staged.as_of_date, dtype=pl.Date),
        file_name="file_name", line="line", raw_text="raw_text", reason="reason", run_id=pl.lit(run_id),
    ).sort("file_name", "line")


def _load_log(staged: StagedExtract, month: date, run_id: str, loaded_at: datetime) -> pl.DataFrame:
    rows = []
    for table, file in staged.files.items():
        loaded = staged.validated[table].filter(pl.col("reason").is_null()).height
        sha, size = staged.checksums[table]
        rows.append({
            "month": month, "as_of_date": staged.as_of_date, "extract": staged.folder.name,
            "file_name": file.spec.name, "table_name": CORE_TABLES[table], "file_format": file.spec.file_format,
            "encoding": "binary" if file.spec.file_format == "parquet" else staged.encoding,
            "sha256": sha, "bytes": size, "manifest_rows": file.spec.rows, "rows_in_file": file.rows_in_file,
            "rows_loaded": loaded, "rows_quarantined": file.rows_in_file - loaded, "run_id": run_id,
            "loaded_at": loaded_at,
        })
    return pl.DataFrame(rows).with_columns(pl.col("loaded_at").dt.replace_time_zone(None))


def _valid(staged: StagedExtract, table: str, month: date) -> pl.DataFrame:
    rows = staged.validated[table].filter(pl.col("reason").is_null()).drop("line", "reason", "raw_text")
    rows = rows.drop("as_of_date") if "as_of_date" in rows.columns else rows
    return rows.with_columns(month=pl.lit(month, dtype=pl.Date),
                             as_of_date=pl.lit(staged.as_of_date, dtype=pl.Date))


def record_refusal(con: duckdb.DuckDBPyConnection, refusal: ExtractRefused, run_id: str) -> None:
    """Keeps the refusal on record; nothing of the extract itself is written."""
    row = pl.DataFrame([{"extract": refusal.extract.name, "file_name": refusal.file_name, "fault": refusal.fault,
                         "message": str(refusal), "run_id": run_id,
                         "refused_at": datetime.now(UTC).replace(tzinfo=None)}],
                       schema={"extract": pl.String, "file_name": pl.String, "fault": pl.String,
                               "message": pl.String, "run_id": pl.String, "refused_at": pl.Datetime("us")})
    with transaction(con):
        append(con, "audit.refused_extracts", row)


def load_months(settings: Settings, months: Sequence[date], run_id: str,
                con: duckdb.DuckDBPyConnection) -> Iterator[MonthLoad]:
    """`load_month` of each of `months` in turn, each month's files read (`MonthFiles`) while the
    month before is validated and written. A month's validation reads what the months before it
    wrote, so only the reading runs ahead, one month at most."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="riskpack-read") as reader:
        ahead = deque(MonthFiles(con, settings.landing_dir, month, reader) for month in months[:1])
        try:
            for month, following in zip(months, [*months[1:], None]):
                if following is not None:
                    ahead.append(MonthFiles(con, settings.landing_dir, following, reader))
                yield load_month(settings, month, run_id, con, ahead.popleft())
        finally:
            for files in ahead:  # read, not loaded: the run stopped before it
                files.close()


def load_month(settings: Settings, month: date, run_id: str,
               con: duckdb.DuckDBPyConnection | None = None, files: MonthFiles | None = None) -> MonthLoad:
    """Loads every extract of `month`; raises NoExtract or ExtractRefused (after recording it).

    `con`: the step's writer connection, kept open over a range of months (opening a connection
    costs more than loading a small month); without one, the month opens its own.
    `files`: the month's files if already read (or being read) on cursors of `con`; closed here.
    """
    if con is None:
        with connect(settings.warehouse) as own:
            return load_month(settings, month, run_id, own)
    files = files or MonthFiles(con, settings.landing_dir, month)
    staged: list[StagedExtract] = []
    try:
        prior = frame(con, "read/month_snapshot", {"month": add_months(month, -1)})
        previous_as_of = one(con, "read/previous_as_of_date", {"month": month})[0]
        for read in files.result():
            staged.append(validate_extract(read, previous_as_of, month))
            previous_as_of = read.as_of_date
    except ExtractRefused as refusal:
        record_refusal(con, refusal, run_id)
        raise
    finally:
        files.close()

    loaded_at = datetime.now(UTC)
    accounts = pl.concat([_valid(s, "accounts", month) for s in staged])
    snapshots = pl.concat([
        classify_account_months(_valid(s, "account_months", month), _valid(s, "accounts", month), month,
                                settings.bucket_edges)
        for s in staged
    ])
    postings = pl.concat([_valid(s, "postings", month) for s in staged])
    latest = snapshots.filter(pl.col("as_of_date") == staged[-1].as_of_date)
    latest_accounts = _valid(staged[-1], "accounts", month).select("account_id", "product")
    prior_snapshot = prior if prior.height else None
    checked = rollforward(prior_snapshot, latest, postings, latest_accounts, month)
    result = MonthLoad(month, {
        "core.accounts": accounts,
        "core.account_month": snapshots,
        "core.postings": postings,
        # also kept in core.loss_postings (as in sql/ddl/125_core_loss_postings.sql)
        "core.loss_postings": postings.filter(pl.col("entry_type").is_in(LOSS_ENTRY_TYPES)),
        "audit.loads": pl.concat([_load_log(s, month, run_id, loaded_at) for s in staged]),
        "audit.quarantine": pl.concat([_quarantine(s, month, run_id) for s in staged]),
        "audit.rollforward_breaks": checked.filter(pl.col("break_amount") != 0).sort("account_id"),
        "audit.rollforward_summary": rollforward_summary(checked, month),
        "audit.vanished_accounts": vanished_accounts(prior_snapshot, latest, month),
    })
    write_month(con, month, result.tables, steps.LEDGER, settings.configuration, run_id)
    return result
