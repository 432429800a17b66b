"""Roll-forward identity and vanished accounts on hand-made months."""

from datetime import date
from decimal import Decimal

import polars as pl

from transforms.reconcile import rollforward, rollforward_summary, vanished_accounts

MONEY = pl.Decimal(18, 2)
MONTH = date(2024, 2, 1)


def snap(rows):
    """rows: (account_id, product, status, total_balance, mob)"""
    return pl.DataFrame(rows, schema={"account_id": pl.String, "product": pl.String, "status": pl.String,
                                      "total_balance": pl.String, "mob": pl.Int32}, orient="row") \
        .with_columns(pl.col("total_balance").cast(MONEY))


def post(rows):
    return pl.DataFrame(rows, schema={"account_id": pl.String, "entry_type": pl.String, "amount": pl.String},
                        orient="row").with_columns(pl.col("amount").cast(MONEY))


PRIOR = snap([("A", "revolving", "active", "100.00", 3), ("B", "revolving", "active", "200.00", 3),
              ("V", "installment", "frozen", "70.00", 5), ("X", "cash_loan", "charged_off", "0.00", 9)])
CURRENT = snap([("A", "revolving", "active", "130.50", 4), ("B", "revolving", "active", "150.00", 4),
                ("N", "installment", "active", "500.00", 0)])
POSTINGS = post([
    ("A", "disbursement", "50.00"), ("A", "interest", "1.25"), ("A", "penalty_interest", "0.25"),
    ("A", "late_fee", "9.00"), ("A", "repayment", "20.00"), ("A", "waiver", "10.00"),   # 100+60.50-30 = 130.50
    ("B", "repayment", "40.00"),                                                         # 200-40 = 160 ≠ 150
    ("N", "disbursement", "500.00"),
    ("X", "recovery", "25.00"),                                                          # cash only: no break
    ("Z", "waiver", "5.00"),                                                             # not on book anywhere
])
PRODUCTS = pl.DataFrame({"account_id": ["A", "B", "N", "V", "X", "Z"],
                         "product": ["revolving", "revolving", "installment", "installment", "cash_loan", "cash_loan"]})


def by_account(frame):
    return {r["account_id"]: r for r in frame.to_dicts()}


def test_identity_holds_and_breaks_are_measured():
    out = by_account(rollforward(PRIOR, CURRENT, POSTINGS, PRODUCTS, MONTH))
    assert out["A"]["break_amount"] == Decimal("0.00")
    assert out["A"]["debits"] == Decimal("60.50") and out["A"]["credits"] == Decimal("30.00")
    assert out["B"]["expected_closing"] == Decimal("160.00")
    assert out["B"]["break_amount"] == Decimal("-10.00")
    assert out["N"]["opening_balance"] == Decimal("0.00") and out["N"]["break_amount"] == Decimal("0.00")
    # an account off book that still had a balance-moving posting: closing 0, expected -5
    assert out["Z"]["break_amount"] == Decimal("5.00")
    assert "X" not in out  # recoveries do not move the balance
    assert "V" not in out  # vanished accounts are reported on their own, not as breaks
    # the snapshot's product, and for an account that left it (Z) the extract's accounts'
    assert {a: r["product"] for a, r in out.items()} == {"A": "revolving", "B": "revolving", "N": "installment",
                                                        "Z": "cash_loan"}


def test_vanished_account_is_reported():
    out = vanished_accounts(PRIOR, CURRENT, MONTH)
    assert out["account_id"].to_list() == ["V"]
    assert out["previous_status"].to_list() == ["frozen"]
    assert out["previous_balance"].to_list() == [Decimal("70.00")]
    assert vanished_accounts(None, CURRENT, MONTH).height == 0


def test_first_month_checks_only_new_accounts():
    out = by_account(rollforward(None, CURRENT, POSTINGS, PRODUCTS, MONTH))
    assert set(out) == {"N"}


def test_summary_reports_net_and_gross_breaks():
    checked = rollforward(PRIOR, CURRENT, POSTINGS, PRODUCTS, MONTH)
    summary = {r["product"]: r for r in rollforward_summary(checked, MONTH).to_dicts()}
    assert summary["all"]["accounts_checked"] == 4
    assert summary["all"]["accounts_with_break"] == 2
    assert summary["all"]["break_amount"] == Decimal("-5.00")        # -10 + 5
    assert summary["all"]["gross_break_amount"] == Decimal("15.00")  # |-10| + |5|
    assert summary["installment"]["accounts_with_break"] == 0
