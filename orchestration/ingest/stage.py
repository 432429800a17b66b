"""Staging one file: its text into a temporary table with file line numbers.

Every column is read as text so that no value is lost or silently coerced at the file
boundary; typing and the contract's rules are the validation statements' job, which can
then say exactly what was wrong with a row.
"""

from __future__ import annotations

import codecs
import gzip
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl

from orchestration.ingest.manifest import CONTROL_COLUMNS, ExtractRefused, FileSpec
from orchestration.warehouse import frame, one, sql

COLUMNS = {
    "accounts": ("account_id", "customer_id", "product", "open_date", "original_amount", "term_months",
                 "apr", "risk_grade", "channel", "region", "currency"),
    "account_months": ("as_of_date", "account_id", "status", "principal_balance", "interest_balance",
                       "fee_balance", "credit_limit", "days_past_due", "amount_past_due", "min_payment_due",
                       "forbearance", "litigation"),
    "postings": ("posting_id", "account_id", "posting_date", "entry_type", "amount"),
}
OPTIONAL_COLUMNS = {"accounts": ("channel", "region", "currency")}
QUARANTINE_SCHEMA = {"line": pl.Int64, "raw_text": pl.String, "reason": pl.String}
TRANSCODE_CHUNK = 1 << 20


@dataclass(frozen=True)
class StagedFile:
    spec: FileSpec
    raw_table: str
    rows_in_file: int
    rejects: pl.DataFrame  # structural faults: line, raw_text, reason


def _open_text_bytes(path: Path, fmt: str) -> io.BufferedIOBase:
    return gzip.open(path, "rb") if fmt == "csv.gz" else path.open("rb")


def _header(spec: FileSpec, encoding: str, extract: Path) -> list[str]:
    try:
        with _open_text_bytes(spec.path, spec.file_format) as handle:
            first = handle.readline()
        line = first.decode(encoding).lstrip("\ufeff").rstrip("\r\n")
    except (UnicodeDecodeError, OSError, EOFError) as exc:
        raise ExtractRefused(extract, spec.name, "unreadable header", str(exc)) from None
    return [name.strip().strip('"') for name in line.split(",")]


def _check_columns(found: list[str], spec: FileSpec, extract: Path) -> None:
    required = set(COLUMNS[spec.table]) - set(OPTIONAL_COLUMNS.get(spec.table, ()))
    missing = [c for c in COLUMNS[spec.table] if c in required and c not in found]
    if missing:
        raise ExtractRefused(extract, spec.name, "missing column", ", ".join(missing))
    if len(set(found)) != len(found):
        raise ExtractRefused(extract, spec.name, "duplicate column", ", ".join(found))


def transcode_to_utf8(spec: FileSpec, encoding: str, target: Path, extract: Path) -> Path:
    """Streams a GBK/GB18030 file into UTF-8 with strict decoding (DuckDB reads UTF-8 only)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = 0
    try:
        with _open_text_bytes(spec.path, spec.file_format) as src, target.open("wb") as dst:
            while chunk := src.read(TRANSCODE_CHUNK):
                dst.write(decoder.decode(chunk).encode("utf-8"))
                offset += len(chunk)
            dst.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ExtractRefused(extract, spec.name, "unreadable encoding",
                             f"not valid {encoding} at byte {offset + exc.start}") from None
    except (OSError, EOFError) as exc:
        raise ExtractRefused(extract, spec.name, "unreadable file", str(exc)) from None
    return target


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, header: list[str], spec: FileSpec,
              extract: Path, raw_table: str) -> pl.DataFrame:
    try:
        con.execute(sql("staging/read_csv_raw", raw_table=raw_table),
                    {"path": str(path), "columns": {c: "VARCHAR" for c in header}})
    except duckdb.Error as exc:
        raise ExtractRefused(extract, spec.name, "unreadable file", str(exc).splitlines()[0]) from None
    rejects = frame(con, "staging/scan_rejects")
    bad_encoding = rejects.filter(pl.col("error_types").str.contains("ENCODING"))
    if bad_encoding.height:
        raise ExtractRefused(extract, spec.name, "unreadable encoding",
                             f"not valid UTF-8 (first at line {bad_encoding['line'][0]}); "
                             "declare the file's encoding in the manifest")
    return rejects.select(
        pl.col("line").cast(pl.Int64),
        raw_text=pl.col("csv_line"),
        reason=pl.lit("row: malformed csv (") + pl.col("error_types").str.to_lowercase() + pl.lit(") — ")
        + pl.col("error_message"),
    )


def stage_file(con: duckdb.DuckDBPyConnection, spec: FileSpec, encoding: str, extract: Path,
               workdir: Path) -> StagedFile:
    """Reads one file into `raw_<table>` (text columns plus `line`) and checks its totals."""
    raw_table = f"raw_{spec.table}"
    if spec.file_format == "parquet":
        try:
            header = frame(con, "staging/parquet_columns", {"path": str(spec.path)})["column_name"].to_list()
        except duckdb.Error as exc:
            raise ExtractRefused(extract, spec.name, "unreadable file", str(exc).splitlines()[0]) from None
        _check_columns(header, spec, extract)
        con.execute(sql("staging/read_parquet_raw", raw_table=raw_table), {"path": str(spec.path)})
        rejects = pl.DataFrame(schema=QUARANTINE_SCHEMA)
    else:
        header = _header(spec, encoding, extract)
        _check_columns(header, spec, extract)
        path = spec.path
        if encoding != "utf-8":
            path = transcode_to_utf8(spec, encoding, workdir / f"{spec.table}.utf8.csv", extract)
        rejects = _read_csv(con, path, header, spec, extract, raw_table)
    if rejects.height:  # otherwise the lines as read are the file's (a copy of the file saved)
        con.register("incoming", rejects.select("line"))
        try:
            con.execute(sql("staging/number_lines", raw_table=raw_table))
        finally:
            con.unregister("incoming")
    for column in OPTIONAL_COLUMNS.get(spec.table, ()):
        if column not in header:
            con.execute(sql("staging/add_text_column", raw_table=raw_table, column=column))
    rows_in_file = _verify_totals(con, spec, raw_table, rejects.height, extract)
    return StagedFile(spec, raw_table, rows_in_file, rejects)


def _verify_totals(con: duckdb.DuckDBPyConnection, spec: FileSpec, raw_table: str, rejected: int,
                   extract: Path) -> int:
    """Row count and control sums against the manifest, over all rows that parse."""
    rows = None
    for column in CONTROL_COLUMNS[spec.table]:
        read, total = one(con, "staging/control_totals", raw_table=raw_table, column=column)
        rows = read + rejected
        actual = Decimal(total or 0).quantize(Decimal("0.01"))
        if rows != spec.rows:
            raise ExtractRefused(extract, spec.name, "row count mismatch",
                                 f"manifest says {spec.rows} rows, the file has {rows}")
        if actual != spec.sums[column]:
            raise ExtractRefused(extract, spec.name, "control total mismatch",
                                 f"sum of {column}: manifest says {spec.sums[column]}, the file sums to {actual}")
    return rows
