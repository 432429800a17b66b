"""The UCI credit-card adapter on the real export: six extracts that load whole and reconcile.

The transition counts are recomputed here straight from the CSV (status → bucket written out
again, not imported from the adapter), so a wrong mapping in the adapter cannot hide behind
the same mistake in the test.
"""

import json
import os
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from unittest import mock

import duckdb
import polars as pl
import pytest
from dagster import DagsterInstance

from adapters.uci_credit_card import MONTH_ENDS, UciExportError, convert, main
from orchestration.config import REPO_ROOT, load_settings

UCI_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "uci-credit-card" / "UCI_Credit_Card.csv"
MONTHS = [date(2005, m, 1) for m in range(4, 10)]
ACCOUNTS = 30_000
# the export's columns per month, April first: repayment status, bill
STATUS = {date(2005, 4, 1): "X11", date(2005, 5, 1): "X10", date(2005, 6, 1): "X9",
          date(2005, 7, 1): "X8", date(2005, 8, 1): "X7", date(2005, 9, 1): "X6"}
BILL = {date(2005, 4, 1): "X17", date(2005, 5, 1): "X16", date(2005, 6, 1): "X15",
        date(2005, 7, 1): "X14", date(2005, 8, 1): "X13", date(2005, 9, 1): "X12"}
# "k months late" → bucket under the default edges [0, 1, 30, 60, 90, 120, 150, 180]
LATE_BUCKET = {1: "dpd_30_59", 2: "dpd_60_89", 3: "dpd_90_119", 4: "dpd_120_149", 5: "dpd_150_179"}


@pytest.fixture(scope="module")
def source() -> pl.DataFrame:
    assert UCI_CSV.is_file(), f"the UCI export is expected at {UCI_CSV} (a copy of shared/ beside the repo)"
    return pl.read_csv(UCI_CSV, infer_schema=False)


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    """The export converted once, then the whole monthly job run over its six months as one
    Dagster run: loader, checks, marts and packs, with a config for 2005 and TWD."""
    root = tmp_path_factory.mktemp("uci")
    config = root / "uci.toml"
    config.write_text((REPO_ROOT / "riskpack.toml").read_text(encoding="utf-8")
                      .replace('first_month = "2023-11"\n\n[states]', 'first_month = "2005-04"\n\n[states]')
                      .replace('currency = "CNY"', 'currency = "TWD"')
                      # a card book from 2005: classified under the card regime, dated back to cover it
                      .replace('schedule = [["cn_card_2011", "2011-01-13"], ["cn_2023", "2023-07-01"]]',
                               'schedule = [["cn_card_2011", "2005-01-01"]]')
                      .replace('locales = ["en", "zh-CN"]', 'locales = ["en"]'), encoding="utf-8")
    env = {"RISKPACK_LANDING_DIR": str(root / "landing"), "RISKPACK_WAREHOUSE": str(root / "warehouse.duckdb"),
           "RISKPACK_OUTPUT_DIR": str(root / "reports"), "RISKPACK_OUTBOX": str(root / "outbox"),
           "RISKPACK_CONFIG": str(config)}
    settings = load_settings(env)
    assert settings.first_month == date(2005, 4, 1) and settings.currency == "TWD"
    assert settings.bucket_edges == (0, 1, 30, 60, 90, 120, 150, 180), "the expected buckets assume the default edges"
    folders = convert(UCI_CSV, settings.landing_dir)
    assert [f.name for f in folders] == [d.isoformat() for d in MONTH_ENDS]
    with mock.patch.dict(os.environ, env):
        # partitions are built from the config when the definitions are imported: import them fresh
        for name in [m for m in sys.modules if m.startswith("orchestration.")
                     and m not in ("orchestration.config", "orchestration.warehouse")]:
            del sys.modules[name]
        from orchestration.cli import RANGE_END_TAG, RANGE_START_TAG
        from orchestration.definitions import defs
        with DagsterInstance.ephemeral() as instance:
            result = defs.resolve_job_def("riskpack_monthly").execute_in_process(
                instance=instance, raise_on_error=False,
                tags={RANGE_START_TAG: "2005-04-01", RANGE_END_TAG: "2005-09-01"})
    for name in [m for m in sys.modules if m.startswith("orchestration.")
                 and m not in ("orchestration.config", "orchestration.warehouse")]:
        del sys.modules[name]  # later tests get the definitions of the shipped config again
    assert result.success, "the monthly job failed on the UCI extracts"
    return settings


def query(settings, sql: str, params: dict | None = None) -> pl.DataFrame:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.sql(sql, params=params or {}).pl()


def bucket(status_column: str) -> pl.Expr:
    status = pl.col(status_column).cast(pl.Int64)
    return (pl.when(status <= 0).then(pl.lit("current"))
            .when(status >= 6).then(pl.lit("dpd_180_plus"))
            .otherwise(status.replace_strict(LATE_BUCKET, default=None, return_dtype=pl.String)))


def test_every_row_loads_and_nothing_is_quarantined(settings):
    loads = query(settings, "select month, table_name, rows_in_file, rows_loaded, rows_quarantined, manifest_rows "
                            "from audit.loads order by month, table_name")
    assert loads.height == 3 * len(MONTHS)
    assert (loads["rows_in_file"] == loads["rows_loaded"]).all()
    assert (loads["rows_in_file"] == loads["manifest_rows"]).all()
    assert loads["rows_quarantined"].sum() == 0
    assert query(settings, "select count(*) as n from audit.quarantine")["n"][0] == 0
    snapshots = loads.filter(pl.col("table_name") != "core.postings")
    assert (snapshots["rows_loaded"] == ACCOUNTS).all()
    postings = loads.filter(pl.col("table_name") == "core.postings").sort("month")["rows_loaded"].to_list()
    assert postings[0] == 0 and all(n > 0 for n in postings[1:])
    assert query(settings, "select count(*) as n from core.account_month")["n"][0] == ACCOUNTS * len(MONTHS)
    assert query(settings, "select count(*) as n from audit.vanished_accounts")["n"][0] == 0
    assert query(settings, "select count(*) as n from audit.refused_extracts")["n"][0] == 0


