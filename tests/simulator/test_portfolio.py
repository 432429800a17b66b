"""The simulator's promises: deterministic, contract-shaped, reconciling, and behaving like a book."""

import hashlib
import json
from datetime import date
from decimal import Decimal

import numpy as np
import polars as pl
import pytest

from simulator import behaviour
from simulator.book import open_accounts
from simulator.manifest import read_table
from simulator.portfolio import SimulationParams, simulate, simulate_month

SMALL = SimulationParams(accounts=2_000, months=8, first_month=date(2024, 1, 1), seed=11)


def digests(folders) -> dict[str, str]:
    return {f"{f.name}/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest()
            for f in folders for p in sorted(f.iterdir())}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    folders = simulate(SMALL, tmp_path_factory.mktemp("landing"), progress=False)
    read = lambda table: pl.concat([  # noqa: E731
        read_table(next(f.glob(f"{table}.*")), "utf-8").with_columns(extract=pl.lit(f.name)) for f in folders])
    return folders, read("accounts"), read("account_months"), read("postings")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, fmt):
    params = SimulationParams(accounts=300, months=3, first_month=date(2024, 1, 1), seed=5, file_format=fmt)
    first = digests(simulate(params, tmp_path / "a", progress=False))
    again = digests(simulate(params, tmp_path / "b", progress=False))
    other = digests(simulate(SimulationParams(**{**params.__dict__, "seed": 6}), tmp_path / "c", progress=False))
    assert first == again
    assert first != other


def test_manifest_matches_the_files(book):
    folders, *_ = book
    for folder in folders:
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["as_of_date"] == folder.name
        for name, entry in manifest["files"].items():
            path = folder / name
            assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
            frame = read_table(path, "utf-8")
            assert entry["rows"] == frame.height
            for column, total in entry["sums"].items():
                assert Decimal(total) == sum(Decimal(v) for v in frame[column].to_list())


def cents(column: str) -> pl.Expr:
    return (pl.col(column).cast(pl.Decimal(18, 2)) * 100).cast(pl.Int64)


def test_balances_follow_from_postings_to_the_cent(book):
    """closing = opening + debits − credits for every account and month, computed independently."""
    folders, _, months, postings = book
    totals = months.select("extract", "account_id", "status",
                           total=cents("principal_balance") + cents("interest_balance") + cents("fee_balance"))
    sign = {"disbursement": 1, "interest": 1, "penalty_interest": 1, "late_fee": 1,
            "repayment": -1, "waiver": -1, "charge_off": -1, "recovery": 0}
    net = postings.group_by("extract", "account_id").agg(
        net=(cents("amount") * pl.col("entry_type").replace_strict(sign, return_dtype=pl.Int64)).sum())
    names = [f.name for f in folders]
    checked = 0
    for previous, current in zip(names, names[1:]):
        opening = totals.filter(pl.col("extract") == previous).select("account_id", opening="total")
        closing = totals.filter(pl.col("extract") == current).select("account_id", closing="total")
        moved = net.filter(pl.col("extract") == current).select("account_id", "net")
        frame = (closing.join(opening, on="account_id", how="left").join(moved, on="account_id", how="left")
                 .fill_null(0))
        assert frame.filter(pl.col("closing") != pl.col("opening") + pl.col("net")).height == 0
        # accounts that left the book earlier may only receive recoveries
        gone = moved.join(closing, on="account_id", how="anti").filter(pl.col("net") != 0)
        assert gone.height == 0
        checked += frame.height
    assert checked > 5_000


def test_contract_rules_hold(book):
    folders, accounts, months, postings = book
    assert accounts["product"].is_in(["revolving", "installment", "cash_loan"]).all()
    assert accounts.group_by("extract").agg(pl.col("account_id").is_unique().all())["account_id"].all()
    assert postings["posting_id"].is_unique().all()
    assert (postings["amount"].cast(pl.Decimal(18, 2)) > 0).all()
    assert months["status"].is_in(["active", "frozen", "closed", "charged_off"]).all()
    ended = months.filter(pl.col("status").is_in(["closed", "charged_off"]))
    assert ended.height > 0
    for column in ("principal_balance", "interest_balance", "fee_balance"):
        assert (ended[column].cast(pl.Decimal(18, 2)) == 0).all()
    for folder, previous in zip(folders[1:], folders):
        dates = postings.filter(pl.col("extract") == folder.name)["posting_date"]
        assert dates.min() > previous.name and dates.max() <= folder.name
    # charged off exactly when DPD reaches 180: the charge-off posting lands 180 days after a due date
    charged = months.filter(pl.col("status") == "charged_off")
    assert (charged["days_past_due"].cast(pl.Int32) == 180).all()
    # revolving accounts that went overdue get frozen
    assert months.filter(pl.col("status") == "frozen").height > 0


