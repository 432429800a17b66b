from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from polars.testing import assert_frame_equal

from transforms.states import (
    bucket_expr,
    bucket_labels,
    classify_account_months,
    state_labels,
    sums_by_product,
    with_all_products,
    with_totals,
)

US = (0, 1, 30, 60, 90, 120, 150, 180)
CN = (0, 1, 31, 61, 91, 121, 151, 181)


def test_labels_are_built_from_the_edges():
    assert bucket_labels(US) == ["current", "dpd_1_29", "dpd_30_59", "dpd_60_89", "dpd_90_119",
                                 "dpd_120_149", "dpd_150_179", "dpd_180_plus"]
    assert bucket_labels(CN)[1:3] == ["dpd_1_30", "dpd_31_60"]
    assert state_labels(US)[-2:] == ["charged_off", "closed"]


@pytest.mark.parametrize(("edges", "dpd", "bucket"), [
    (US, 0, "current"), (US, 1, "dpd_1_29"), (US, 29, "dpd_1_29"), (US, 30, "dpd_30_59"),
    (US, 59, "dpd_30_59"), (US, 60, "dpd_60_89"), (US, 89, "dpd_60_89"), (US, 90, "dpd_90_119"),
    (US, 91, "dpd_90_119"), (US, 179, "dpd_150_179"), (US, 180, "dpd_180_plus"), (US, 181, "dpd_180_plus"),
    (US, 270, "dpd_180_plus"), (US, 271, "dpd_180_plus"), (US, 360, "dpd_180_plus"), (US, 361, "dpd_180_plus"),
    (CN, 30, "dpd_1_30"), (CN, 31, "dpd_31_60"), (CN, 90, "dpd_61_90"), (CN, 91, "dpd_91_120"),
    (CN, 180, "dpd_151_180"), (CN, 181, "dpd_181_plus"),
])
def test_bucket_boundaries(edges, dpd, bucket):
    frame = pl.DataFrame({"dpd": [dpd]}, schema={"dpd": pl.Int32})
    assert frame.select(bucket_expr(pl.col("dpd"), edges))["dpd"][0] == bucket


def test_classification_status_overrides_bucket_and_mob_counts_from_open_month():
    money = pl.Decimal(18, 2)
    snapshot = pl.DataFrame({
        "account_id": ["a", "b", "c", "d"],
        "status": ["active", "frozen", "charged_off", "closed"],
        "principal_balance": [Decimal("100.00"), Decimal("50.00"), Decimal("0"), Decimal("0")],
        "interest_balance": [Decimal("1.50"), Decimal("0"), Decimal("0"), Decimal("0")],
        "fee_balance": [Decimal("0.25"), Decimal("10.00"), Decimal("0"), Decimal("0")],
        "days_past_due": [0, 45, 200, 0],
    }, schema_overrides={c: money for c in ("principal_balance", "interest_balance", "fee_balance")})
    accounts = pl.DataFrame({"account_id": ["a", "b", "c", "d"], "product": ["revolving"] * 4,
                             "open_date": [date(2024, 3, 31), date(2023, 12, 1), date(2023, 3, 15), date(2024, 3, 1)]})
    out = classify_account_months(snapshot, accounts, date(2024, 3, 1), US).sort("account_id")
    assert out["state"].to_list() == ["current", "dpd_30_59", "charged_off", "closed"]
    assert out["bucket"].to_list() == ["current", "dpd_30_59", "dpd_180_plus", "current"]
    assert out["mob"].to_list() == [0, 3, 12, 0]
    assert out["cohort_month"].to_list() == [date(2024, 3, 1), date(2023, 12, 1), date(2023, 3, 1), date(2024, 3, 1)]
    assert out["total_balance"].to_list() == [Decimal("101.75"), Decimal("60.00"), Decimal("0"), Decimal("0")]
    assert out["on_book"].to_list() == [True, True, False, False]
    assert out["receivable"].to_list() == [True, True, False, False]


ROWS = pl.DataFrame({
    "product": ["revolving", "revolving", "cash_loan", "cash_loan", None, "installment"],
    "state": ["current", "dpd_1_29", "current", "current", "current", None],
    "balance": ["10.10", "20.20", "30.30", None, "1.01", "5.00"],
}).with_columns(pl.col("balance").cast(pl.Decimal(18, 2)))
SUMS = {"accounts": pl.len().cast(pl.Int64), "balance": pl.col("balance").sum().cast(pl.Decimal(18, 2)),
        "current": (pl.col("state") == "current").sum()}


@pytest.mark.parametrize("by", [[], ["state"]])
def test_sums_by_product_equal_the_groups_of_every_row_under_all_too(by):
    # the `all` rows are the products' sums added up, exactly: the same frame, types included, as
    # grouping the rows once under their product and once more under `all` (a null product or state
    # is a group of its own in both)
    order = ["product", *by]
    expected = with_all_products(ROWS).group_by(order).agg(**SUMS).sort(order, nulls_last=True)
    assert_frame_equal(sums_by_product(ROWS, by, **SUMS).sort(order, nulls_last=True), expected)
    assert_frame_equal(sums_by_product(ROWS.clear(), by, **SUMS), ROWS.clear().group_by(order).agg(**SUMS))


def test_totals_of_another_column():
    sums = pl.DataFrame({"product": ["revolving", "revolving", "cash_loan"], "stage": ["1", "2", "1"],
                         "ecl": [Decimal("1.5"), Decimal("2.25"), Decimal("4")]}
                        ).with_columns(pl.col("ecl").cast(pl.Decimal(38, 10)))
    totals = with_totals(sums, "stage", "all", ["product"]).filter(pl.col("stage") == "all").sort("product")
    assert totals.rows() == [("cash_loan", "all", Decimal("4")), ("revolving", "all", Decimal("3.75"))]
    assert totals.schema == sums.schema