def test_rollforward_has_no_breaks_from_may(settings):
    summary = query(settings, "select month, accounts_checked, accounts_with_break, break_amount, gross_break_amount "
                              "from audit.rollforward_summary where product = 'all' and month > $first order by month",
                    {"first": MONTHS[0]})
    assert summary["month"].to_list() == MONTHS[1:]
    assert (summary["accounts_checked"] == ACCOUNTS).all()
    assert (summary["accounts_with_break"] == 0).all()
    assert (summary["break_amount"] == 0).all() and (summary["gross_break_amount"] == 0).all()
    assert query(settings, "select count(*) as n from audit.rollforward_breaks")["n"][0] == 0


def test_the_whole_job_runs_on_the_export(settings):
    packs = sorted(p.name for p in settings.output_dir.glob("*/*.pdf"))
    assert packs == sorted(f"{pack}_2005-{m:02d}_en.pdf" for m in range(4, 10) for pack in ("management", "regulatory"))


def test_transition_counts_match_the_export(settings, source):
    """mart.roll_rates, as the pipeline wrote it, against counts made straight from the CSV."""
    for previous, month in zip(MONTHS, MONTHS[1:]):
        expected = (source.select(from_state=bucket(STATUS[previous]), to_state=bucket(STATUS[month]))
                    .group_by("from_state", "to_state").agg(accounts=pl.len().cast(pl.Int64)))
        actual = query(settings, "select from_state, to_state, accounts from mart.roll_rates "
                                 "where month = $month and product = 'all' and accounts > 0", {"month": month})
        keys = ["from_state", "to_state"]
        assert actual.sort(keys).to_dicts() == expected.sort(keys).to_dicts(), f"{month:%Y-%m}"
        assert actual["accounts"].sum() == ACCOUNTS


def test_scientific_notation_and_negative_bills_survive(settings, source):
    picks = {}  # (account, month) → the export's text of that bill
    for month, column in BILL.items():
        sci = source.filter(pl.col(column).str.contains("E")).row(0, named=True)
        negative = source.filter(pl.col(column).str.starts_with("-")).row(0, named=True)
        picks[("UCI" + sci["ID"], month)] = sci[column]
        picks[("UCI" + negative["ID"], month)] = negative[column]
    rows = query(settings, "select account_id, month, principal_balance, total_balance from core.account_month "
                           "where account_id in (select unnest($ids))", {"ids": sorted({a for a, _ in picks})})
    loaded_rows = {(r["account_id"], r["month"]): r for r in rows.to_dicts()}
    assert any("E" in text for text in picks.values()) and any(text.startswith("-") for text in picks.values())
    for key, text in picks.items():
        assert loaded_rows[key]["principal_balance"] == Decimal(text).quantize(Decimal("0.01")), (key, text)
        assert loaded_rows[key]["total_balance"] == loaded_rows[key]["principal_balance"]
    # a credit limit in scientific notation
    limit = source.filter(pl.col("X1").str.contains("E")).row(0, named=True)
    assert query(settings, "select original_amount from core.accounts where account_id = $id limit 1",
                 {"id": "UCI" + limit["ID"]})["original_amount"][0] == Decimal(limit["X1"]).quantize(Decimal("0.01"))


def test_unparseable_value_stops_the_conversion(tmp_path):
    bad = tmp_path / "bad.csv"
    lines = UCI_CSV.read_text(encoding="utf-8").splitlines()[:4]
    fields = lines[2].split(",")
    fields[12] = "12x"  # X12 of the second data row
    bad.write_text("\n".join([lines[0], lines[1], ",".join(fields), lines[3]]) + "\n", encoding="utf-8")
    with pytest.raises(UciExportError, match=r"column X12, line 3: not a valid amount — '12x'"):
        convert(bad, tmp_path / "landing")
    assert not (tmp_path / "landing").exists()
    assert main(["--csv", str(bad), "--landing", str(tmp_path / "landing")]) == 1


def test_formats_carry_the_same_figures_and_a_rerun_the_same_bytes(tmp_path):
    manifests = {}
    for file_format in ("csv", "csv.gz", "parquet"):
        folders = convert(UCI_CSV, tmp_path / file_format, file_format)
        manifests[file_format] = [json.loads((f / "manifest.json").read_text(encoding="utf-8")) for f in folders]
    figures = {fmt: [{name.split(".")[0]: (spec["rows"], spec["sums"]) for name, spec in m["files"].items()}
                     for m in ms] for fmt, ms in manifests.items()}
    assert figures["csv"] == figures["csv.gz"] == figures["parquet"]
    assert [m["files"]["postings.csv"]["rows"] for m in manifests["csv"]][0] == 0
    again = convert(UCI_CSV, tmp_path / "csv", "csv")
    assert [json.loads((f / "manifest.json").read_text(encoding="utf-8")) for f in again] == manifests["csv"]
    convert(UCI_CSV, tmp_path / "csv", "parquet")  # a format switch replaces the files, it does not add to them
    assert sorted(p.name for p in again[-1].iterdir()) == [
        "account_months.parquet", "accounts.parquet", "manifest.json", "postings.parquet"]
