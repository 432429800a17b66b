"""Faults injected into a written extract, each with the outcome the loader promises.

| fault | level | loader outcome |
|---|---|---|
| `malformed_value` | row | the row is quarantined (`days_past_due: not an integer`); CSV only |
| `duplicate_key` | row | every copy of the duplicated account_months key is quarantined |
| `unknown_account` | row | the postings row is quarantined (`account_id: not among the loaded accounts`) |
| `wrong_control_total` | file | the extract is refused (`control total mismatch`) |
| `truncated_file` | file | the extract is refused (`checksum mismatch`) |
| `vanished_account` | none | loads; the account is listed in `audit.vanished_accounts` |
| `gbk_undeclared` | file | the extract is refused (`unreadable encoding`: not valid UTF-8) |

Row-level faults rewrite the manifest from the faulty files (the core system exported what it
had); file-level faults leave the manifest disagreeing with the files.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from simulator.extract import write_table
from simulator.manifest import read_table, write_manifest


@dataclass(frozen=True)
class FaultRecord:
    fault: str
    file_name: str
    level: str                      # "row", "file" or "none"
    outcome: str                    # the loader's documented reaction, as in the table above
    lines: tuple[int, ...] = ()     # file lines affected (header = line 1)
    account_id: str | None = None


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _file(folder: Path, table: str) -> Path:
    return next(p for p in folder.iterdir() if p.name.split(".", 1)[0] == table)


def _format(path: Path) -> str:
    return "parquet" if path.suffix == ".parquet" else "csv.gz" if path.name.endswith(".gz") else "csv"


def _rewrite(folder: Path, path: Path, frame: pl.DataFrame) -> None:
    """Writes a table back in its own format and encoding, then a manifest that agrees with it."""
    manifest = _manifest(folder)
    write_table(frame, path, _format(path), manifest["encoding"])
    write_manifest(folder, date.fromisoformat(folder.name), manifest["encoding"],
                   manifest.get("source_system", "riskpack-demo"))


def _text_table(folder: Path, table: str) -> tuple[Path, pl.DataFrame]:
    path = _file(folder, table)
    return path, read_table(path, _manifest(folder)["encoding"]).cast(pl.String)


def malformed_value(folder: Path, rng: np.random.Generator) -> FaultRecord:
    path, frame = _text_table(folder, "account_months")
    if _format(path) == "parquet":
        raise ValueError("malformed_value needs a CSV extract: parquet values are typed")
    row = int(rng.integers(frame.height))
    frame = frame.with_columns(days_past_due=pl.when(pl.int_range(pl.len()) == row).then(pl.lit("12x"))
                               .otherwise(pl.col("days_past_due")))
    _rewrite(folder, path, frame)
    return FaultRecord("malformed_value", path.name, "row", "quarantined: days_past_due: not an integer",
                       (row + 2,), frame["account_id"][row])


def duplicate_key(folder: Path, rng: np.random.Generator) -> FaultRecord:
    path, frame = _text_table(folder, "account_months")
    row = int(rng.integers(frame.height))
    _rewrite(folder, path, pl.concat([frame, frame.slice(row, 1)]))
    return FaultRecord("duplicate_key", path.name, "row", "every copy quarantined: account_id: not unique",
                       (row + 2, frame.height + 2), frame["account_id"][row])


def unknown_account(folder: Path, rng: np.random.Generator) -> FaultRecord:
    path, frame = _text_table(folder, "postings")
    row = int(rng.integers(frame.height))
    frame = frame.with_columns(account_id=pl.when(pl.int_range(pl.len()) == row).then(pl.lit("UNKNOWN-1"))
                               .otherwise(pl.col("account_id")))
    _rewrite(folder, path, frame)
    return FaultRecord("unknown_account", path.name, "row", "quarantined: account_id: not among the loaded accounts",
                       (row + 2,), "UNKNOWN-1")


def wrong_control_total(folder: Path, rng: np.random.Generator) -> FaultRecord:
    manifest = _manifest(folder)
    name = _file(folder, "postings").name
    sums = manifest["files"][name]["sums"]
    sums["amount"] = f"{float(sums['amount']) + 0.01:.2f}"
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return FaultRecord("wrong_control_total", name, "file", "refused: control total mismatch")


def truncated_file(folder: Path, rng: np.random.Generator) -> FaultRecord:
    path = _file(folder, "account_months")
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.7)])
    return FaultRecord("truncated_file", path.name, "file", "refused: checksum mismatch")


def vanished_account(folder: Path, rng: np.random.Generator) -> FaultRecord:
    """An account on book last month disappears from this month's snapshot and postings."""
    previous = sorted(p for p in folder.parent.iterdir() if p.is_dir() and p.name < folder.name)
    if not previous:
        raise ValueError("vanished_account needs an earlier extract in the landing directory")
    _, before = _text_table(previous[-1], "account_months")
    path, now = _text_table(folder, "account_months")
    candidates = before.filter(pl.col("status").is_in(["active", "frozen"])).join(now, on="account_id", how="semi")
    account = candidates["account_id"][int(rng.integers(candidates.height))]
    _rewrite(folder, path, now.filter(pl.col("account_id") != account))
    postings_path, postings = _text_table(folder, "postings")
    _rewrite(folder, postings_path, postings.filter(pl.col("account_id") != account))
    return FaultRecord("vanished_account", path.name, "none", "loaded; listed in audit.vanished_accounts",
                       account_id=account)


def gbk_undeclared(folder: Path, rng: np.random.Generator) -> FaultRecord:
    """The accounts file re-encoded as GBK while the manifest still says UTF-8."""
    path, frame = _text_table(folder, "accounts")
    if _format(path) == "parquet":
        raise ValueError("gbk_undeclared needs a CSV extract")
    if not frame["channel"].str.contains(r"[^\x00-\x7f]").any():
        raise ValueError("no non-ASCII text in the accounts file: the encoding would not show")
    write_table(frame, path, _format(path), "gbk")
    manifest = _manifest(folder)
    manifest["files"][path.name]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return FaultRecord("gbk_undeclared", path.name, "file", "refused: unreadable encoding (not valid UTF-8)")


FAULTS: dict[str, Callable[[Path, np.random.Generator], FaultRecord]] = {
    f.__name__: f for f in (malformed_value, duplicate_key, unknown_account, wrong_control_total, truncated_file,
                            vanished_account, gbk_undeclared)
}


def inject(folder: Path, fault: str, seed: int = 0) -> FaultRecord:
    if fault not in FAULTS:
        raise ValueError(f"unknown fault {fault!r}; one of {', '.join(FAULTS)}")
    return FAULTS[fault](folder, np.random.default_rng(seed))
