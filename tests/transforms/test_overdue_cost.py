"""Overdue cost, account actions and the recovery curve (methodology §7), computed by hand."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from transforms.overdue_cost import (
    OVERDUE_COST_COLUMNS,
    RECOVERY_CURVE_COLUMNS,
    overdue_cost,
    recovery_curve,
)

EDGES = (0, 1, 30, 60, 90, 120, 150, 180)
MONTH = date(2024, 6, 1)
MONEY = pl.Decimal(18, 2)


def snapshot(rows: list[tuple]) -> pl.DataFrame:
    """rows: (account_id, product, status, bucket, principal_balance, interest_balance, fee_balance)"""
    frame = pl.DataFrame(rows, schema={"account_id": pl.String, "product": pl.String, "status": pl.String,
                                       "bucket": pl.String, "principal_balance": pl.String,
                                       "interest_balance": pl.String, "fee_balance": pl.String}, orient="row")
    money = ["principal_balance", "interest_balance", "fee_balance"]
    return frame.with_columns(pl.col(money).cast(MONEY)).with_columns(
        total_balance=(pl.col("principal_balance") + pl.col("interest_balance") + pl.col("fee_balance")).cast(MONEY),
        on_book=pl.col("status").is_in(["active", "frozen"]))


def postings(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"account_id": pl.String, "product": pl.String, "entry_type": pl.String,
                                      "amount": pl.String}, orient="row").with_columns(pl.col("amount").cast(MONEY))


def cell(frame: pl.DataFrame, bucket: str, product: str = "all") -> dict:
    rows = frame.filter((pl.col("product") == product) & (pl.col("bucket") == bucket)).to_dicts()
    assert len(rows) == 1
    return rows[0]


PREVIOUS = snapshot([
    ("A", "revolving", "active", "current", "100.00", "0.00", "0.00"),
    ("B", "revolving", "active", "dpd_30_59", "300.00", "0.00", "10.00"),
    ("C", "installment", "active", "current", "200.00", "0.00", "0.00"),
    ("D", "installment", "frozen", "dpd_1_29", "200.00", "10.00", "5.00"),
    ("E", "cash_loan", "active", "dpd_60_89", "500.00", "0.00", "40.00"),
    ("G", "revolving", "frozen", "dpd_1_29", "50.00", "0.00", "2.00"),
])
CURRENT = snapshot([
    ("A", "revolving", "frozen", "dpd_1_29", "100.00", "15.00", "5.00"),     # freeze; fees 5 % of principal
    ("B", "revolving", "active", "current", "200.00", "0.00", "0.00"),       # cure
    ("C", "installment", "active", "dpd_1_29", "200.00", "10.00", "20.00"),  # fees exactly 10 %: not over
    ("D", "installment", "frozen", "dpd_30_59", "200.00", "15.00", "25.00"), # over 10 %; was frozen already
    ("E", "cash_loan", "charged_off", "dpd_90_119", "0.00", "0.00", "0.00"), # off book in m
    ("F", "cash_loan", "active", "current", "1000.00", "0.00", "0.00"),      # opened in m
    ("G", "revolving", "frozen", "current", "0.00", "0.00", "0.00"),         # cure while frozen (on book)
])
POSTINGS = postings([
    ("A", "revolving", "penalty_interest", "1.50"), ("A", "revolving", "late_fee", "5.00"),
    ("D", "installment", "penalty_interest", "2.25"), ("D", "installment", "penalty_interest", "0.75"),
    ("D", "installment", "late_fee", "10.00"),
    ("E", "cash_loan", "penalty_interest", "9.99"),  # E left the book in m: not in the table
    ("B", "revolving", "repayment", "100.00"), ("C", "installment", "interest", "10.00"),
])


def test_overdue_cost_by_hand():
    out = overdue_cost(CURRENT, PREVIOUS, POSTINGS, EDGES, MONTH)
    assert out.columns == OVERDUE_COST_COLUMNS
    assert out.height == 4 * 8  # (3 products + all) × 8 buckets
    assert out.schema["bucket_order"] == pl.Int32 and out.schema["fee_share"] == pl.Float64
    for column in ("total_balance", "penalty_interest", "late_fees", "fee_balance"):
        assert out.schema[column] == MONEY
    for column in ("accounts", "fees_over_10pct_principal", "freezes", "cures"):
        assert out.schema[column] == pl.Int64

    current = cell(out, "current")
    assert (current["accounts"], current["total_balance"]) == (3, Decimal("1200.00"))  # B 200 + F 1000 + G 0
    assert (current["cures"], current["freezes"]) == (2, 0)  # B and G
    assert current["fee_share"] == 0.0

    early = cell(out, "dpd_1_29")  # A and C
    assert (early["accounts"], early["total_balance"]) == (2, Decimal("350.00"))  # 120 + 230
    assert (early["penalty_interest"], early["late_fees"]) == (Decimal("1.50"), Decimal("5.00"))
    assert early["fee_balance"] == Decimal("25.00")
    assert early["fee_share"] == pytest.approx(25 / 350)
    assert early["fees_over_10pct_principal"] == 0  # A 5 %, C exactly 10 %
    assert (early["freezes"], early["cures"]) == (1, 0)  # A: active → frozen

    late = cell(out, "dpd_30_59")  # D
    assert (late["penalty_interest"], late["late_fees"]) == (Decimal("3.00"), Decimal("10.00"))
    assert late["fees_over_10pct_principal"] == 1  # 25 > 20
    assert late["freezes"] == 0  # frozen in m−1 already
    assert late["fee_share"] == pytest.approx(25 / 240)

    assert out.filter(pl.col("product") == "all")["penalty_interest"].sum() == Decimal("4.50")  # E's 9.99 not here
    assert cell(out, "dpd_90_119")["accounts"] == 0
    assert cell(out, "dpd_90_119")["fee_share"] is None
    assert cell(out, "dpd_1_29", "revolving")["freezes"] == 1
    assert cell(out, "dpd_1_29", "installment")["fees_over_10pct_principal"] == 0
    assert cell(out, "current", "revolving")["cures"] == 2
    assert cell(out, "current", "cash_loan")["cures"] == 0  # F is new, not a cure
    assert out["bucket_order"].to_list()[:8] == list(range(8))


@pytest.mark.parametrize("previous", [PREVIOUS.clear(), pl.DataFrame()])
def test_empty_previous_month_has_no_freezes_or_cures(previous):
    out = overdue_cost(CURRENT, previous, POSTINGS, EDGES, MONTH)
    assert out["freezes"].sum() == 0 and out["cures"].sum() == 0
    assert cell(out, "dpd_30_59")["late_fees"] == Decimal("10.00")  # the rest does not need m−1
    assert cell(out, "current")["accounts"] == 3


def test_empty_month():
    out = overdue_cost(CURRENT.clear(), PREVIOUS.clear(), POSTINGS.clear(), EDGES, MONTH)
    assert out.height == 32
    assert out["accounts"].sum() == 0
    assert out["total_balance"].to_list() == [Decimal(0)] * 32
    assert out["fee_share"].null_count() == 32


def test_fees_threshold_edges():
    book = snapshot([
        ("P", "cash_loan", "active", "dpd_1_29", "100.00", "0.00", "10.00"),   # exactly 10 %: not over
        ("Q", "cash_loan", "active", "dpd_1_29", "100.00", "0.00", "10.01"),   # just over
        ("N", "cash_loan", "active", "dpd_1_29", "-5.00", "0.00", "3.00"),     # fees, no principal left: over
        ("Z", "cash_loan", "active", "dpd_1_29", "-5.00", "0.00", "0.00"),     # no fees: never over
    ])
    out = overdue_cost(book, PREVIOUS.clear(), POSTINGS.clear(), EDGES, MONTH)
    assert cell(out, "dpd_1_29", "cash_loan")["fees_over_10pct_principal"] == 2
    assert cell(out, "dpd_1_29")["fee_share"] == pytest.approx(23.01 / 213.01)


def test_single_account_and_other_edges():
    chinese = (0, 1, 31, 61, 91, 121, 151, 181)
    one = snapshot([("A", "revolving", "frozen", "dpd_31_60", "100.00", "0.00", "20.00")])
    before = snapshot([("A", "revolving", "active", "dpd_1_30", "100.00", "0.00", "0.00")])
    out = overdue_cost(one, before, postings([("A", "revolving", "late_fee", "20.00")]), chinese, MONTH)
    assert out.height == 32
    got = cell(out, "dpd_31_60")
    assert (got["accounts"], got["late_fees"], got["freezes"], got["fees_over_10pct_principal"]) == \
        (1, Decimal("20.00"), 1, 1)
    assert got["fee_share"] == pytest.approx(20 / 120)


def test_buckets_of_other_edges_are_refused():
    with pytest.raises(ValueError, match="dpd_31_60"):
        overdue_cost(snapshot([("A", "revolving", "active", "dpd_31_60", "1.00", "0.00", "0.00")]),
                     PREVIOUS.clear(), POSTINGS.clear(), EDGES, MONTH)


# ---------------------------------------------------------------------------------------------- recovery curve

def flows(rows: list[tuple]) -> pl.DataFrame:
    """rows: (account_id, product, month, entry_type, amount)"""
    return pl.DataFrame(rows, schema={"account_id": pl.String, "product": pl.String, "month": pl.Date,
                                      "entry_type": pl.String, "amount": pl.String}, orient="row") \
        .with_columns(pl.col("amount").cast(MONEY))


APR, MAY, JUN, JUL = date(2024, 4, 1), date(2024, 5, 1), date(2024, 6, 1), date(2024, 7, 1)
HISTORY = flows([
    ("X", "revolving", APR, "charge_off", "100.00"),
    ("X", "revolving", MAY, "recovery", "10.00"),
    ("X", "revolving", JUN, "recovery", "5.00"),
    ("X", "revolving", JUL, "recovery", "99.00"),     # after the reporting month: ignored
    ("Y", "installment", APR, "charge_off", "150.00"),
    ("Y", "installment", APR, "recovery", "20.00"),   # months_since 0
    ("Y", "installment", MAY, "charge_off", "50.00"), # a later partial charge-off: still the April cohort
    ("Z", "revolving", MAY, "charge_off", "50.00"),
    ("Z", "revolving", JUN, "recovery", "25.00"),
    ("W", "cash_loan", MAY, "recovery", "7.00"),      # written off before the data starts: not on the curve
    ("V", "revolving", JUL, "charge_off", "80.00"),   # future: ignored
])


def curve_cell(frame: pl.DataFrame, product: str, charge_off_month: date, months_since: int) -> dict:
    rows = frame.filter((pl.col("product") == product) & (pl.col("charge_off_month") == charge_off_month)
                        & (pl.col("months_since") == months_since)).to_dicts()
    assert len(rows) == 1
    return rows[0]


def test_recovery_curve_over_three_months():
    out = recovery_curve(HISTORY, JUN)
    assert out.columns == RECOVERY_CURVE_COLUMNS
    assert out.schema["months_since"] == pl.Int32 and out.schema["cumulative_recoveries"] == MONEY
    assert out.schema["charged_off_amount"] == MONEY and out.schema["accounts"] == pl.Int64
    # cohorts Apr (ages 0–2), May (0–1), Jun (0): 6 cells per product and all
    assert out.height == 4 * 6
    assert set(out["month"].to_list()) == {JUN}
    assert out.filter(pl.col("charge_off_month").dt.offset_by(
        pl.format("{}mo", pl.col("months_since"))) > JUN).height == 0  # no future cells

    expected_all_april = [(0, "20.00", 20 / 300), (1, "30.00", 30 / 300), (2, "35.00", 35 / 300)]
    for k, cumulative, rate in expected_all_april:
        got = curve_cell(out, "all", APR, k)
        assert (got["accounts"], got["charged_off_amount"]) == (2, Decimal("300.00"))  # X 100 + Y 150 + 50
        assert got["cumulative_recoveries"] == Decimal(cumulative)
        assert got["recovery_rate"] == pytest.approx(rate)
    assert curve_cell(out, "all", MAY, 0)["cumulative_recoveries"] == Decimal("0.00")
    assert curve_cell(out, "all", MAY, 1)["recovery_rate"] == pytest.approx(0.5)  # Z: 25 / 50
    june = curve_cell(out, "all", JUN, 0)
    assert (june["accounts"], june["charged_off_amount"], june["recovery_rate"]) == (0, Decimal("0.00"), None)

    assert [curve_cell(out, "revolving", APR, k)["cumulative_recoveries"] for k in range(3)] == \
        [Decimal("0.00"), Decimal("10.00"), Decimal("15.00")]
    assert curve_cell(out, "installment", APR, 2)["recovery_rate"] == pytest.approx(20 / 200)
    assert curve_cell(out, "cash_loan", APR, 0)["recovery_rate"] is None  # W never charged off in the data


def test_recovery_curve_as_of_an_earlier_month_stops_there():
    out = recovery_curve(HISTORY, MAY)
    assert out.height == 4 * 3  # Apr (0–1), May (0)
    april = curve_cell(out, "all", APR, 1)
    assert april["charged_off_amount"] == Decimal("300.00")  # X 100 + Y 150 + Y's May 50 (dated ≤ May)
    assert april["cumulative_recoveries"] == Decimal("30.00")


def test_recoveries_before_the_charge_off_month_are_left_out():
    history = flows([("A", "revolving", MAY, "recovery", "5.00"), ("A", "revolving", JUN, "charge_off", "40.00"),
                     ("A", "revolving", JUN, "recovery", "4.00")])
    out = recovery_curve(history, JUN)
    assert out.height == 4
    assert curve_cell(out, "revolving", JUN, 0)["recovery_rate"] == pytest.approx(0.1)


def test_recovery_curve_without_charge_offs_is_empty():
    out = recovery_curve(HISTORY.clear(), JUN)
    assert out.columns == RECOVERY_CURVE_COLUMNS and out.height == 0
    assert recovery_curve(HISTORY.filter(pl.col("month") == JUL), JUN).height == 0  # only future charge-offs
