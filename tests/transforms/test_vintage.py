"""Vintage cells, chain ladder and lifetime loss (methodology §3) on hand-computable inputs."""

import warnings
from datetime import date
from decimal import Decimal

import numpy as np
import polars as pl
import pytest

from transforms.vintage import (
    MIN_PROJECTION_MOB,
    VINTAGE_COLUMNS,
    TriangleError,
    complete_triangle,
    development_factors,
    lifetime_loss,
    project,
    vintage_cells,
)

MONEY = pl.Decimal(18, 2)
JAN, MAR, JUN = date(2024, 1, 1), date(2024, 3, 1), date(2024, 6, 1)


# --- chain ladder against chainladder -------------------------------------------------------------

def chainladder_samples():
    cl = pytest.importorskip("chainladder")  # a test-only dependency: `pip install -e .[test]`
    for name in ("raa", "abc", "genins", "ukmotor", "mw2008"):
        triangle = cl.load_sample(name)
        for column in triangle.columns[:1]:
            yield name, triangle[column]


def long_frame(triangle) -> pl.DataFrame:
    values = triangle.values[0, 0]
    rows = [(i, j, float(values[i, j])) for i in range(values.shape[0]) for j in range(values.shape[1])
            if not np.isnan(values[i, j])]
    return pl.DataFrame(rows, schema=["origin", "age", "value"], orient="row")


@pytest.mark.parametrize("n_periods", [None, 3, 5])
def test_factors_and_projection_agree_with_chainladder(n_periods):
    import chainladder as cl
    checked = 0
    for name, triangle in chainladder_samples():
        frame = long_frame(triangle)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            development = cl.Development(average="volume", n_periods=n_periods or -1).fit(triangle)
            full = cl.Chainladder().fit(development.transform(triangle)).full_triangle_.values[0, 0]
        ours = development_factors(frame, n_periods)
        expected = development.ldf_.values[0, 0, 0, : ours.height]
        assert np.allclose(ours["factor"].to_numpy(), expected, rtol=0, atol=1e-9), name
        last_age = int(frame["age"].max())
        completed = complete_triangle(frame, ours, last_age)
        grid = completed.select("origin", "age", "value").to_numpy()
        assert np.allclose(grid[:, 2], full[grid[:, 0].astype(int), grid[:, 1].astype(int)], rtol=1e-12, atol=1e-6), name
        checked += 1
    assert checked == 5


def test_hand_computed_factors_and_projection():
    triangle = pl.DataFrame({"origin": [1, 1, 1, 2, 2], "age": [0, 1, 2, 0, 1], "value": [1.0, 2.0, 4.0, 2.0, 3.0]})
    factors = development_factors(triangle)
    assert factors["factor"].to_list() == pytest.approx([5 / 3, 2.0])  # (2+3)/(1+2), 4/2
    completed = complete_triangle(triangle, factors, horizon=3)
    cell = lambda o, a: completed.filter((pl.col("origin") == o) & (pl.col("age") == a)).row(0, named=True)  # noqa: E731
    assert cell(2, 1) == {"origin": 2, "age": 1, "value": 3.0, "projected": False}
    assert cell(2, 2)["value"] == pytest.approx(6.0) and cell(2, 2)["projected"]
    assert cell(2, 3)["value"] == pytest.approx(6.0)  # no factor beyond the data: development complete
    assert completed.filter(pl.col("projected")).height == 3


def test_a_missing_cell_is_an_error_not_a_zero():
    gap = pl.DataFrame({"origin": [1, 1, 1], "age": [0, 2, 3], "value": [1.0, 2.0, 3.0]})
    with pytest.raises(TriangleError):
        development_factors(gap)


def test_zero_base_gives_an_undefined_factor_and_an_unknown_projection():
    triangle = pl.DataFrame({"origin": [1, 1, 2], "age": [0, 1, 0], "value": [0.0, 5.0, 0.0]})
    factors = development_factors(triangle)
    assert factors["factor"].to_list() == [None]
    assert complete_triangle(triangle, factors, 1).filter("projected")["value"].to_list() == [None]


# --- vintage cells on a tiny portfolio ------------------------------------------------------------

