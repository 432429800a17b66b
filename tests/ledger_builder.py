"""Hand-made extracts for loader and metric tests: rows written exactly as the contract says.

Tests state their accounts, snapshots and postings as plain rows so every expected figure can
be computed by hand from the test itself.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import polars as pl

ACCOUNT_COLUMNS = ["account_id", "customer_id", "product", "open_date", "original_amount", "term_months",
                   "apr", "risk_grade", "channel", "region", "currency"]
MONTH_COLUMNS = ["as_of_date", "account_id", "status", "principal_balance", "interest_balance", "fee_balance",
                 "credit_limit", "days_past_due", "amount_past_due", "min_payment_due", "forbearance", "litigation"]
POSTING_COLUMNS = ["posting_id", "account_id", "posting_date", "entry_type", "amount"]
SUMS = {"accounts": ["original_amount"], "account_months": ["principal_balance", "interest_balance", "fee_balance"],
        "postings": ["amount"]}


def account(account_id: str, product: str = "revolving", open_date: str = "2024-01-15", amount: str = "1000.00",
            term: str = "", grade: str = "A", channel: str = "app") -> dict:
    if product != "revolving" and not term:
        term = "12"
    return {"account_id": account_id, "customer_id": f"C{account_id}", "product": product, "open_date": open_date,
            "original_amount": amount, "term_months": term, "apr": "0.180000", "risk_grade": grade,
            "channel": channel, "region": "310000", "currency": "CNY"}


def snapshot(as_of: str, account_id: str, principal: str, dpd: int = 0, status: str = "active",
             interest: str = "0.00", fee: str = "0.00", limit: str = "1000.00") -> dict:
    return {"as_of_date": as_of, "account_id": account_id, "status": status, "principal_balance": principal,
            "interest_balance": interest, "fee_balance": fee, "credit_limit": limit, "days_past_due": str(dpd),
            "amount_past_due": "0.00", "min_payment_due": "0.00", "forbearance": "false", "litigation": "false"}


def posting(posting_id: str, account_id: str, day: str, entry_type: str, amount: str) -> dict:
    return {"posting_id": posting_id, "account_id": account_id, "posting_date": day, "entry_type": entry_type,
            "amount": amount}


def _csv_text(columns: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


_EXTRA, _SHORT = "\0extra fields", "\0missing field"  # markers of rows that do not split into the header


def _sum(rows: list[dict], column: str) -> str:
    """Control total over rows that split into the header's columns and whose value parses."""
    total = Decimal("0")
    for row in rows:
        if _EXTRA in row or _SHORT in row.values():
            continue
        try:
            total += Decimal(str(row[column]))
        except Exception:  # an unparseable value is not part of the control total
            pass
    return f"{total:.2f}"


def _records(path: Path, encoding: str) -> list[dict]:
    if path.suffix == ".parquet":
        return pl.read_parquet(path).cast(pl.String).to_dicts()
    data = path.read_bytes()
    text = (gzip.decompress(data) if path.name.endswith(".gz") else data).decode(encoding, errors="replace")
    return list(csv.DictReader(io.StringIO(text), restkey=_EXTRA, restval=_SHORT))


@dataclass
class Extract:
    as_of: str
    accounts: list[dict] = field(default_factory=list)
    account_months: list[dict] = field(default_factory=list)
    postings: list[dict] = field(default_factory=list)

    def write(self, landing: Path, fmt: str = "csv", encoding: str = "utf-8") -> Path:
        folder = landing / self.as_of
        folder.mkdir(parents=True, exist_ok=True)
        for table, columns in (("accounts", ACCOUNT_COLUMNS), ("account_months", MONTH_COLUMNS),
                               ("postings", POSTING_COLUMNS)):
            rows = getattr(self, table)
            path = folder / f"{table}.{fmt}"
            if fmt == "parquet":
                frame = pl.DataFrame(rows, schema={c: pl.String for c in columns})
                frame.with_columns(pl.all().replace("", None)).write_parquet(path)  # parquet has real nulls
            else:
                data = _csv_text(columns, rows).encode(encoding)
                path.write_bytes(gzip.compress(data, mtime=0) if fmt == "csv.gz" else data)
        (folder / "manifest.json").write_text(json.dumps({"as_of_date": self.as_of, "encoding": encoding}))
        return Extract.refresh_manifest(folder)

    @staticmethod
    def refresh_manifest(folder: Path) -> Path:
        """Recomputes rows, checksums and control sums from the files as they are now."""
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        files = {}
        for path in sorted(folder.iterdir()):
            table = path.name.split(".", 1)[0]
            if table not in SUMS:
                continue
            rows = _records(path, manifest.get("encoding", "utf-8"))
            files[path.name] = {"rows": len(rows), "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                                "sums": {c: _sum(rows, c) for c in SUMS[table]}}
        manifest.update(source_system="test", files=files)
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        return folder

    @staticmethod
    def edit_manifest(folder: Path, as_of_date: str | None = None, encoding: str | None = None,
                      sum_of: tuple[str, str, str] | None = None, rows_of: tuple[str, int] | None = None) -> None:
        """Makes the manifest disagree with the files, as a faulty core system would."""
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if as_of_date:
            manifest["as_of_date"] = as_of_date
        if encoding:
            manifest["encoding"] = encoding
        if sum_of:
            manifest["files"][sum_of[0]]["sums"][sum_of[1]] = sum_of[2]
        if rows_of:
            manifest["files"][rows_of[0]]["rows"] = rows_of[1]
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
