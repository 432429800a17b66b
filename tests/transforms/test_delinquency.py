"""Delinquency (methodology §2) on portfolios small enough to compute by hand."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from transforms.delinquency import (
    delinquency_by_state,
    delinquency_summary,
    receivable_balance,
)

EDGES = (0, 1, 30, 60, 90, 120, 150, 180)
MONTH = date(2024, 6, 1)
MONEY = pl.Decimal(18, 2)


def snapshot(rows: list[tuple]) -> pl.DataFrame:
    """rows: (account_id, product, status, dpd, total_balance, state)"""
    frame = pl.DataFrame(rows, schema={"account_id": pl.String, "product": pl.String, "status": pl.String,
                                       "days_past_due": pl.Int32, "total_balance": pl.String, "state": pl.String},
                         orient="row")
    return frame.with_columns(pl.col("total_balance").cast(MONEY),
                              on_book=pl.col("status").is_in(["active", "frozen"])).with_columns(
        receivable=pl.col("on_book") & (pl.col("total_balance") > 0))


def postings(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"account_id": pl.String, "product": pl.String, "entry_type": pl.String,
                                      "amount": pl.String}, orient="row").with_columns(pl.col("amount").cast(MONEY))


BOOK = snapshot([
    ("R1", "revolving", "active", 0, "1000.00", "current"),
    ("R2", "revolving", "frozen", 30, "500.00", "dpd_30_59"),
    ("R3", "revolving", "active", 0, "0.00", "current"),
    ("R4", "revolving", "active", 0, "-50.00", "current"),
    ("I1", "installment", "active", 29, "300.00", "dpd_1_29"),
    ("I2", "installment", "active", 90, "200.00", "dpd_90_119"),
    ("C1", "cash_loan", "charged_off", 181, "0.00", "charged_off"),
    ("C2", "cash_loan", "closed", 0, "0.00", "closed"),
])
FLOWS = postings([("C1", "cash_loan", "charge_off", "800.00"), ("C1", "cash_loan", "recovery", "50.00"),
                  ("R1", "revolving", "repayment", "100.00")])
PRIOR = pl.DataFrame({"product": ["revolving", "installment", "cash_loan", "all"],
                      "receivable_balance": [Decimal("1400"), Decimal("600"), Decimal("400"), Decimal("2400")]},
                     schema_overrides={"receivable_balance": MONEY})


def row(frame: pl.DataFrame, product: str) -> dict:
    return frame.filter(pl.col("product") == product).to_dicts()[0]


def test_rates_on_a_hand_computed_book():
    out = delinquency_summary(BOOK, FLOWS, MONTH, PRIOR)
    total = row(out, "all")
    # receivable: R1 1000 + R2 500 + I1 300 + I2 200 = 2000 (R3 zero, R4 credit balance, C1/C2 off book)
    assert total["receivable_balance"] == Decimal("2000.00")
    assert total["receivable_accounts"] == 4
    assert total["accounts_on_book"] == 6
    assert total["balance_on_book"] == Decimal("1950.00")
    assert total["dq30_balance"] == Decimal("700.00")  # R2 500 (DPD 30 counts) + I2 200; I1 at 29 does not
    assert total["dq30_rate"] == pytest.approx(0.35)
    assert total["dq60_rate"] == pytest.approx(0.10)
    assert total["dq90_rate"] == pytest.approx(0.10)  # DPD 90 counts as 90+
    assert total["dq30_account_rate"] == pytest.approx(0.5)
    assert total["dq90_account_rate"] == pytest.approx(0.25)
    assert total["gross_charge_offs"] == Decimal("800.00")
    assert total["recoveries"] == Decimal("50.00")
    assert total["net_charge_offs"] == Decimal("750.00")
    # 750 × 12 / ((2000 + 2400) / 2)
    assert total["nco_rate"] == pytest.approx(9000 / 2200)
    revolving = row(out, "revolving")
    assert revolving["dq30_rate"] == pytest.approx(500 / 1500)
    assert revolving["balance_on_book"] == Decimal("1450.00")
    assert revolving["nco_rate"] == pytest.approx(0.0)
    assert row(out, "installment")["dq90_rate"] == pytest.approx(0.4)
    cash = row(out, "cash_loan")
    assert cash["receivable_balance"] == Decimal("0.00")
    assert cash["dq30_rate"] is None  # no receivable balance: a rate does not exist, it is not zero
    assert cash["nco_rate"] == pytest.approx(9000 / 200)


def test_nco_is_null_without_a_prior_month():
    out = delinquency_summary(BOOK, FLOWS, MONTH, None)
    assert out["nco_rate"].null_count() == out.height


def test_by_state_counts_every_state_and_product():
    out = delinquency_by_state(BOOK, MONTH, EDGES)
    assert out.height == 4 * 10  # (3 products + all) × (8 buckets + 2 terminal states)
    total = out.filter(pl.col("product") == "all").select("state", "accounts", "balance")
    got = {r["state"]: (r["accounts"], r["balance"]) for r in total.to_dicts()}
    assert got["current"] == (3, Decimal("950.00"))
    assert got["dpd_1_29"] == (1, Decimal("300.00"))
    assert got["dpd_30_59"] == (1, Decimal("500.00"))
    assert got["dpd_60_89"] == (0, Decimal("0.00"))
    assert got["dpd_90_119"] == (1, Decimal("200.00"))
    assert got["charged_off"] == (1, Decimal("0.00"))
    assert got["closed"] == (1, Decimal("0.00"))
    assert total["accounts"].sum() == BOOK.height


def test_empty_month_gives_zeros_and_no_rates():
    empty = BOOK.clear()
    out = delinquency_summary(empty, FLOWS.clear(), MONTH, None)
    assert out.height == 4
    assert out["receivable_balance"].to_list() == [Decimal("0")] * 4
    assert out["dq30_rate"].null_count() == 4
    assert delinquency_by_state(empty, MONTH, EDGES)["accounts"].sum() == 0


def test_single_account_portfolio():
    one = snapshot([("R1", "revolving", "active", 95, "123.45", "dpd_90_119")])
    out = delinquency_summary(one, FLOWS.clear(), MONTH, receivable_balance(one))
    total = row(out, "all")
    assert total["dq90_rate"] == 1.0 and total["dq30_account_rate"] == 1.0
    assert total["nco_rate"] == 0.0
    assert row(out, "installment")["receivable_accounts"] == 0


def test_sums_stay_exact_decimals():
    cents = snapshot([(f"A{i}", "revolving", "active", 0, "0.10", "current") for i in range(10)])
    out = delinquency_summary(cents, FLOWS.clear(), MONTH, None)
    assert out.schema["receivable_balance"] == MONEY
    assert row(out, "all")["receivable_balance"] == Decimal("1.00")
