"""The manifest, computed from the files as they are on disk.

Computing it from the delivered bytes (not from the simulation's memory) is what lets a fault
injected into a file either keep the manifest consistent (a row-level fault) or not (a
file-level one), exactly as a core system's export would.
"""

import gzip
import hashlib
import io
import json
from datetime import date
from pathlib import Path

import polars as pl

CONTROL_COLUMNS = {
    "accounts": ("original_amount",),
    "account_months": ("principal_balance", "interest_balance", "fee_balance"),
    "postings": ("amount",),
}


def read_table(path: Path, encoding: str) -> pl.DataFrame:
    """A data file as text columns (parquet values cast to text), whatever its format."""
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    if encoding != "utf-8":
        data = data.decode(encoding).encode("utf-8")
    return pl.read_csv(io.BytesIO(data), infer_schema=False)


def control_sum(frame: pl.DataFrame, column: str) -> str:
    """Σ of the values that parse as numbers (unparseable or empty values are left out)."""
    values = frame[column].cast(pl.String).str.strip_chars().cast(pl.Decimal(38, 6), strict=False)
    return f"{values.sum():.2f}"


def write_manifest(extract_dir: Path, as_of_date: date, encoding: str, source_system: str = "riskpack-demo") -> dict:
    files = {}
    for path in sorted(extract_dir.iterdir()):
        table = path.name.split(".", 1)[0]
        if table not in CONTROL_COLUMNS:
            continue
        frame = read_table(path, encoding)
        files[path.name] = {
            "rows": frame.height,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "sums": {column: control_sum(frame, column) for column in CONTROL_COLUMNS[table]},
        }
    manifest = {"as_of_date": as_of_date.isoformat(), "source_system": source_system, "encoding": encoding,
                "files": files}
    (extract_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
    return manifest
