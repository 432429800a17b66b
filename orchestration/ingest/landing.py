"""The landing directory: which extracts exist and which of them serve a month."""

from __future__ import annotations

from datetime import date
from pathlib import Path

FILE_STEMS = ("accounts", "account_months", "postings")


def parse_extract_date(folder: Path) -> date | None:
    """The as_of_date a folder is named after, or None for anything else in the landing dir."""
    try:
        return date.fromisoformat(folder.name) if len(folder.name) == 10 else None
    except ValueError:
        return None


def list_extracts(landing_dir: Path) -> list[tuple[date, Path]]:
    """Every extract folder, oldest first."""
    if not landing_dir.is_dir():
        return []
    found = [(parse_extract_date(p), p) for p in landing_dir.iterdir() if p.is_dir()]
    return sorted((d, p) for d, p in found if d is not None)


def month_of(day: date) -> date:
    return day.replace(day=1)


def extracts_for_month(landing_dir: Path, month: date) -> list[tuple[date, Path]]:
    """The extracts of a reporting month, oldest first; the last one is the month's snapshot."""
    return [(d, p) for d, p in list_extracts(landing_dir) if month_of(d) == month]


def months_with_extracts(landing_dir: Path) -> list[date]:
    return sorted({month_of(d) for d, _ in list_extracts(landing_dir)})
