"""Manifest verification: an extract is checked whole before any of it is loaded."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from orchestration.ingest.landing import FILE_STEMS

ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "gbk": "gbk", "gb18030": "gb18030", "gb2312": "gbk"}
FORMATS = {".csv": "csv", ".csv.gz": "csv.gz", ".parquet": "parquet"}
CONTROL_COLUMNS = {
    "accounts": ("original_amount",),
    "account_months": ("principal_balance", "interest_balance", "fee_balance"),
    "postings": ("amount",),
}


class ExtractRefused(Exception):
    """A file-level fault: the whole extract is refused and nothing of it is loaded."""

    def __init__(self, extract: Path, file_name: str | None, fault: str, detail: str):
        self.extract, self.file_name, self.fault, self.detail = extract, file_name, fault, detail
        where = f"{extract.name}/{file_name}" if file_name else extract.name
        super().__init__(f"extract {where} refused ({fault}): {detail}")


@dataclass(frozen=True)
class FileSpec:
    table: str
    path: Path
    file_format: str
    rows: int
    sha256: str
    sums: dict[str, Decimal]

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Manifest:
    extract: Path
    as_of_date: date
    encoding: str
    files: dict[str, FileSpec]  # by table


def file_format(name: str) -> str | None:
    return next((fmt for suffix, fmt in FORMATS.items() if name.endswith(suffix)), None)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _refuse(extract: Path, file_name: str | None, fault: str, detail: str) -> ExtractRefused:
    return ExtractRefused(extract, file_name, fault, detail)


def _file_spec(extract: Path, name: str, entry: object) -> FileSpec:
    fmt = file_format(name)
    table = name.split(".", 1)[0]
    if fmt is None or table not in FILE_STEMS:
        raise _refuse(extract, name, "unknown file", "the manifest lists a file the contract does not know")
    if not isinstance(entry, dict) or not isinstance(entry.get("rows"), int) or not isinstance(entry.get("sha256"), str):
        raise _refuse(extract, name, "bad manifest", "each file needs integer 'rows' and string 'sha256'")
    try:
        sums = {col: Decimal(str(value)) for col, value in (entry.get("sums") or {}).items()}
    except InvalidOperation:
        raise _refuse(extract, name, "bad manifest", "control sums must be decimal strings") from None
    missing = set(CONTROL_COLUMNS[table]) - set(sums)
    if missing:
        raise _refuse(extract, name, "bad manifest", f"control sums missing for {', '.join(sorted(missing))}")
    return FileSpec(table, extract / name, fmt, entry["rows"], entry["sha256"].lower(), sums)


def read_manifest(extract: Path, as_of_date: date) -> Manifest:
    """Parses manifest.json and checks what can be checked without reading the data files."""
    path = extract / "manifest.json"
    if not path.is_file():
        raise _refuse(extract, "manifest.json", "missing file", "no manifest.json in the extract folder")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _refuse(extract, "manifest.json", "unreadable manifest", str(exc)) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("files"), dict):
        raise _refuse(extract, "manifest.json", "bad manifest", "expected an object with 'files'")
    if str(raw.get("as_of_date")) != as_of_date.isoformat():
        raise _refuse(extract, "manifest.json", "as_of_date mismatch",
                      f"manifest says {raw.get('as_of_date')!r}, folder is {as_of_date.isoformat()}")
    encoding = ENCODINGS.get(str(raw.get("encoding", "utf-8")).lower())
    if encoding is None:
        raise _refuse(extract, "manifest.json", "unsupported encoding",
                      f"{raw.get('encoding')!r}; supported: {', '.join(sorted(ENCODINGS))}")
    specs = [_file_spec(extract, name, entry) for name, entry in raw["files"].items()]
    files: dict[str, FileSpec] = {}
    for spec in specs:
        if spec.table in files:
            raise _refuse(extract, spec.name, "ambiguous file", f"two files for {spec.table}")
        files[spec.table] = spec
    for table in FILE_STEMS:
        if table not in files:
            raise _refuse(extract, None, "missing file", f"the manifest lists no {table} file")
    return Manifest(extract, as_of_date, encoding, files)


def verify_checksums(manifest: Manifest) -> dict[str, tuple[str, int]]:
    """sha256 and size of every file, refused on the first absent file or mismatch."""
    found = {}
    for spec in manifest.files.values():
        if not spec.path.is_file():
            raise _refuse(manifest.extract, spec.name, "missing file", "listed in the manifest but not in the folder")
        actual = sha256_of(spec.path)
        if actual != spec.sha256:
            raise _refuse(manifest.extract, spec.name, "checksum mismatch",
                          f"sha256 expected {spec.sha256}, actual {actual}")
        found[spec.table] = (actual, spec.path.stat().st_size)
    return found
