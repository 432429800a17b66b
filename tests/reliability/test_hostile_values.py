"""Hostile text in the extracts (markup, a URL and a file path, control characters, a character no
font has, thousands of characters) travels through the warehouse into the packs: every pack still
renders, and prints the text as text."""

import re
from datetime import date

import polars as pl

from orchestration.config import REPO_ROOT
from simulator.extract import write_table
from simulator.manifest import read_table, write_manifest
from simulator.portfolio import SimulationParams, simulate
from tests.reliability.job import run

HOSTILE = {
    "markup": "<script>alert(1)</script><b>bold</b>",
    "url": "<img src=\"http://127.0.0.1:1/x.png\">",
    "path": "<link rel=attachment href=\"/etc/passwd\">",
    "control": "bell\x07 escape\x1b[31m",
    "non_bmp": "\U00020000\U0001F600 名",
    "long": "长" * 5000,
}


def poison(folder) -> None:
    """Six accounts of the January 2024 cohort (observed at the horizon, so printed in the lifetime
    loss by channel) get a hostile channel; one extra posting names a hostile, unknown account
    (quarantined; the pack prints the rule, not the value)."""
    accounts = read_table(folder / "accounts.csv", "utf-8")
    chosen = accounts.filter(pl.col("open_date").str.starts_with("2024-01")).sort("account_id").head(len(HOSTILE))
    hostile = dict(zip(chosen["account_id"].to_list(), HOSTILE.values()))
    accounts = accounts.with_columns(channel=pl.col("account_id").replace_strict(hostile, default=pl.col("channel")))
    write_table(accounts, folder / "accounts.csv", "csv", "utf-8")
    postings = read_table(folder / "postings.csv", "utf-8")
    extra = postings.head(1).with_columns(posting_id=pl.lit(f"HOSTILE-{folder.name}"),
                                          account_id=pl.lit(HOSTILE["markup"]))
    write_table(pl.concat([postings, extra]), folder / "postings.csv", "csv", "utf-8")
    write_manifest(folder, date.fromisoformat(folder.name), "utf-8")


def test_hostile_text_renders_as_text(settings, outcomes, tmp_path, monkeypatch):
    # a three-month vintage horizon: January's cohort is observed at it by May, so lifetime losses by
    # channel (where the channel names are printed) exist in a five-month book
    config = tmp_path / "riskpack.toml"
    config.write_text((REPO_ROOT / "riskpack.toml").read_text(encoding="utf-8").replace("horizon = 24", "horizon = 3"),
                      encoding="utf-8")  # both locales: hostile text must print in the Chinese packs too
    monkeypatch.setenv("RISKPACK_CONFIG", str(config))
    simulate(SimulationParams(accounts=800, months=5, first_month=date(2024, 1, 1), seed=17), settings.landing_dir,
             progress=False)
    for folder in sorted(settings.landing_dir.iterdir()):
        poison(folder)
    ok = run("2024-01-01", "2024-05-01", "all")
    html = "".join(p.read_text(encoding="utf-8") for p in settings.output_dir.glob("2024-05/*.html"))
    pdfs = list(settings.output_dir.rglob("*.pdf"))
    raw_markup = [m for m in ("<script>alert", "<img src=\"http", "<link rel=attachment href=\"/etc") if m in html]
    seen = {
        "markup escaped": "&lt;script&gt;alert(1)&lt;/script&gt;" in html,
        "control shown as code": "bell[U+0007] escape[U+001B]" in html,
        "long text cut": "长" * 2000 + "…" in html and "长" * 2001 not in html,
    }
    outcomes.record("hostile values in extracts (markup, URL, path, control, non-BMP, 5,000 chars)",
                    "every pack renders; text printed as text",
                    f"run {'ok' if ok else 'FAILED'}; {len(pdfs)} PDFs; raw markup {len(raw_markup)}; "
                    + ", ".join(k for k, v in seen.items() if v))
    assert ok and len(pdfs) == 20  # two packs × two locales × five months
    assert not raw_markup and all(seen.values()), (raw_markup, seen)
    # the character no font has prints as its code point; the emoji only if a font has it
    assert "[U+20000]" in html or "\U00020000" in html
    assert not re.search(r"<(script|img|link)\b[^>]*(alert|127\.0\.0\.1|/etc/passwd)", html)