ACCOUNTS = pl.DataFrame({
    "account_id": ["A", "B", "C", "D", "E", "F"],
    "product": ["revolving", "revolving", "installment", "revolving", "cash_loan", "revolving"],
    "risk_grade": ["A", "A", "E", "B", "C", "A"],
    "channel": ["app", "app", "合作商户", "web", "app", "app"],
    "cohort_month": [JAN, JAN, JAN, JAN, MAR, date(2023, 10, 1)],
    "original_amount": [Decimal("1000"), Decimal("2000"), Decimal("3000"), Decimal("4000"), Decimal("500"),
                        Decimal("100")],
}).with_columns(pl.col("original_amount").cast(MONEY))
# only rows with DPD ≥ 30 or charged off reach the transform
DELINQUENT = pl.DataFrame({
    "account_id": ["A", "A", "C", "C", "F"],
    "mob": [1, 3, 2, 3, 4],
    "days_past_due": [35, 40, 65, 180, 95],
    "state": ["dpd_30_59", "dpd_30_59", "dpd_60_89", "charged_off", "dpd_90_119"],
    "total_balance": ["800.00", "850.00", "2900.00", "0.00", "90.00"],
    "receivable": [True, True, True, False, True],
}).with_columns(pl.col("total_balance").cast(MONEY), pl.col("mob").cast(pl.Int32))
LOSSES = pl.DataFrame({
    "account_id": ["C", "C"], "month": [date(2024, 4, 1), JUN], "entry_type": ["charge_off", "recovery"],
    "amount": ["2500.00", "500.00"],
}).with_columns(pl.col("amount").cast(MONEY))


@pytest.fixture(scope="module")
def cells():
    return vintage_cells(ACCOUNTS, DELINQUENT, LOSSES, JUN, observed_from=JAN)


def curve(cells, cohort, product="all", segment_type="all", segment="all"):
    return cells.filter((pl.col("product") == product) & (pl.col("segment_type") == segment_type)
                        & (pl.col("segment") == segment) & (pl.col("cohort_month") == cohort)).sort("mob")


def test_ever_rates_use_the_running_maximum(cells):
    january = curve(cells, JAN)
    assert january["mob"].to_list() == [0, 1, 2, 3, 4, 5]  # age 5 at June: no cell beyond it
    assert january["cohort_accounts"].unique().to_list() == [4]  # B closes, stays in the denominator
    # A is 30+ at mob 1, cures, is 30+ again at mob 3: counted once, from mob 1 on
    assert january["ever30_accounts"].to_list() == [0, 1, 2, 2, 2, 2]
    assert january["ever60_accounts"].to_list() == [0, 0, 1, 1, 1, 1]   # C at 65 DPD
    assert january["ever90_accounts"].to_list() == [0, 0, 0, 1, 1, 1]   # C charged off at mob 3
    assert january["ever30_rate"].to_list() == pytest.approx([0, 0.25, 0.5, 0.5, 0.5, 0.5])
    assert january["ever30_amount_rate"][2] == pytest.approx(4000 / 10000)  # A 1000 + C 3000 of 10000
    assert january["dq30_balance"].to_list()[:4] == [Decimal("0"), Decimal("800.00"), Decimal("2900.00"),
                                                      Decimal("850.00")]
    assert january["dq30_balance_rate"][1] == pytest.approx(0.08)
    assert january["cum_gross_loss"].to_list() == [Decimal(x) for x in ("0", "0", "0", "2500", "2500", "2500")]
    assert january["cum_net_loss_rate"].to_list() == pytest.approx([0, 0, 0, 0.25, 0.25, 0.20])


def test_single_account_cohort_and_empty_cohorts(cells):
    march = curve(cells, MAR)
    assert march["mob"].to_list() == [0, 1, 2, 3]
    assert march["cohort_accounts"].unique().to_list() == [1]
    assert march["ever30_rate"].to_list() == [0, 0, 0, 0]
    assert curve(cells, date(2024, 2, 1)).height == 0  # nobody opened in February: no cells, not zeros


def test_cohorts_before_the_first_loaded_month_are_left_truncated(cells):
    october = curve(cells, date(2023, 10, 1))
    assert october["mob"].to_list() == [3, 4, 5, 6, 7, 8]  # observed from January 2024 (mob 3)
    assert october["ever90_accounts"].to_list() == [0, 1, 1, 1, 1, 1]


def test_segments_split_the_cohort(cells):
    assert curve(cells, JAN, segment_type="risk_grade", segment="A")["cohort_accounts"][0] == 2
    assert curve(cells, JAN, segment_type="risk_grade", segment="E")["ever90_accounts"][-1] == 1
    assert curve(cells, JAN, segment_type="channel", segment="合作商户")["cohort_accounts"][0] == 1
    assert curve(cells, JAN, product="installment")["cum_net_loss_rate"][-1] == pytest.approx(2000 / 3000)
    assert curve(cells, JAN, product="cash_loan").height == 0


