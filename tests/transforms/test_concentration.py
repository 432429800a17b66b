"""Concentration by product, risk grade and region, by hand."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from transforms.concentration import concentration

MONEY = pl.Decimal(18, 2)
SNAPSHOT = pl.DataFrame({
    "account_id": ["a", "b", "c", "d", "e"],
    "product": ["revolving", "revolving", "installment", "installment", "revolving"],
    "on_book": [True, True, True, True, False],   # e is closed: not in the book
    "days_past_due": [0, 30, 29, 90, 0],          # 30 and 90 count as 30+, 29 does not
    "total_balance": ["100.00", "300.00", "200.00", "400.00", "999.00"],
}).with_columns(pl.col("total_balance").cast(MONEY), pl.col("days_past_due").cast(pl.Int32))
ACCOUNTS = pl.DataFrame({"account_id": ["a", "b", "c", "d", "e"], "risk_grade": ["A", "B", "A", "E", "A"],
                         "region": ["310000", "310000", None, "440000", "110000"]})


def row(frame, **keys):
    found = frame.filter(pl.all_horizontal(pl.col(k) == v for k, v in keys.items()))
    assert found.height == 1, keys
    return found.row(0, named=True)


def test_concentration_by_hand():
    out = concentration(SNAPSHOT, ACCOUNTS, date(2024, 3, 1))
    # all products: book 1000 (e is closed); 30+ = b 300 + d 400
    shanghai = row(out, product="all", dimension="region", segment="310000")
    assert (shanghai["accounts"], shanghai["balance"], shanghai["balance_share"]) == (2, Decimal("300.00") + 100, 0.4)
    assert shanghai["dq30_rate"] == pytest.approx(0.75)
    assert row(out, product="all", dimension="region", segment="(none)")["balance"] == Decimal("200.00")
    assert "110000" not in out.filter(pl.col("dimension") == "region")["segment"].to_list()
    grade_a = row(out, product="all", dimension="risk_grade", segment="A")
    assert (grade_a["balance"], grade_a["dq30_rate"]) == (Decimal("300.00"), 0.0)
    assert row(out, product="all", dimension="product", segment="installment")["balance_share"] == pytest.approx(0.6)
    # within a product, shares are of that product's book
    assert row(out, product="installment", dimension="risk_grade", segment="E")["balance_share"] == pytest.approx(400 / 600)
    for (product, dimension), part in out.group_by("product", "dimension"):
        assert part["balance_share"].sum() == pytest.approx(1.0)


def test_an_empty_month():
    assert concentration(SNAPSHOT.clear(), ACCOUNTS.clear(), date(2024, 3, 1)).height == 0
