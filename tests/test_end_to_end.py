"""`riskpack run` from an empty landing directory to reports, on a small simulated portfolio.

The same path as `make run`, with the project's own Dagster instance config (pools included)
in a temporary DAGSTER_HOME, so the run is recorded as it would be for `make ui`.
"""

import re
import shutil
import time
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import duckdb
import polars as pl
import pytest
from dagster import DagsterInstance
from polars.testing import assert_frame_equal

from orchestration import cli, warehouse
from orchestration.assets import early_warning
from orchestration.assets.risk import vintage_months
from orchestration.config import REPO_ROOT, load_settings
from orchestration.warehouse import connect
from simulator.portfolio import SimulationParams, simulate
from transforms.states import bucket_labels

EARLY_WARNING_TABLES = ("mart.early_warning", "mart.early_warning_actions", "mart.early_warning_model",
                        "mart.early_warning_backtest", "mart.early_warning_bands", "mart.early_warning_patterns")


class _ChartParents(HTMLParser):
    """Every inline chart's id, the element it sits in, and whether that element has a caption."""

    VOID = {"img", "br", "meta", "link", "col", "input", "hr", "wbr", "source"}

    def __init__(self):
        super().__init__()
        self.open: list[list] = []  # [tag, has a figcaption]
        self.charts: list[tuple[str, str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "figcaption" and self.open:
            self.open[-1][1] = True
        if tag == "svg" and "chart" in (attributes.get("class") or "").split():
            self.charts.append((attributes["id"], *self.open[-1]))
        if tag not in self.VOID:
            self.open.append([tag, False])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass


def chart_parents(html: str) -> list[tuple[str, str, bool]]:
    parser = _ChartParents()
    parser.feed(html)
    return parser.charts


@pytest.fixture
def dagster_home(tmp_path, monkeypatch):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO_ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


def test_run_goes_from_extracts_to_reports(settings, dagster_home, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("RISKPACK_CONFIG", str(REPO_ROOT / "riskpack.toml"))  # the shipped config: both locales
    simulate(SimulationParams(accounts=1_500, months=4, first_month=date(2024, 1, 1), seed=7),
             settings.landing_dir, progress=False)
    assert cli.main(["run"]) == 0
    out = capsys.readouterr().out
    assert str(settings.output_dir) in out
    for month in ("2024-01", "2024-02", "2024-03", "2024-04"):
        for pack in ("management", "regulatory"):
            for locale in ("en", "zh-CN"):  # the shipped config's locales
                for suffix in ("html", "pdf"):
                    path = settings.output_dir / month / f"{pack}_{month}_{locale}.{suffix}"
                    assert path.is_file() and path.stat().st_size > 1000, path
        # every chart of a complete pack (all chapters have data by April) sits in a captioned figure: a
        # chart outside one is an inline image that can part from its title, and the note under it
        # (pulled up by its negative margin) printed half hidden behind the chart's white ground
        charts = chart_parents((settings.output_dir / month / f"management_{month}_en.html").read_text("utf-8"))
        assert [chart for chart in charts if chart[1:] != ("figure", True)] == []
    assert len(charts) >= 12 and {"roll-trend", "charge-off-projection"} <= {chart[0] for chart in charts}
    # every word in the charts sits level: Chinese turned on its side (each y axis' title) does not read
    chinese = (settings.output_dir / month / f"management_{month}_zh-CN.html").read_text("utf-8")
    angles = [float(angle) for angle in re.findall(r'transform="rotate\((-?[\d.]+) ', chinese)]
    assert len(angles) > 100 and set(angles) == {0.0}
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert con.execute("select count(distinct month) from mart.delinquency").fetchone() == (4,)
        # the marts' losses and overdue charges are the month's postings of those kinds: every charge-off
        # and recovery, and the penalty interest and late fees of the accounts on book at month end
        marts = con.execute(
            "select d.month, d.gross_charge_offs, d.recoveries, o.penalty_interest, o.late_fees "
            "from mart.delinquency as d join (select month, sum(penalty_interest) as penalty_interest, "
            "sum(late_fees) as late_fees from mart.overdue_cost where product = 'all' group by month) as o "
            "using (month) where d.product = 'all' order by month").fetchall()
        postings = con.execute(
            "select p.month, sum(amount) filter (entry_type = 'charge_off'), "
            "sum(amount) filter (entry_type = 'recovery'), "
            "sum(amount) filter (entry_type = 'penalty_interest' and s.on_book), "
            "sum(amount) filter (entry_type = 'late_fee' and s.on_book) "
            "from core.postings as p left join core.account_month as s on s.account_id = p.account_id "
            "and s.month = p.month and s.as_of_date = (select max(as_of_date) from core.account_month "
            "where month = p.month) group by p.month order by p.month").fetchall()
        assert marts == [tuple(value or 0 for value in row) for row in postings]
        assert all(sum(row[1:]) > 0 for row in marts[1:])
        # the simulator's balances follow from its postings to the cent, every month
        assert con.execute("select count(*) from audit.rollforward_breaks").fetchone() == (0,)
        assert con.execute("select sum(accounts_checked) from audit.rollforward_summary "
                           "where product = 'all' and month > '2024-01-01'").fetchone()[0] > 0
        assert con.execute("select sum(rows_quarantined) from audit.loads").fetchone() == (0,)
        # ECL from the second month (the first has no transitions to estimate PD from)
        assert con.execute("select count(distinct month) from mart.ecl_summary").fetchone() == (3,)
        # early-warning signals every month; no score before six months with a known outcome exist
        assert con.execute("select count(distinct month), count(score) from mart.early_warning").fetchone() == (4, 0)
        assert con.execute("select count(distinct regime) from mart.regulatory_classification").fetchone() == (1,)
        pd = pl.DataFrame(con.execute("select product, bucket, horizon, cumulative_pd from mart.pd_term_structure "
                                      "where month = '2024-04-01'").fetchall(),
                          schema=["product", "bucket", "horizon", "cumulative_pd"], orient="row")
    # PD rises with the horizon and with the bucket, for every product
    assert pd.height > 0
    by_horizon = pd.sort("product", "bucket", "horizon").group_by("product", "bucket", maintain_order=True).agg(
        rising=(pl.col("cumulative_pd").diff().drop_nulls() >= 0).all())
    assert by_horizon["rising"].all()
    order = {b: i for i, b in enumerate(bucket_labels(settings.bucket_edges))}
    by_bucket = (pd.with_columns(order=pl.col("bucket").replace_strict(order)).sort("product", "horizon", "order")
                 .group_by("product", "horizon").agg(rising=(pl.col("cumulative_pd").diff().drop_nulls() >= 0).all()))
    assert by_bucket["rising"].all()
    with DagsterInstance.get() as instance:
        runs = instance.get_runs()
    assert len(runs) == 1 and runs[0].is_success  # one run over the range, not one per month

    # a book over ACCOUNTS_PER_PART has its early warning worked out in parts of its accounts: the
    # same tables as whole (the demo's 1,500 accounts taken in four parts here)
    run_settings = load_settings()
    april = date(2024, 4, 1)
    with connect(run_settings.warehouse, read_only=True) as con, monkeypatch.context() as patch:
        whole = early_warning.block_tables(run_settings, con, [april])[april]
        patch.setattr(early_warning, "ACCOUNTS_PER_PART", 400)
        in_parts = early_warning.block_tables(run_settings, con, [april])[april]
        assert early_warning.parts(1_500) == 4 and whole["mart.early_warning"].height > 1_000
    for table, rows in whole.items():
        assert_frame_equal(in_parts[table], rows)

    # vintage over a range reads the delinquent rows and losses once, up to its last month: each
    # month's tables equal those of the month worked out alone
    months = [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1), april]
    with connect(run_settings.warehouse, read_only=True) as con:
        in_one_run = dict(vintage_months(run_settings, con, months))
        assert list(in_one_run) == months
        for month in months:
            for table, rows in dict(vintage_months(run_settings, con, [month]))[month].items():
                assert_frame_equal(in_one_run[month][table], rows)
        assert in_one_run[april]["mart.vintage"]["ever30_accounts"].sum() > 0

    # a range of months is worked out in blocks of the outcome horizon: the same tables as one month
    # at a time, each month written before the next is worked out. A score from one month with a
    # known outcome (2024-01 for 2024-04) so that the fit is compared too; the months' stored rows
    # are deleted first, so a block reading its own months' rows would differ. With a horizon of one
    # month, the run is three blocks, each fitted on the stored months before it: the feature
    # patterns a block counted are kept for the next, which reads only the month it has not seen.
    # Each write is slowed down: a block that read the stored rows before the block before had
    # written them would fit without them.
    write_month = warehouse.write_month

    def slow_write(*args):
        time.sleep(0.5)
        write_month(*args)

    monkeypatch.setattr(warehouse, "write_month", slow_write)
    thresholds, options = run_settings.early_warning
    months = [date(2024, 2, 1), date(2024, 3, 1), april]
    for horizon, blocks, scored_months in ((options.horizon, [months], [april]), (1, [[m] for m in months], months)):
        scoring = replace(run_settings, early_warning=(thresholds, replace(options, min_fit_months=1, horizon=horizon)))
        assert early_warning.month_blocks(months, horizon) == blocks
        written = {}
        for name, runs in (("one at a time", [[month] for month in months]), ("in one run", [months])):
            copy = tmp_path / f"{name} {horizon}.duckdb"
            shutil.copy(run_settings.warehouse, copy)
            with connect(copy) as con:
                for table in EARLY_WARNING_TABLES:
                    con.execute(f"delete from {table} where month >= '2024-02-01'")
                for run in runs:
                    early_warning.write_months(scoring, con, run, "test-run")
                written[name] = {table: con.sql(f"select * from {table} order by all").pl()
                                 for table in EARLY_WARNING_TABLES}
        scored = written["in one run"]["mart.early_warning"].filter(pl.col("score").is_not_null())
        assert sorted(scored["month"].unique()) == scored_months and scored.height > 1_000
        for table, rows in written["one at a time"].items():
            assert_frame_equal(written["in one run"][table], rows)


def test_run_with_a_bad_config_names_the_setting(settings, dagster_home, tmp_path, monkeypatch, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text((REPO_ROOT / "riskpack.toml").read_text().replace("quarantine_threshold = 0.005",
                                                                      "quarantine_threshold = -1"))
    monkeypatch.setenv("RISKPACK_CONFIG", str(bad))
    assert cli.main(["run"]) == 2
    assert "loader.quarantine_threshold" in capsys.readouterr().err
    assert not settings.landing_dir.exists()  # nothing ran