@pytest.fixture(scope="module")
def larger(tmp_path_factory):
    """A book large enough that what happens to a few accounts a month surely happens."""
    params = SimulationParams(accounts=6_000, months=14, first_month=date(2024, 1, 1), seed=11)
    folders = simulate(params, tmp_path_factory.mktemp("larger"), progress=False)
    accounts = read_table(folders[-1] / "accounts.csv", "utf-8").select("account_id", "product")
    return pl.concat([read_table(f / "account_months.csv", "utf-8").join(accounts, on="account_id")
                      .with_columns(t=pl.lit(k), dpd=pl.col("days_past_due").cast(pl.Int32),
                                    utilisation=pl.col("principal_balance").cast(pl.Float64)
                                    / pl.col("credit_limit").cast(pl.Float64))
                      for k, f in enumerate(folders)])


def test_dpd_lands_on_both_sides_of_bucket_edges(larger):
    dpd = set(larger["dpd"].to_list())
    for edge in (30, 90):
        assert {edge - 2, edge - 1} & dpd and {edge, edge + 1, edge + 2} & dpd


def test_a_revolving_line_s_first_miss_is_foreshadowed(larger):
    """Strain comes before most missed payments on a line: a line drawn to 90 % of its limit
    while still current misses next month far more often than the rest (what early warning reads)."""
    lines = larger.filter((pl.col("product") == "revolving") & (pl.col("status") == "active"))
    pairs = lines.filter(pl.col("dpd") == 0).join(
        larger.select("account_id", pl.col("t") - 1, missed=pl.col("dpd") > 0), on=["account_id", "t"])
    rate = dict(pairs.group_by(pl.col("utilisation") >= 0.9).agg(pl.col("missed").mean()).iter_rows())
    assert rate[True] > 4 * rate[False]


def test_riskier_grades_go_overdue_more(book):
    _, accounts, months, _ = book
    grades = accounts.unique("account_id").select("account_id", "risk_grade")
    ever30 = (months.join(grades, on="account_id").group_by("account_id", "risk_grade")
              .agg(bad=(pl.col("days_past_due").cast(pl.Int32) >= 30).any()))
    rate = dict(ever30.group_by("risk_grade").agg(pl.col("bad").mean()).iter_rows())
    assert rate["E"] > 2.5 * rate["A"]


def test_stress_months_roll_worse_than_calm_months(tmp_path):
    """Simulation months 18–23 are the stress period: more current accounts miss a payment."""
    params = SimulationParams(accounts=6_000, months=24, first_month=date(2024, 1, 1), seed=3)
    folders = simulate(params, tmp_path, progress=False)
    shares = []
    for previous, current in zip(folders, folders[1:]):
        before = read_table(previous / "account_months.csv", "utf-8")
        now = read_table(current / "account_months.csv", "utf-8")
        pairs = before.filter(pl.col("days_past_due") == "0").join(now, on="account_id", suffix="_now")
        shares.append((pairs["days_past_due_now"].cast(pl.Int32) > 0).mean())
    calm, stressed = shares[6:16], shares[17:22]
    assert min(stressed) > max(calm)


def test_gbk_extract_holds_chinese(tmp_path):
    params = SimulationParams(accounts=300, months=1, first_month=date(2024, 1, 1), encoding="gbk")
    folder = simulate(params, tmp_path, progress=False)[0]
    raw = (folder / "accounts.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "合作商户" in raw.decode("gbk")
    assert json.loads((folder / "manifest.json").read_text())["encoding"] == "gbk"


def test_postings_stay_inside_a_short_month(monkeypatch):
    """A missed due date on 28 February: the late fee the day after must not land in March."""
    monkeypatch.setattr(behaviour, "FIRST_MISS", 1.0)
    params = SimulationParams(accounts=500, months=1, first_month=date(2025, 2, 1))
    book = open_accounts(params)
    book.due_day[:] = 28
    month = simulate_month(book, params, 0)
    late_fees = [days for _, days, kind, _ in month.parts if kind == "late_fee"]
    assert late_fees and sum(d.size for d in late_fees) > 20
    assert max(np.concatenate([days for _, days, _, _ in month.parts])) <= np.datetime64("2025-02-28")