def test_each_segmentation_adds_up_to_the_cohort_and_a_missing_channel_is_its_own_segment():
    accounts = ACCOUNTS.with_columns(channel=pl.when(pl.col("account_id") == "C").then(None).otherwise("channel"))
    cells = vintage_cells(accounts, DELINQUENT, LOSSES, JUN, observed_from=JAN)
    counts = ["cohort_accounts", "cohort_amount", "ever30_accounts", "ever60_accounts", "ever90_accounts",
              "dq30_balance", "cum_gross_loss", "cum_recovery", "cum_net_loss"]
    cell = ["cohort_month", "mob"]
    for product in ("all", "revolving", "installment"):
        whole = cells.filter((pl.col("product") == product) & (pl.col("segment_type") == "all")).sort(cell)
        for kind in ("risk_grade", "channel"):
            parts = (cells.filter((pl.col("product") == product) & (pl.col("segment_type") == kind))
                     .group_by(cell).agg(pl.col(counts).sum()).sort(cell))
            assert parts.select(cell, *counts).equals(whole.select(cell, *counts)), (product, kind)
    products = (cells.filter((pl.col("product") != "all") & (pl.col("segment_type") == "all"))
                .group_by(cell).agg(pl.col(counts).sum()).sort(cell))
    everyone = cells.filter((pl.col("product") == "all") & (pl.col("segment_type") == "all")).sort(cell)
    assert products.select(cell, *counts).equals(everyone.select(cell, *counts))
    unknown = curve(cells, JAN, segment_type="channel", segment="(none)")  # C, charged off at mob 3
    assert unknown["cohort_accounts"].unique().to_list() == [1]
    assert unknown["ever90_accounts"].to_list() == [0, 0, 0, 1, 1, 1]
    assert unknown["cum_net_loss"].to_list() == [Decimal(x) for x in ("0", "0", "0", "2500", "2500", "2000")]


def test_projected_cells_carry_only_the_projected_measures(cells):
    projected = project(cells, horizon=8, n_periods=None)
    assert projected["projected"].all()
    assert curve(projected, JAN)["mob"].to_list() == [6, 7, 8]
    assert projected["ever60_rate"].null_count() == projected.height
    assert projected["cum_net_loss"].null_count() == projected.height
    assert projected["ever30_rate"].null_count() < projected.height
    assert set(projected.columns) == set(cells.columns)


def hand_cells(rows: list[dict]) -> pl.DataFrame:
    """Hand-made June cells of cohorts of 10 accounts, with every vintage column (null where not given)."""
    frame = pl.DataFrame([{"month": JUN, "segment_type": "all", "segment": "all", "projected": False,
                           "cohort_accounts": 10, **row} for row in rows])
    frame = frame.with_columns(pl.col("cohort_amount", "cum_net_loss").cast(MONEY), pl.col("mob").cast(pl.Int32))
    return frame.with_columns(pl.lit(None).alias(c) for c in VINTAGE_COLUMNS if c not in frame.columns)


def ladder_cells(cohorts: dict[tuple[str, date], tuple[list[int], list[int]]]) -> pl.DataFrame:
    """Cohorts of CNY 1,000 lent, with these ever-30+ counts and cumulative net losses by mob."""
    return hand_cells([{"product": product, "cohort_month": cohort, "mob": mob, "cohort_amount": Decimal(1000),
                        "ever30_accounts": count, "cum_net_loss": Decimal(loss)}
                       for (product, cohort), (counts, losses) in cohorts.items()
                       for mob, (count, loss) in enumerate(zip(counts, losses, strict=True))])


