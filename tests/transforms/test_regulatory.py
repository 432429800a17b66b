"""Regulatory classification and US past-due reporting (methodology §6) on books small enough to
classify by hand."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from transforms.regulatory import (
    CATEGORY_NAMES_ZH,
    CHARGE_OFF_POINT_COLUMNS,
    CLASSIFICATION_COLUMNS,
    PAST_DUE_COLUMNS,
    RATIO_COLUMNS,
    REGIMES,
    ClassificationRegime,
    classification_table,
    classify,
    past_charge_off_point,
    regime_in_force,
    regulatory_ratios,
    us_past_due,
)

MONTH = date(2024, 6, 1)
MONEY = pl.Decimal(18, 2)


def snapshot(rows: list[tuple]) -> pl.DataFrame:
    """rows: (account_id, product, status, dpd, total_balance)"""
    return pl.DataFrame(rows, schema={"account_id": pl.String, "product": pl.String, "status": pl.String,
                                      "days_past_due": pl.Int32, "total_balance": pl.String}, orient="row") \
        .with_columns(pl.col("total_balance").cast(MONEY), on_book=pl.col("status").is_in(["active", "frozen"]))


def allowance(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"account_id": pl.String, "ecl": pl.Float64}, orient="row")


def postings(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"account_id": pl.String, "product": pl.String, "entry_type": pl.String,
                                      "amount": pl.String}, orient="row").with_columns(pl.col("amount").cast(MONEY))


NO_ALLOWANCE = allowance([])
NO_POSTINGS = postings([])


def row(frame: pl.DataFrame, product: str, **keys) -> dict:
    match = pl.col("product") == product
    for key, value in keys.items():
        match &= pl.col(key) == value
    rows = frame.filter(match).to_dicts()
    assert len(rows) == 1
    return rows[0]


# ---------------------------------------------------------------------------------------------- regimes

def test_built_in_regimes():
    for name in ("cn_2023", "cn_card_2011"):
        regime = REGIMES[name]
        assert isinstance(regime, ClassificationRegime)
        assert [c.name for c in regime.categories] == ["pass", "special_mention", "substandard", "doubtful", "loss"]
        assert [c.order for c in regime.categories] == [1, 2, 3, 4, 5]
        assert [c.name_zh for c in regime.categories] == ["正常", "关注", "次级", "可疑", "损失"]
    assert [(c.min_dpd, c.max_dpd) for c in REGIMES["cn_2023"].categories] == [
        (0, 0), (1, 90), (91, 270), (271, 360), (361, None)]
    assert [(c.min_dpd, c.max_dpd) for c in REGIMES["cn_card_2011"].categories] == [
        (0, 0), (1, 90), (91, 120), (121, 180), (181, None)]
    ffiec = REGIMES["us_ffiec"]
    assert dict(ffiec.charge_off_dpd) == {"revolving": 180, "installment": 120, "cash_loan": 120}
    assert dict(ffiec.nonaccrual_dpd) == {"revolving": None, "installment": 90, "cash_loan": 90}
    assert CATEGORY_NAMES_ZH["substandard"] == "次级"


SCHEDULE = [("cn_card_2011", date(2011, 1, 13)), ("cn_2023", date(2023, 7, 15))]


@pytest.mark.parametrize(("month", "expected"), [
    (date(2011, 1, 1), "cn_card_2011"),   # effective mid-month: governs that month-end
    (date(2023, 6, 1), "cn_card_2011"),
    (date(2023, 7, 1), "cn_2023"),        # 15 July ≤ 31 July
    (date(2026, 10, 1), "cn_2023"),
])
def test_regime_in_force_is_the_latest_effective_by_month_end(month, expected):
    assert regime_in_force(SCHEDULE, month) == expected
    assert regime_in_force(list(reversed(SCHEDULE)), month) == expected  # order of the schedule is irrelevant


def test_regime_in_force_refuses_a_month_before_any_regime():
    with pytest.raises(ValueError, match="2010-12"):
        regime_in_force(SCHEDULE, date(2010, 12, 1))
    with pytest.raises(ValueError, match="2024-06"):
        regime_in_force([], MONTH)


def test_regime_in_force_refuses_unknown_and_clashing_names():
    with pytest.raises(ValueError, match="cn_2031"):
        regime_in_force([*SCHEDULE, ("cn_2031", date(2031, 1, 1))], MONTH)  # even one not yet in force
    with pytest.raises(ValueError, match="share an effective date"):
        regime_in_force([("cn_2023", date(2023, 7, 1)), ("us_ffiec", date(2023, 7, 1))], MONTH)
    assert regime_in_force([("us_ffiec", date(2020, 1, 1))], MONTH) == "us_ffiec"


# ---------------------------------------------------------------------------------------------- classify

BOUNDARY_DPD = [0, 1, 90, 91, 120, 121, 180, 181, 270, 271, 360, 361]
EXPECTED = {
    "cn_2023": ["pass", "special_mention", "special_mention", "substandard", "substandard", "substandard",
                "substandard", "substandard", "substandard", "doubtful", "doubtful", "loss"],
    "cn_card_2011": ["pass", "special_mention", "special_mention", "substandard", "substandard", "doubtful",
                     "doubtful", "loss", "loss", "loss", "loss", "loss"],
}
ORDER = {"pass": 1, "special_mention": 2, "substandard": 3, "doubtful": 4, "loss": 5}


@pytest.mark.parametrize("regime", ["cn_2023", "cn_card_2011"])
def test_category_boundaries(regime):
    book = snapshot([(f"A{dpd}", "revolving", "active", dpd, "100.00") for dpd in BOUNDARY_DPD])
    out = classify(book, regime).sort("days_past_due")
    assert out["days_past_due"].to_list() == BOUNDARY_DPD
    assert out["category"].to_list() == EXPECTED[regime]
    assert out["category_order"].to_list() == [ORDER[c] for c in EXPECTED[regime]]
    assert out.schema["category_order"] == pl.Int32


def test_classify_keeps_only_on_book_rows_and_their_columns():
    book = snapshot([("A", "revolving", "frozen", 95, "10.00"), ("B", "installment", "closed", 0, "0.00"),
                     ("C", "cash_loan", "charged_off", 400, "0.00")])
    out = classify(book, "cn_2023")
    assert out["account_id"].to_list() == ["A"]
    assert out.columns == [*book.columns, "category_order", "category"]
    assert out["category"].to_list() == ["substandard"]


def test_classify_refuses_us_ffiec_unknown_regimes_and_missing_dpd():
    book = snapshot([("A", "revolving", "active", 0, "10.00")])
    with pytest.raises(ValueError, match="us_ffiec"):
        classify(book, "us_ffiec")
    with pytest.raises(ValueError, match="cn_1999"):
        classify(book, "cn_1999")
    with pytest.raises(ValueError, match="days_past_due"):
        classify(book.with_columns(days_past_due=pl.lit(None, dtype=pl.Int32)), "cn_2023")


# ---------------------------------------------------------------------------------------------- table and ratios

BOOK = snapshot([
    ("R1", "revolving", "active", 0, "1000.00"),      # pass
    ("R2", "revolving", "frozen", 100, "400.00"),     # cn_2023 substandard; card: substandard
    ("R3", "revolving", "frozen", 150, "100.00"),     # cn_2023 substandard; card: doubtful
    ("I1", "installment", "active", 30, "500.00"),    # special mention
    ("I2", "installment", "active", 300, "200.00"),   # cn_2023 doubtful; card: loss
    ("C1", "cash_loan", "active", 400, "300.00"),     # loss
    ("C2", "cash_loan", "charged_off", 200, "0.00"),  # off book: not classified
    ("C3", "cash_loan", "closed", 0, "0.00"),
])
ECL = allowance([("R1", 10.0), ("R2", 300.0), ("R3", 90.0), ("I1", 25.0), ("I2", 150.0), ("C1", 270.0),
                 ("C2", 999.0)])  # C2's row is ignored: off book


def test_classification_table_by_hand():
    out = classification_table(BOOK, ECL, "cn_2023", MONTH)
    assert out.columns == CLASSIFICATION_COLUMNS
    assert out.schema["accounts"] == pl.Int64 and out.schema["balance"] == MONEY
    assert out.schema["allowance"] == pl.Float64 and out.schema["category_order"] == pl.Int32
    assert out.height == 4 * 5  # (3 products + all) × 5 categories, empty cells included
    assert set(out["regime"].to_list()) == {"cn_2023"} and set(out["month"].to_list()) == {MONTH}
    got = {r["category"]: (r["accounts"], r["balance"], r["allowance"])
           for r in out.filter(pl.col("product") == "all").to_dicts()}
    assert got == {"pass": (1, Decimal("1000.00"), 10.0), "special_mention": (1, Decimal("500.00"), 25.0),
                   "substandard": (2, Decimal("500.00"), 390.0), "doubtful": (1, Decimal("200.00"), 150.0),
                   "loss": (1, Decimal("300.00"), 270.0)}
    assert row(out, "revolving", category="substandard")["accounts"] == 2
    empty_cell = row(out, "cash_loan", category="pass")
    assert (empty_cell["accounts"], empty_cell["balance"], empty_cell["allowance"]) == (0, Decimal("0.00"), 0.0)
    assert out.filter(pl.col("product") == "all")["accounts"].sum() == 6  # the 6 on-book accounts


def test_card_regime_classifies_the_same_book_differently():
    out = classification_table(BOOK, ECL, "cn_card_2011", MONTH).filter(pl.col("product") == "all")
    got = {r["category"]: r["accounts"] for r in out.to_dicts()}
    assert got == {"pass": 1, "special_mention": 1, "substandard": 1, "doubtful": 1, "loss": 2}
    assert out["regime"].unique().to_list() == ["cn_card_2011"]


def test_ratios_by_hand():
    out = regulatory_ratios(classification_table(BOOK, ECL, "cn_2023", MONTH))
    assert out.columns == RATIO_COLUMNS
    assert out.height == 4
    total = row(out, "all")
    assert total["on_book_balance"] == Decimal("2500.00")
    assert total["npl_balance"] == Decimal("1000.00")  # 500 substandard + 200 doubtful + 300 loss
    assert total["npl_ratio"] == pytest.approx(0.4)
    assert total["allowance"] == pytest.approx(845.0)
    assert total["provision_coverage"] == pytest.approx(0.845)
    assert total["provision_coverage_breach"] is True  # 84.5 % < 150 %
    assert total["loan_provision_ratio"] == pytest.approx(845 / 2500)
    assert total["loan_provision_ratio_breach"] is False  # 33.8 % ≥ 2.5 %
    assert (total["provision_coverage_min"], total["loan_provision_ratio_min"]) == (1.5, 0.025)
    revolving = row(out, "revolving")
    assert revolving["npl_balance"] == Decimal("500.00")
    assert revolving["provision_coverage"] == pytest.approx(400 / 500)
    installment = row(out, "installment")
    assert installment["npl_ratio"] == pytest.approx(200 / 700)
    assert installment["provision_coverage"] == pytest.approx(175 / 200)
    assert installment["loan_provision_ratio"] == pytest.approx(175 / 700)


def test_breach_flags_both_ways():
    book = snapshot([("A", "revolving", "active", 0, "900.00"), ("B", "revolving", "active", 100, "100.00"),
                     ("C", "installment", "active", 0, "960.00"), ("D", "installment", "active", 100, "40.00")])
    # revolving: coverage 160/100 = 1.6 ≥ 1.5 and 160/1000 = 0.16 ≥ 0.025: both comply
    # installment: coverage 20/40 = 0.5 < 1.5 and 20/1000 = 0.02 < 0.025: both breach
    ecl = allowance([("A", 10.0), ("B", 150.0), ("C", 5.0), ("D", 15.0)])
    out = regulatory_ratios(classification_table(book, ecl, "cn_2023", MONTH))
    revolving, installment = row(out, "revolving"), row(out, "installment")
    assert revolving["provision_coverage"] == pytest.approx(1.6)
    assert revolving["provision_coverage_breach"] is False and revolving["loan_provision_ratio_breach"] is False
    assert installment["loan_provision_ratio"] == pytest.approx(0.02)
    assert installment["provision_coverage_breach"] is True and installment["loan_provision_ratio_breach"] is True
    # the minimums are parameters; at 0.5 and 2 % the installment book sits exactly on them, which complies
    relaxed = regulatory_ratios(classification_table(book, ecl, "cn_2023", MONTH), 0.5, 0.02)
    assert row(relaxed, "installment")["provision_coverage_breach"] is False
    assert row(relaxed, "installment")["loan_provision_ratio_breach"] is False
    assert row(relaxed, "installment")["provision_coverage_min"] == 0.5


def test_no_npl_means_no_coverage_and_no_breach_flag():
    book = snapshot([("A", "revolving", "active", 0, "1000.00"), ("B", "revolving", "active", 90, "500.00")])
    out = regulatory_ratios(classification_table(book, allowance([("A", 5.0), ("B", 40.0)]), "cn_2023", MONTH))
    total = row(out, "all")
    assert total["npl_balance"] == Decimal("0.00") and total["npl_ratio"] == 0.0  # DPD 90 is still special mention
    assert total["provision_coverage"] is None and total["provision_coverage_breach"] is None
    assert total["loan_provision_ratio"] == pytest.approx(0.03)
    assert total["loan_provision_ratio_breach"] is False


def test_empty_allowance_gives_null_allowance_ratios_and_flags():
    table = classification_table(BOOK, NO_ALLOWANCE, "cn_2023", MONTH)
    assert table["allowance"].null_count() == table.height
    assert table.filter(pl.col("product") == "all")["balance"].sum() == Decimal("2500.00")  # balances are still there
    out = regulatory_ratios(table)
    for column in ("allowance", "provision_coverage", "provision_coverage_breach", "loan_provision_ratio",
                   "loan_provision_ratio_breach"):
        assert out[column].null_count() == 4, column
    assert row(out, "all")["npl_ratio"] == pytest.approx(0.4)
    assert out["provision_coverage_min"].to_list() == [1.5] * 4


def test_an_on_book_account_without_allowance_is_refused():
    with pytest.raises(ValueError, match="R1"):
        classification_table(BOOK, ECL.filter(pl.col("account_id") != "R1"), "cn_2023", MONTH)


def test_empty_month():
    empty = BOOK.clear()
    table = classification_table(empty, NO_ALLOWANCE, "cn_2023", MONTH)
    assert table.height == 20 and table["accounts"].sum() == 0
    assert table["balance"].to_list() == [Decimal(0)] * 20
    out = regulatory_ratios(table)
    assert out.height == 4
    assert out["on_book_balance"].to_list() == [Decimal(0)] * 4
    assert out["npl_ratio"].null_count() == 4 and out["provision_coverage_breach"].null_count() == 4
    assert regulatory_ratios(classification_table(empty, ECL, "cn_2023", MONTH))["allowance"].to_list() == [0.0] * 4


def test_single_account():
    one = snapshot([("I1", "installment", "active", 271, "123.45")])
    table = classification_table(one, allowance([("I1", 200.0)]), "cn_2023", MONTH)
    assert row(table, "installment", category="doubtful")["balance"] == Decimal("123.45")
    assert table["accounts"].sum() == 2  # once under installment, once under all
    total = row(regulatory_ratios(table), "all")
    assert total["npl_ratio"] == 1.0
    assert total["provision_coverage"] == pytest.approx(200 / 123.45)
    assert total["provision_coverage_breach"] is False


def test_minimums_must_be_sensible():
    table = classification_table(BOOK, ECL, "cn_2023", MONTH)
    with pytest.raises(ValueError, match="provision_coverage_min"):
        regulatory_ratios(table, provision_coverage_min=-1)
    with pytest.raises(ValueError, match="loan_provision_ratio_min"):
        regulatory_ratios(table, loan_provision_ratio_min=float("nan"))


# ---------------------------------------------------------------------------------------------- us_ffiec

US_BOOK = snapshot([
    ("R29", "revolving", "active", 29, "1.00"),        # not past due in the report's sense
    ("R30", "revolving", "active", 30, "10.00"),       # 30–89
    ("R89", "revolving", "frozen", 89, "20.00"),       # 30–89
    ("R90", "revolving", "frozen", 90, "40.00"),       # 90+ and still accruing: revolving accrues to charge-off
    ("R179", "revolving", "frozen", 179, "80.00"),     # 90+ accruing
    ("I89", "installment", "active", 89, "100.00"),    # 30–89
    ("I90", "installment", "active", 90, "200.00"),    # nonaccrual: closed-end stops accruing at 90
    ("C119", "cash_loan", "active", 119, "400.00"),    # nonaccrual
    ("C0", "cash_loan", "active", 0, "800.00"),
    ("X", "cash_loan", "charged_off", 150, "0.00"),    # off book
])
US_FLOWS = postings([("X", "cash_loan", "charge_off", "500.00"), ("X", "cash_loan", "recovery", "30.00"),
                     ("R1", "revolving", "recovery", "5.00"), ("C0", "cash_loan", "repayment", "50.00")])


def test_us_past_due_revolving_accrues_closed_end_does_not():
    out = us_past_due(US_BOOK, US_FLOWS, MONTH)
    assert out.columns == PAST_DUE_COLUMNS
    assert out["product"].to_list() == ["revolving", "installment", "cash_loan", "all"]
    revolving = row(out, "revolving")
    assert (revolving["past_due_30_89_accounts"], revolving["past_due_30_89_balance"]) == (2, Decimal("30.00"))
    assert (revolving["past_due_90_accruing_accounts"], revolving["past_due_90_accruing_balance"]) == \
        (2, Decimal("120.00"))
    assert revolving["nonaccrual_accounts"] == 0
    installment = row(out, "installment")
    assert (installment["past_due_30_89_accounts"], installment["past_due_30_89_balance"]) == (1, Decimal("100.00"))
    assert installment["past_due_90_accruing_accounts"] == 0
    assert (installment["nonaccrual_accounts"], installment["nonaccrual_balance"]) == (1, Decimal("200.00"))
    total = row(out, "all")
    assert total["past_due_30_89_accounts"] == 3 and total["past_due_90_accruing_accounts"] == 2
    assert (total["nonaccrual_accounts"], total["nonaccrual_balance"]) == (2, Decimal("600.00"))
    assert (total["gross_charge_offs"], total["recoveries"], total["net_charge_offs"]) == \
        (Decimal("500.00"), Decimal("35.00"), Decimal("465.00"))
    assert row(out, "revolving")["net_charge_offs"] == Decimal("-5.00")
    for column in PAST_DUE_COLUMNS[2:]:
        assert out.schema[column] == (pl.Int64 if column.endswith("_accounts") else MONEY), column


def test_us_categories_do_not_overlap():
    out = us_past_due(US_BOOK, US_FLOWS, MONTH)
    total = row(out, "all")
    thirty_plus = US_BOOK.filter(pl.col("on_book") & (pl.col("days_past_due") >= 30))
    assert (total["past_due_30_89_accounts"] + total["past_due_90_accruing_accounts"]
            + total["nonaccrual_accounts"]) == thirty_plus.height
    assert (total["past_due_30_89_balance"] + total["past_due_90_accruing_balance"]
            + total["nonaccrual_balance"]) == thirty_plus["total_balance"].sum()


def test_us_past_due_empty_month():
    out = us_past_due(US_BOOK.clear(), NO_POSTINGS, MONTH)
    assert out.height == 4
    assert out["nonaccrual_accounts"].to_list() == [0] * 4
    assert out["net_charge_offs"].to_list() == [Decimal(0)] * 4


def test_past_charge_off_point_revolving_180_closed_end_120():
    book = snapshot([
        ("R179", "revolving", "frozen", 179, "1.00"), ("R180", "revolving", "frozen", 180, "2.00"),
        ("R181", "revolving", "frozen", 181, "3.00"), ("R120", "revolving", "frozen", 120, "3.50"),
        ("I119", "installment", "active", 119, "4.00"), ("I120", "installment", "active", 120, "5.00"),
        ("C121", "cash_loan", "active", 121, "6.00"), ("C90", "cash_loan", "active", 90, "6.50"),
        ("X", "cash_loan", "charged_off", 300, "0.00"),  # written off already: not listed
    ])
    out = past_charge_off_point(book, MONTH)
    assert out.columns == CHARGE_OFF_POINT_COLUMNS
    assert out.rows() == [
        (MONTH, "C121", "cash_loan", 121, 120, Decimal("6.00")),
        (MONTH, "I120", "installment", 120, 120, Decimal("5.00")),
        (MONTH, "R180", "revolving", 180, 180, Decimal("2.00")),
        (MONTH, "R181", "revolving", 181, 180, Decimal("3.00")),
    ]
    assert out.schema["policy_dpd"] == pl.Int32 and out.schema["days_past_due"] == pl.Int32
    assert past_charge_off_point(book.clear(), MONTH).height == 0


def test_us_policy_needs_a_known_product():
    book = snapshot([("M1", "mortgage", "active", 200, "1.00")])
    with pytest.raises(ValueError, match="mortgage"):
        past_charge_off_point(book, MONTH)
    with pytest.raises(ValueError, match="mortgage"):
        us_past_due(book, NO_POSTINGS, MONTH)
