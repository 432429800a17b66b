"""ECL (methodology §5) on tiny hand-made frames; every expected value is worked out by hand below."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from transforms.ecl import (
    allowance_movement,
    check_ecl,
    ead,
    ecl,
    ecl_summary,
    lgd,
    pd_12m,
    pd_term_structure,
    scenario_summary,
    stage,
    stage_migration,
)

MONEY = pl.Decimal(18, 2)
BASE = [("base", 1.0, 1.0)]


def row(frame: pl.DataFrame, **keys) -> dict:
    found = frame.filter(pl.all_horizontal(pl.col(k) == v for k, v in keys.items()))
    assert found.height == 1, (keys, found)
    return found.row(0, named=True)


# ---------------------------------------------------------------------------------------------- stage

def snapshot(rows):
    """rows: (account_id, status, days_past_due, forbearance, litigation)"""
    return pl.DataFrame(rows, schema={"account_id": pl.String, "status": pl.String, "days_past_due": pl.Int32,
                                      "forbearance": pl.Boolean, "litigation": pl.Boolean}, orient="row")


STAGING = snapshot([
    ("dpd29", "active", 29, False, False),
    ("dpd30", "active", 30, False, False),
    ("dpd89", "active", 89, False, False),
    ("dpd90", "active", 90, False, False),
    ("dpd91", "active", 91, False, False),
    ("litigation", "active", 0, False, True),
    ("forbearance", "active", 0, True, False),
    ("frozen", "frozen", 0, False, False),
    ("everything", "frozen", 95, True, True),         # default comes first
    ("litigation_and_dpd45", "active", 45, False, True),  # litigation before dpd_30
    ("dpd35_forborne", "active", 35, True, False),    # dpd_30 before forbearance
    ("frozen_forborne", "frozen", 10, True, False),   # forbearance before frozen
    ("closed", "closed", 0, False, False),
    ("charged_off", "charged_off", 180, False, False),
])


@pytest.mark.parametrize(("account", "expected_stage", "reason"), [
    ("dpd29", 1, "performing"), ("dpd30", 2, "dpd_30"), ("dpd89", 2, "dpd_30"),
    ("dpd90", 3, "default"), ("dpd91", 3, "default"),
    ("litigation", 3, "litigation"), ("forbearance", 2, "forbearance"), ("frozen", 2, "frozen"),
    ("everything", 3, "default"), ("litigation_and_dpd45", 3, "litigation"),
    ("dpd35_forborne", 2, "dpd_30"), ("frozen_forborne", 2, "forbearance"),
    ("closed", None, "closed"), ("charged_off", None, "charged_off"),
])
def test_stage_boundaries_and_reason_order(account, expected_stage, reason):
    staged = row(stage(STAGING, default_dpd=90), account_id=account)
    assert (staged["stage"], staged["stage_reason"]) == (expected_stage, reason)


def test_default_dpd_is_a_parameter():
    staged = stage(STAGING, default_dpd=60)
    assert row(staged, account_id="dpd89")["stage"] == 3  # 89 ≥ 60
    assert row(staged, account_id="dpd29")["stage"] == 1


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="unknown account status"):
        stage(snapshot([("x", "sold", 0, False, False)]))


# ---------------------------------------------------------------------------------------------- PD

EDGES = (0, 1, 30)  # current, dpd_1_29, dpd_30_plus; default at 30 → dpd_30_plus is default


def pooled(rows):
    """rows: (product, from_state, to_state, accounts) — the columns markov_matrix reads."""
    return pl.DataFrame(rows, schema={"product": pl.String, "from_state": pl.String, "to_state": pl.String,
                                      "accounts": pl.Int64}, orient="row")


TOY = pooled([
    # revolving, current: 60 stay, 20 → 1–29, 20 close, 5 missing (dropped) → 0.6, 0.2, 0.2
    ("revolving", "current", "current", 60), ("revolving", "current", "dpd_1_29", 20),
    ("revolving", "current", "closed", 20), ("revolving", "current", "missing", 5),
    # revolving, 1–29: 25 cure, 25 stay, 30 → 30+, 20 charged off → 0.25, 0.25, default 0.5
    ("revolving", "dpd_1_29", "current", 25), ("revolving", "dpd_1_29", "dpd_1_29", 25),
    ("revolving", "dpd_1_29", "dpd_30_plus", 30), ("revolving", "dpd_1_29", "charged_off", 20),
    ("revolving", "dpd_30_plus", "current", 10),  # a default row: absorbing, ignored
    # installment: current 80 stay, 10 → 1–29, 10 close; 1–29 never observed as a from-state
    ("installment", "current", "current", 80), ("installment", "current", "dpd_1_29", 10),
    ("installment", "current", "closed", 10),
    # cash_loan: current stays current; 1–29 half stays, half charged off → PD(h) = 1 − 0.5^h
    ("cash_loan", "current", "current", 100),
    ("cash_loan", "dpd_1_29", "dpd_1_29", 50), ("cash_loan", "dpd_1_29", "charged_off", 50),
])


def test_pd_term_structure_by_hand():
    # Q over (current C, dpd_1_29 D, default, closed):
    #   C: [0.6, 0.2, 0, 0.2]   D: [0.25, 0.25, 0.5, 0]
    # from C: PD(1) = 0; PD(2) = 0.2 · 0.5 = 0.1;
    #   after 2 steps C = 0.6·0.6 + 0.2·0.25 = 0.41, D = 0.6·0.2 + 0.2·0.25 = 0.17
    #   → PD(3) = 0.1 + 0.17·0.5 = 0.185
    # from D: PD(1) = 0.5; PD(2) = 0.5 + 0.25·0.5 = 0.625;
    #   after 2 steps D = 0.25·0.2 + 0.25·0.25 = 0.1125 → PD(3) = 0.625 + 0.1125·0.5 = 0.68125
    term = pd_term_structure(TOY, EDGES, default_dpd=30, horizon=3)
    assert term.columns == ["product", "bucket", "horizon", "cumulative_pd", "marginal_pd", "row_source",
                            "row_accounts"]
    revolving = term.filter(pl.col("product") == "revolving")
    assert set(revolving["bucket"]) == {"current", "dpd_1_29"}  # default buckets have no PD row
    expected = {("current", 1): (0.0, 0.0), ("current", 2): (0.1, 0.1), ("current", 3): (0.185, 0.085),
                ("dpd_1_29", 1): (0.5, 0.5), ("dpd_1_29", 2): (0.625, 0.125), ("dpd_1_29", 3): (0.68125, 0.05625)}
    for (bucket, h), (cumulative, marginal) in expected.items():
        cell = row(revolving, bucket=bucket, horizon=h)
        assert cell["cumulative_pd"] == pytest.approx(cumulative)
        assert cell["marginal_pd"] == pytest.approx(marginal)


def test_unobserved_bucket_borrows_the_portfolio_row():
    term = pd_term_structure(TOY, EDGES, default_dpd=30, horizon=3)
    installment = term.filter(pl.col("product") == "installment")
    # 1–29 never observed for installment: the all-products 1–29 row, summed over products, is
    # revolving (25 cure, 25 stay, 50 default) + cash_loan (50 stay, 50 default) = 200 →
    # current 0.125, stay 0.375, default 0.5
    borrowed = row(installment, bucket="dpd_1_29", horizon=1)
    assert (borrowed["row_source"], borrowed["row_accounts"]) == ("portfolio", 0)
    assert borrowed["cumulative_pd"] == pytest.approx(0.5)
    assert row(installment, bucket="dpd_1_29", horizon=2)["cumulative_pd"] == pytest.approx(0.5 + 0.375 * 0.5)
    # current keeps its own row (0.8 stay, 0.1 → 1–29, 0.1 close): PD(2) = 0.1 · 0.5
    own = row(installment, bucket="current", horizon=2)
    assert (own["row_source"], own["row_accounts"]) == ("product", 100)
    assert own["cumulative_pd"] == pytest.approx(0.05)


def test_thin_rows_borrow_then_assume_a_roll_forward():
    # 101: every product row (≤ 100 transitions) is too thin; the portfolio current row (300) is
    # enough, its 1–29 row (200) too
    thin = pd_term_structure(TOY, EDGES, default_dpd=30, horizon=2, min_row_accounts=101)
    assert set(thin["row_source"]) == {"portfolio"}
    # 250: the portfolio 1–29 row (200) is too thin as well: 1–29 is assumed to roll into default
    prudent = pd_term_structure(TOY, EDGES, default_dpd=30, horizon=2, min_row_accounts=250)
    cell = row(prudent, product="cash_loan", bucket="dpd_1_29", horizon=1)
    assert (cell["row_source"], cell["cumulative_pd"]) == ("assumed_roll_forward", 1.0)
    # current (portfolio: 240 stay, 30 → 1–29, 30 close of 300) reaches default through 1–29 in two steps
    assert row(prudent, product="cash_loan", bucket="current", horizon=2)["cumulative_pd"] == pytest.approx(0.1)


def test_no_transitions_means_no_pd_and_new_products_borrow_everything():
    assert pd_term_structure(TOY.clear(), EDGES, default_dpd=30, horizon=3).is_empty()
    term = pd_term_structure(TOY, EDGES, default_dpd=30, horizon=2, products=["all", "revolving", "bnpl"])
    assert term["product"].unique().sort().to_list() == ["all", "bnpl", "revolving"]
    bnpl, everyone = term.filter(pl.col("product") == "bnpl"), term.filter(pl.col("product") == "all")
    assert set(bnpl["row_source"]) == {"portfolio"}
    assert bnpl["cumulative_pd"].to_list() == everyone["cumulative_pd"].to_list()
    assert set(everyone["row_source"]) == {"product"}


def test_pd_12m():
    term = pd_term_structure(TOY, EDGES, default_dpd=30, horizon=12)
    twelve = pd_12m(term)
    # cash_loan 1–29: stays with 0.5, defaults with 0.5 → PD(12) = 1 − 0.5^12 = 4095/4096
    assert row(twelve, product="cash_loan", bucket="dpd_1_29")["pd_12m"] == pytest.approx(4095 / 4096)
    assert row(twelve, product="cash_loan", bucket="current")["pd_12m"] == 0.0
    with pytest.raises(ValueError):
        pd_12m(pd_term_structure(TOY, EDGES, default_dpd=30, horizon=3))


def test_default_must_be_a_bucket_edge():
    with pytest.raises(ValueError, match="bucket edges"):
        pd_term_structure(TOY, EDGES, default_dpd=45, horizon=3)


# ---------------------------------------------------------------------------------------------- LGD

def flows(rows, with_product=True):
    schema = {"account_id": pl.String, "product": pl.String, "month": pl.Date, "amount": pl.String}
    if not with_product:
        schema.pop("product")
    return pl.DataFrame(rows, schema=schema, orient="row").with_columns(pl.col("amount").cast(MONEY))


CHARGE_OFFS = flows([
    ("r1", "revolving", date(2024, 6, 1), "1000.00"),    # window 2024-06 … 2025-06: elapsed by 2025-06
    ("r2", "revolving", date(2024, 7, 1), "800.00"),     # window ends 2025-07: not elapsed, excluded
    ("i1", "installment", date(2024, 1, 1), "500.00"),   # elapsed, never recovers anything
])
RECOVERIES = flows([
    ("r1", date(2024, 7, 1), "101.00"),     # k = 1: 101 / 1.01 = 100
    ("r1", date(2024, 8, 1), "102.01"),     # k = 2: 102.01 / 1.01² = 102.01 / 1.0201 = 100
    ("r1", date(2025, 7, 1), "50.00"),      # k = 13: after the window, ignored
    ("r2", date(2024, 8, 1), "400.00"),     # account excluded
], with_product=False)
APR = pl.DataFrame({"account_id": ["r1", "r2", "i1"], "apr": ["0.120000", "0.120000", "0.240000"]}) \
    .with_columns(pl.col("apr").cast(pl.Decimal(9, 6)))  # 0.12 / 12 = 1 % a month


def test_lgd_discounted_by_hand():
    losses = lgd(CHARGE_OFFS, RECOVERIES, APR, date(2025, 6, 1), workout_months=12, fallback=0.85, min_accounts=1)
    revolving = row(losses, product="revolving")
    # r1 only: 1 − (100 + 100) / 1000 = 0.8
    assert revolving["lgd"] == pytest.approx(0.8)
    assert revolving["source"] == "empirical"
    assert revolving["accounts_used"] == 1
    assert revolving["charged_off_amount"] == Decimal("1000.00")
    assert revolving["discounted_recoveries"] == pytest.approx(200.0)
    # i1: nothing recovered → 1 − 0 / 500 = 1
    assert row(losses, product="installment")["lgd"] == pytest.approx(1.0)
    # all: r1 and i1 → 1 − 200 / 1500
    assert row(losses, product="all")["lgd"] == pytest.approx(1 - 200 / 1500)
    assert row(losses, product="all")["accounts_used"] == 2
    # cash_loan: no evidence at all → fallback
    assert row(losses, product="cash_loan")["source"] == "fallback"
    assert row(losses, product="cash_loan")["lgd"] == 0.85


def test_lgd_fallback_below_the_minimum_count():
    losses = lgd(CHARGE_OFFS, RECOVERIES, APR, date(2025, 6, 1), workout_months=12, fallback=0.85, min_accounts=2)
    revolving = row(losses, product="revolving")
    assert (revolving["lgd"], revolving["source"], revolving["accounts_used"]) == (0.85, "fallback", 1)
    assert revolving["discounted_recoveries"] == pytest.approx(200.0)  # the evidence is still shown
    assert row(losses, product="all")["source"] == "empirical"  # 2 accounts ≥ 2


def test_lgd_window_not_elapsed_is_excluded():
    # one month earlier r1's window (to 2025-06) has not elapsed either: nothing qualifies for revolving
    losses = lgd(CHARGE_OFFS, RECOVERIES, APR, date(2025, 5, 1), workout_months=12, min_accounts=1)
    assert row(losses, product="revolving")["accounts_used"] == 0
    assert row(losses, product="revolving")["source"] == "fallback"
    # one month later r2 qualifies too: 1 − (200 + 400/1.01) / 1800 (r2 recovered 400 at k = 1)
    later = lgd(CHARGE_OFFS, RECOVERIES, APR, date(2025, 7, 1), workout_months=12, min_accounts=1)
    assert row(later, product="revolving")["lgd"] == pytest.approx(1 - (200 + 400 / 1.01) / 1800)


# ---------------------------------------------------------------------------------------------- EAD

def exposures_snapshot(rows):
    """rows: (account_id, product, status, total_balance, credit_limit)"""
    return pl.DataFrame(rows, schema={"account_id": pl.String, "product": pl.String, "status": pl.String,
                                      "total_balance": pl.String, "credit_limit": pl.String}, orient="row") \
        .with_columns(pl.col("total_balance", "credit_limit").cast(MONEY))


EAD_SNAPSHOT = exposures_snapshot([
    ("active_line", "revolving", "active", "400.00", "1000.00"),
    ("frozen_line", "revolving", "frozen", "400.00", "1000.00"),
    ("over_limit", "revolving", "active", "1200.00", "1000.00"),
    ("credit_balance", "revolving", "active", "-100.00", "1000.00"),
    ("frozen_credit", "revolving", "frozen", "-50.00", "1000.00"),
    ("closed_line", "revolving", "closed", "0.00", "1000.00"),
    ("loan", "installment", "active", "300.00", "1000.00"),
    ("overpaid_loan", "installment", "active", "-20.00", "0.00"),
])
ACCOUNTS = pl.DataFrame({
    "account_id": EAD_SNAPSHOT["account_id"],
    "term_months": [None, None, None, None, None, None, 12, 6],
    "apr": ["0.180000"] * 8,
}).with_columns(pl.col("apr").cast(pl.Decimal(9, 6)), pl.col("term_months").cast(pl.Int32))


@pytest.mark.parametrize(("account", "expected"), [
    ("active_line", 400 + 0.5 * (1000 - 400)),     # 700
    ("frozen_line", 400.0),                         # no undrawn exposure on a frozen line
    ("over_limit", 1200.0),                         # max(1000 − 1200, 0) = 0 undrawn
    ("credit_balance", -100 + 0.5 * (1000 + 100)),  # 450: the credit balance offsets the drawdown
    ("frozen_credit", 0.0),                         # −50 floored at 0
    ("closed_line", 0.0),
    ("loan", 300.0),                                # no CCF for installment
    ("overpaid_loan", 0.0),                         # −20 floored at 0
])
def test_ead(account, expected):
    exposures = ead(EAD_SNAPSHOT, ACCOUNTS)
    assert row(exposures, account_id=account)["ead"] == pytest.approx(expected)


def test_ead_carries_drawn_exposure_and_account_terms():
    exposures = ead(EAD_SNAPSHOT, ACCOUNTS, {"revolving": 0.75})
    line = row(exposures, account_id="active_line")
    assert line["ead"] == pytest.approx(400 + 0.75 * 600)
    assert (line["ccf"], line["drawn_ead"], line["undrawn"]) == (0.75, 400.0, 600.0)
    assert row(exposures, account_id="credit_balance")["drawn_ead"] == 0.0
    assert row(exposures, account_id="loan")["term_months"] == 12
    assert row(exposures, account_id="loan")["apr"] == Decimal("0.180000")
    with pytest.raises(ValueError):
        ead(EAD_SNAPSHOT, ACCOUNTS, {"revolving": 1.5})


# ---------------------------------------------------------------------------------------------- ECL

def term_structure(product_bucket_cumulative):
    """{(product, bucket): [PD(1), PD(2), …]} → the pd_term_structure frame."""
    rows = []
    for (product, bucket), cumulative in product_bucket_cumulative.items():
        previous = 0.0
        for h, value in enumerate(cumulative, start=1):
            rows.append((product, bucket, h, value, value - previous))
            previous = value
    return pl.DataFrame(rows, schema={"product": pl.String, "bucket": pl.String, "horizon": pl.Int32,
                                      "cumulative_pd": pl.Float64, "marginal_pd": pl.Float64}, orient="row")


def exposures(rows):
    """rows: (account_id, product, stage, stage_reason, bucket, mob, term_months, apr, ead, drawn_ead)"""
    frame = pl.DataFrame(rows, schema={
        "account_id": pl.String, "product": pl.String, "stage": pl.Int32, "stage_reason": pl.String,
        "bucket": pl.String, "mob": pl.Int32, "term_months": pl.Int32, "apr": pl.String, "ead": pl.Float64,
        "drawn_ead": pl.Float64}, orient="row")
    return frame.with_columns(pl.col("apr").cast(pl.Decimal(9, 6)), status=pl.lit("active"),
                              total_balance=pl.col("drawn_ead").cast(MONEY))


def losses(**by_product):
    return pl.DataFrame({"product": list(by_product), "lgd": list(by_product.values())})


# PD(1..14): 0.1, 0.2, flat to h = 12, 0.3 at h = 13 and 14 → marginals 0.1 at h = 1, 2 and 13, else 0
LONG_PD = term_structure({("revolving", "current"): [0.1, 0.2, *[0.2] * 10, 0.3, 0.3],
                          ("installment", "current"): [0.1, 0.2, *[0.2] * 10, 0.3, 0.3]})
BOOK = exposures([
    # revolving, apr 12 % (1 % a month), behavioural life 14 → stage 1 sums 12 months, stage 2 all 14
    ("s1", "revolving", 1, "performing", "current", 5, None, "0.120000", 1500.0, 1000.0),
    ("s2", "revolving", 2, "forbearance", "current", 5, None, "0.120000", 1000.0, 1000.0),
    ("s3", "revolving", 3, "litigation", "current", 5, None, "0.120000", 1500.0, 1000.0),
    # installment, apr 0: term 12 at mob 10 → life 2; at mob 11 → 1; at mob 14 (matured) → max(−2, 1) = 1
    ("i_life2", "installment", 2, "dpd_30", "current", 10, 12, "0.000000", 500.0, 500.0),
    ("i_life1", "installment", 1, "performing", "current", 11, 12, "0.000000", 500.0, 500.0),
    ("i_matured", "installment", 2, "dpd_30", "current", 14, 12, "0.000000", 500.0, 500.0),
])
LGDS = losses(revolving=0.5, installment=0.8)
D = 1 / 1.01  # discount factor per month at 12 % apr


def test_ecl_stages_by_hand():
    result = ecl(BOOK, LONG_PD, LGDS, BASE, behavioural_life=14)
    # stage 1: 12 months: LGD · EAD · (0.1·d + 0.1·d²) = 0.5 · 1500 · 0.1 · (d + d²)
    assert row(result, account_id="s1")["ecl"] == pytest.approx(0.5 * 1500 * 0.1 * (D + D ** 2))
    assert row(result, account_id="s1")["ecl_months"] == 12
    # stage 2: 14 months adds the marginal 0.1 at h = 13: 0.5 · 1000 · 0.1 · (d + d² + d¹³)
    assert row(result, account_id="s2")["ecl"] == pytest.approx(0.5 * 1000 * 0.1 * (D + D ** 2 + D ** 13))
    assert row(result, account_id="s2")["ecl_months"] == 14
    # stage 3: LGD · EAD = 0.5 · 1500, no PD, no discount
    assert row(result, account_id="s3")["ecl"] == pytest.approx(750.0)
    # installments, apr 0: life 2 → 0.8 · 500 · (0.1 + 0.1) = 80; life 1 → 0.8 · 500 · 0.1 = 40
    assert row(result, account_id="i_life2")["ecl"] == pytest.approx(80.0)
    assert row(result, account_id="i_life1")["ecl"] == pytest.approx(40.0)
    assert row(result, account_id="i_matured")["ecl"] == pytest.approx(40.0)
    assert row(result, account_id="i_matured")["life_months"] == 1
    # PDs: s1 pd_12m = PD(min(12, 14)) = 0.2, lifetime PD(14) = 0.3; i_life2: both PD(2) = 0.2; stage 3: 1
    s1 = row(result, account_id="s1")
    assert (s1["pd_12m"], s1["pd_lifetime"]) == (pytest.approx(0.2), pytest.approx(0.3))
    assert row(result, account_id="i_life2")["pd_lifetime"] == pytest.approx(0.2)
    assert row(result, account_id="s3")["pd_12m"] == 1.0
    for column in ("account_id", "product", "stage", "stage_reason", "bucket", "ead", "pd_12m", "pd_lifetime",
                   "lgd", "ecl", "ecl_base"):
        assert column in result.columns


def test_accounts_alike_but_for_their_rate_are_each_discounted_at_their_own():
    # one PD row and twelve months, four rates (12 %, 24 %, 12 % again, unknown): the discounted PD is
    # worked out once per PD row, months and rate, and each account must get its own rate's
    book = exposures([(f"r{k}", "revolving", 1, "performing", "current", 5, None, apr, 1000.0, 1000.0)
                      for k, apr in enumerate(["0.120000", "0.240000", "0.120000", None])])
    result = ecl(book, LONG_PD, LGDS, BASE, behavioural_life=14)
    d24 = 1 / 1.02
    assert row(result, account_id="r0")["ecl"] == pytest.approx(0.5 * 1000 * 0.1 * (D + D ** 2))
    assert row(result, account_id="r1")["ecl"] == pytest.approx(0.5 * 1000 * 0.1 * (d24 + d24 ** 2))
    assert row(result, account_id="r2")["ecl"] == row(result, account_id="r0")["ecl"]
    assert row(result, account_id="r3")["ecl"] is None


def test_closed_accounts_carry_no_allowance():
    book = pl.concat([BOOK, BOOK.head(1).with_columns(account_id=pl.lit("gone"), stage=pl.lit(None, pl.Int32),
                                                       stage_reason=pl.lit("closed"), status=pl.lit("closed"))])
    assert "gone" not in ecl(book, LONG_PD, LGDS, BASE, behavioural_life=14)["account_id"].to_list()


# PD(1..3) = 0.3, 0.6, 0.8 → marginals 0.3, 0.3, 0.2
CAP_PD = term_structure({("installment", "current"): [0.3, 0.6, 0.8]})
CAP_BOOK = exposures([("x", "installment", 2, "dpd_30", "current", 0, 3, "0.000000", 100.0, 100.0)])  # life 3


def test_scenario_weighting_and_the_cap_at_one():
    scenarios = [("base", 0.5, 1.0), ("down", 0.3, 2.0), ("up", 0.2, 0.5)]
    x = row(ecl(CAP_BOOK, CAP_PD, losses(installment=1.0), scenarios), account_id="x")
    # base: Σ marginal = 0.8 → 1 · 100 · 0.8 = 80
    assert x["ecl_base"] == pytest.approx(80.0)
    # down ×2: cumulative 0.6, 1.2 → 1, 1.6 → 1; marginals 0.6, 0.4, 0 → 100 · 1.0 = 100 (not 160)
    assert x["ecl_down"] == pytest.approx(100.0)
    # up ×0.5: cumulative 0.15, 0.3, 0.4 → 100 · 0.4 = 40
    assert x["ecl_up"] == pytest.approx(40.0)
    # weighted: 0.5·80 + 0.3·100 + 0.2·40 = 40 + 30 + 8 = 78
    assert x["ecl"] == pytest.approx(78.0)
    # weighted lifetime PD: 0.5·0.8 + 0.3·1 + 0.2·0.4 = 0.78
    assert x["pd_lifetime"] == pytest.approx(0.78)


def test_weights_must_sum_to_one():
    with pytest.raises(ValueError, match="sum"):
        ecl(CAP_BOOK, CAP_PD, losses(installment=1.0), [("base", 0.5, 1.0), ("down", 0.4, 2.0)])
    # within 1e-9 is accepted
    ecl(CAP_BOOK, CAP_PD, losses(installment=1.0), [("base", 0.5, 1.0), ("down", 0.5 + 1e-10, 2.0)])


def test_cecl_is_lifetime_on_the_drawn_balance():
    result = ecl(BOOK, LONG_PD, LGDS, BASE, behavioural_life=14, cecl=True)
    # s1 (stage 1) now 14 months and EAD = drawn 1000: 0.5 · 1000 · 0.1 · (d + d² + d¹³)
    assert row(result, account_id="s1")["ecl"] == pytest.approx(0.5 * 1000 * 0.1 * (D + D ** 2 + D ** 13))
    assert row(result, account_id="s1")["ead"] == 1000.0
    # stage 3 on the drawn balance: 0.5 · 1000
    assert row(result, account_id="s3")["ecl"] == pytest.approx(500.0)


def test_summary_by_product_and_stage():
    result = ecl(BOOK, LONG_PD, LGDS, BASE, behavioural_life=14)
    summary = ecl_summary(result)
    assert summary.height == 4 * 4  # three products and all × stages 1, 2, 3, all
    # revolving stage 3: s3 alone, 750 on a drawn balance of 1000
    s3 = row(summary, product="revolving", stage="3")
    assert (s3["accounts"], s3["balance"], s3["ead"], s3["ecl"]) == (1, Decimal("1000.00"), 1500.0, 750.0)
    assert s3["coverage"] == pytest.approx(0.75)
    # installment stage 2: i_life2 (80) and i_matured (40) on 1000
    assert row(summary, product="installment", stage="2")["coverage"] == pytest.approx(0.12)
    everything = row(summary, product="all", stage="all")
    assert everything["accounts"] == 6 and everything["ecl"] == pytest.approx(result["ecl"].sum())
    cash = row(summary, product="cash_loan", stage="1")
    assert (cash["accounts"], cash["ecl"], cash["coverage"]) == (0, 0.0, None)  # no balance: no coverage


def test_scenario_summary_weights_back_to_the_reported_ecl():
    scenarios = [("base", 0.5, 1.0), ("down", 0.3, 2.0), ("up", 0.2, 0.5)]
    result = ecl(CAP_BOOK, CAP_PD, losses(installment=1.0), scenarios)
    table = scenario_summary(result, scenarios).filter(pl.col("product") == "installment")
    assert table.select("scenario", "weight", "pd_multiplier", "ecl").rows() == [
        ("base", 0.5, 1.0, pytest.approx(80.0)), ("down", 0.3, 2.0, pytest.approx(100.0)),
        ("up", 0.2, 0.5, pytest.approx(40.0))]
    assert (table["weight"] * table["ecl"]).sum() == pytest.approx(result["ecl"].sum())


def test_a_month_without_ecl_is_not_evaluated_rather_than_failed():
    checks = check_ecl(None, None, BASE)
    assert checks.filter(pl.col("passed").is_not_null())["check_name"].to_list() == ["scenario_weights"]
    assert set(checks.filter(pl.col("passed").is_null())["detail"]) == {
        "not evaluated: no ECL this month (no roll-rate transitions to estimate PD from)"}


def test_term_structure_too_short_is_refused():
    with pytest.raises(ValueError, match="covers 3 months"):
        ecl(BOOK.filter(pl.col("product") == "revolving"),
            term_structure({("revolving", "current"): [0.1, 0.2, 0.3]}), LGDS, BASE, behavioural_life=36)


def test_unknown_pd_gives_null_ecl_and_blocks():
    book = BOOK.with_columns(bucket=pl.when(pl.col("account_id") == "s2").then(pl.lit("dpd_1_29"))
                             .otherwise(pl.col("bucket")))
    result = ecl(book, LONG_PD, LGDS, BASE, behavioural_life=14)
    assert row(result, account_id="s2")["ecl"] is None
    checks = check_ecl(result, scenarios=BASE)
    assert row(checks, check_name="ecl_known")["passed"] is False


def test_pipeline_from_snapshot():
    snap = EAD_SNAPSHOT.with_columns(days_past_due=pl.lit(0, pl.Int32), forbearance=pl.lit(False),
                                     litigation=pl.lit(False), mob=pl.lit(0, pl.Int32),
                                     bucket=pl.lit("current"))
    pd = term_structure({(p, "current"): [0.01] * 36 for p in ("revolving", "installment")})
    result = ecl(ead(stage(snap), ACCOUNTS), pd, losses(revolving=0.9, installment=0.9), BASE)
    assert "closed_line" not in result["account_id"].to_list()
    # active_line: stage 1, revolving life 36 → 12 months; marginal 0.01 at h = 1 only:
    # 0.9 · 700 · 0.01 · (1 + 0.18/12)^−1
    assert row(result, account_id="active_line")["ecl"] == pytest.approx(0.9 * 700 * 0.01 / 1.015)
    assert row(result, account_id="frozen_line")["stage"] == 2


# ---------------------------------------------------------------------------------------------- migration

def staged(rows):
    """rows: (account_id, product, status, stage, total_balance)"""
    return pl.DataFrame(rows, schema={"account_id": pl.String, "product": pl.String, "status": pl.String,
                                      "stage": pl.Int32, "total_balance": pl.String}, orient="row") \
        .with_columns(pl.col("total_balance").cast(MONEY))


def test_stage_migration_counts():
    previous = staged([
        ("a", "revolving", "active", 1, "100"), ("b", "revolving", "active", 1, "200"),
        ("c", "revolving", "frozen", 2, "300"), ("d", "revolving", "active", 3, "400"),
        ("f", "installment", "active", 3, "600"), ("g", "revolving", "active", 1, "700"),
        ("h", "revolving", "closed", None, "0"),  # closed already: not in the population
    ])
    current = staged([
        ("a", "revolving", "active", 1, "110"), ("b", "revolving", "frozen", 2, "210"),
        ("c", "revolving", "closed", None, "0"), ("d", "revolving", "charged_off", None, "0"),
        ("e", "installment", "active", 1, "50"), ("f", "installment", "active", 2, "550"),
        ("h", "revolving", "closed", None, "0"),
    ])  # g is missing
    moves = stage_migration(previous, current)
    # products × from (1, 2, 3, new) × to (1, 2, 3, derecognised, written_off, missing)
    assert moves.height == 4 * 4 * 6
    expected = {("1", "1"): (1, "100", "110"), ("1", "2"): (1, "200", "210"), ("2", "derecognised"): (1, "300", "0"),
                ("3", "written_off"): (1, "400", "0"), ("new", "1"): (1, "0", "50"), ("3", "2"): (1, "600", "550"),
                ("1", "missing"): (1, "700", "0")}
    for (frm, to), (accounts, before, after) in expected.items():
        cell = row(moves, product="all", from_stage=frm, to_stage=to)
        assert (cell["accounts"], cell["previous_balance"], cell["current_balance"]) == \
               (accounts, Decimal(before), Decimal(after))
    assert moves.filter(pl.col("product") == "all")["accounts"].sum() == 7  # a–g, not h
    assert row(moves, product="installment", from_stage="3", to_stage="2")["accounts"] == 1
    assert row(moves, product="revolving", from_stage="3", to_stage="2")["accounts"] == 0


# ---------------------------------------------------------------------------------------------- movement

def allowances(rows):
    """rows: (account_id, product, stage, ecl)"""
    return pl.DataFrame(rows, schema={"account_id": pl.String, "product": pl.String, "stage": pl.Int32,
                                      "ecl": pl.Float64}, orient="row")


PREVIOUS_ECL = allowances([
    ("a", "revolving", 1, 10.1),  # stays in 1, remeasured to 12.3
    ("b", "revolving", 1, 20.0),  # 1 → 2, 50 in m
    ("c", "revolving", 2, 30.0),  # closed in m
    ("d", "revolving", 3, 40.0),  # charged off in m
    ("f", "revolving", 3, 60.0),  # cures 3 → 2, 25 in m
    ("g", "revolving", 1, 7.0),   # absent from m
])
CURRENT_ECL = allowances([
    ("a", "revolving", 1, 12.3), ("b", "revolving", 2, 50.0), ("e", "revolving", 1, 5.0),  # e is new
    ("f", "revolving", 2, 25.0),
])
CURRENT_STATUS = pl.DataFrame({"account_id": ["a", "b", "c", "d", "e", "f"],
                               "status": ["active", "frozen", "closed", "charged_off", "active", "active"]})


def dec(value: str) -> Decimal:
    return Decimal(value).quantize(Decimal("1e-10"))


def test_allowance_movement_by_hand():
    movement = allowance_movement(PREVIOUS_ECL, CURRENT_ECL, CURRENT_STATUS)
    lines = ["opening", "new_accounts", "derecognised", "written_off", "missing", "transfers_in", "transfers_out",
             "remeasurement", "closing"]
    expected = {
        # stage 1: opening a 10.1 + b 20 + g 7 = 37.1; new e 5; missing g −7; b out −20;
        #          remeasurement a 12.3 − 10.1 = 2.2; closing a 12.3 + e 5 = 17.3
        #          (37.1 + 5 − 7 − 20 + 2.2 = 17.3)
        "1": ["37.1", "5", "0", "0", "-7", "0", "-20", "2.2", "17.3"],
        # stage 2: opening c 30; c derecognised −30; in b 20 + f 60 = 80;
        #          remeasurement b (50 − 20) + f (25 − 60) = −5; closing 50 + 25 = 75  (30 − 30 + 80 − 5 = 75)
        "2": ["30", "0", "-30", "0", "0", "80", "0", "-5", "75"],
        # stage 3: opening d 40 + f 60 = 100; d written off −40; f out −60; closing 0
        "3": ["100", "0", "0", "-40", "0", "0", "-60", "0", "0"],
        # all: the column sums; transfers 80 − 80 net to 0  (167.1 + 5 − 30 − 40 − 7 + 0 − 2.8 = 92.3)
        "all": ["167.1", "5", "-30", "-40", "-7", "80", "-80", "-2.8", "92.3"],
    }
    for stage_key, values in expected.items():
        got = row(movement, product="all", stage=stage_key)
        assert [got[c] for c in lines] == [dec(v) for v in values], stage_key
        assert got["opening"] + sum(got[c] for c in lines[1:-1]) == got["closing"]  # exactly, in decimals
    assert row(movement, product="revolving", stage="2")["transfers_in"] == dec("80")
    assert row(movement, product="installment", stage="all")["closing"] == dec("0")
    checks = check_ecl(CURRENT_ECL.with_columns(lgd=pl.lit(1.0), ead=pl.lit(100.0), total_balance=pl.lit(100.0)),
                       movement=movement, scenarios=BASE)
    assert row(checks, check_name="movement_ties")["passed"] is True
    assert row(checks, check_name="movement_closing_matches_ecl")["passed"] is True


def test_movement_with_float_noise_still_ties_exactly():
    previous = allowances([(str(i), "revolving", 1 + i % 3, 0.1 * i + 1e-7 * i * i) for i in range(50)])
    current = allowances([(str(i), "revolving", 1 + (i * 7) % 3, 0.3 * i / 7) for i in range(10, 60)])
    status = pl.DataFrame({"account_id": [str(i) for i in range(60)],
                           "status": ["closed" if i % 2 else "charged_off" for i in range(60)]})
    movement = allowance_movement(previous, current, status)
    lines = ["new_accounts", "derecognised", "written_off", "missing", "transfers_in", "transfers_out",
             "remeasurement"]
    for got in movement.iter_rows(named=True):
        assert got["opening"] + sum(got[c] for c in lines) == got["closing"]


def test_movement_refuses_unknown_ecl():
    with pytest.raises(ValueError, match="no ECL"):
        allowance_movement(PREVIOUS_ECL, CURRENT_ECL.with_columns(ecl=pl.lit(None, pl.Float64)), CURRENT_STATUS)


# ---------------------------------------------------------------------------------------------- checks

def test_checks_block_and_warn():
    book = pl.DataFrame({
        "account_id": ["p", "q", "r", "s"], "stage": [1, 2, 3, 3],
        "lgd": [0.5, 0.5, 0.5, 0.5], "ead": [100.0, 100.0, 100.0, 100.0],
        "total_balance": [100.0, 100.0, 100.0, 100.0],
        # coverage: stage 1 2 %, stage 2 1 % (not increasing: warning), stage 3 (50 + 40) / 200 = 45 %;
        # s: 40 ≠ 0.5 · 100 = 50 (blocking); q negative (blocking)
        "ecl": [2.0, -1.0, 50.0, 40.0],
    }).with_columns(product=pl.lit("revolving"), stage=pl.col("stage").cast(pl.Int32))
    checks = check_ecl(book, scenarios=[("base", 0.6, 1.0), ("down", 0.3, 2.0)])
    assert row(checks, check_name="ecl_non_negative")["failures"] == 1
    assert row(checks, check_name="stage3_lgd_times_ead")["failures"] == 1
    assert row(checks, check_name="scenario_weights")["passed"] is False  # 0.9
    coverage = row(checks, check_name="coverage_increasing")
    assert coverage["severity"] == "warning" and coverage["passed"] is False
    assert row(checks, check_name="movement_ties")["passed"] is None  # not evaluated

    good = book.with_columns(ecl=pl.Series([1.0, 5.0, 50.0, 50.0]))  # 1 % < 5 % < 50 %
    checks = check_ecl(good, scenarios=BASE)
    assert checks.filter(~pl.col("passed")).height == 0


CENT = pl.lit(Decimal("0.01")).cast(pl.Decimal(38, 10))


def test_a_broken_movement_is_caught():
    movement = allowance_movement(PREVIOUS_ECL, CURRENT_ECL, CURRENT_STATUS)
    broken = movement.with_columns(
        closing=pl.when(pl.col("stage") == "2").then(pl.col("closing") + CENT).otherwise(pl.col("closing")))
    checks = check_ecl(CURRENT_ECL.with_columns(lgd=pl.lit(1.0), ead=pl.lit(100.0), total_balance=pl.lit(100.0)),
                       movement=broken)
    assert row(checks, check_name="movement_ties")["passed"] is False


def test_no_term_structure_yet_gives_null_ecl_but_stage_3_is_known():
    empty = LONG_PD.clear()
    result = ecl(BOOK, empty, LGDS, BASE, behavioural_life=14)
    assert row(result, account_id="s1")["ecl"] is None
    assert row(result, account_id="s3")["ecl"] == pytest.approx(750.0)  # 0.5 · 1500 needs no PD