def test_a_cohort_too_young_is_not_projected_and_a_projected_count_stops_at_the_cohort():
    """Factors by hand, revolving: ever-30+ f1 = (4+3+3)/(1+1+1) = 10/3, f2 = 13/10,
    f3 = (6+5)/(5+4) = 11/9, f4 = 6/6; net loss f1 = 120/60, f2 = 180/120, f3 = 160/120, f4 = 100/80.
    At MOB 1 the April cohort's 2 accounts would become 2 · 10/3 · 13/10 · 11/9 = 10.6 of its 10 by
    MOB 4, its CNY 100 of loss CNY 500 by MOB 5: it is not projected. In the instalment triangle
    (f3 = 6/5) the March cohort's 9 of 10 at MOB 3 would be 10.8 at MOB 4: the rate stops at 100 %."""
    assert MIN_PROJECTION_MOB == 3
    feb, apr = date(2024, 2, 1), date(2024, 4, 1)
    cells = ladder_cells({
        ("revolving", JAN): ([0, 1, 4, 5, 6, 6], [10, 20, 40, 60, 80, 100]),
        ("revolving", feb): ([0, 1, 3, 4, 5], [10, 20, 40, 60, 80]),
        ("revolving", MAR): ([0, 1, 3, 4], [10, 20, 40, 60]),
        ("revolving", apr): ([0, 2], [0, 100]),
        ("installment", JAN): ([0, 1, 4, 5, 6, 6], [0] * 6),
        ("installment", MAR): ([0, 5, 8, 9], [0] * 4)})
    projected = project(cells, horizon=5, n_periods=None)

    def rates(product, cohort, measure):
        return curve(projected, cohort, product=product).select("mob", measure).rows()

    assert rates("revolving", MAR, "ever30_rate") == [(4, pytest.approx(4 * 11 / 9 / 10)),
                                                      (5, pytest.approx(4 * 11 / 9 / 10))]
    assert rates("revolving", MAR, "cum_net_loss_rate") == [(4, pytest.approx(0.08)), (5, pytest.approx(0.10))]
    for measure in ("ever30_rate", "cum_net_loss_rate"):
        assert rates("revolving", apr, measure) == [(2, None), (3, None), (4, None), (5, None)]
    assert rates("installment", MAR, "ever30_rate") == [(4, 1.0), (5, 1.0)]


# --- lifetime loss ----------------------------------------------------------------------------------

def loss_cells(cohorts: dict[date, tuple[str, list[str]]]) -> pl.DataFrame:
    return hand_cells([{"product": "all", "cohort_month": cohort, "mob": mob, "cohort_amount": Decimal(amount),
                        "cum_net_loss": Decimal(value)}
                       for cohort, (amount, values) in cohorts.items() for mob, value in enumerate(values)])


def test_lifetime_loss_by_each_method():
    c1, c2, c3, c4, c5 = (date(2024, k, 1) for k in range(1, 6))
    cells = loss_cells({c1: ("1000", ["0", "10", "20", "100", "150"]), c2: ("1000", ["0", "10", "20", "50"]),
                        c3: ("2000", ["0"]), c4: ("1000", ["0", "0", "0", "0"]), c5: ("1000", ["0", "40"])})
    out = {r["cohort_month"]: r for r in lifetime_loss(cells, horizon=4, n_periods=None).to_dicts()}
    assert out[c1]["method"] == "observed" and out[c1]["lifetime_cum_net_loss_rate"] == pytest.approx(0.15)
    # f1 = (20+20+0)/(10+10+0) = 2, f2 = 150/40 = 3.75, f3 = 150/100 (only c1 is seen at 3 and 4): 50 × 1.5 = 75
    assert out[c2]["method"] == "chain_ladder" and out[c2]["lifetime_cum_net_loss_rate"] == pytest.approx(0.075)
    prior = (150 + 75) / (1000 + 1000)
    # c4 has no loss at age 3: 1/3 of development is still to come (CDF 1.5) at the prior rate
    assert out[c4]["method"] == "bornhuetter_ferguson"
    assert out[c4]["lifetime_cum_net_loss_rate"] == pytest.approx((1 - 1 / 1.5) * prior)
    # c3 at age 0: f0 is undefined (every cohort had 0 at age 0), nothing counts as developed
    assert out[c3]["lifetime_cum_net_loss_rate"] == pytest.approx(prior)
    # c5 has a loss, but at age 1: not 40 × 2 × 3.75 × 1.5 = 450 by chain ladder; its CDF is 11.25
    assert out[c5]["method"] == "bornhuetter_ferguson"
    assert out[c5]["lifetime_cum_net_loss_rate"] == pytest.approx(0.04 + (1 - 1 / 11.25) * prior)
    assert out[c2]["observed_mob"] == 3 and out[c2]["observed_cum_net_loss_rate"] == pytest.approx(0.05)


def test_no_prior_means_an_unknown_lifetime_not_nan():
    # no cohort has a loss or a horizon yet (the first loaded month): no prior rate to fill with
    c1, c2 = date(2024, 1, 1), date(2024, 2, 1)
    out = lifetime_loss(loss_cells({c1: ("1000", ["0", "0"]), c2: ("500", ["0"])}), horizon=6, n_periods=None)
    assert out["method"].to_list() == ["bornhuetter_ferguson"] * 2
    assert out["lifetime_cum_net_loss_rate"].to_list() == [None, None]
