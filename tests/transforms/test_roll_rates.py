"""Roll rates (methodology §4) on hand-made snapshots, and against transitionMatrix."""

from datetime import date
from decimal import Decimal

import numpy as np
import polars as pl
import pytest

from tests.frames import snapshot as snap
from transforms.roll_rates import (
    expected_charge_offs,
    flow_rates,
    markov_projection,
    pooled_matrix,
    roll_summary,
    transitions,
)

EDGES = (0, 1, 30, 60, 90, 120, 150, 180)
MONTH = date(2024, 5, 1)
MONEY = pl.Decimal(18, 2)




PREVIOUS = snap([
    ("a", "revolving", "current", True, "100"), ("b", "revolving", "current", True, "200"),
    ("c", "revolving", "dpd_1_29", True, "50"), ("d", "revolving", "dpd_1_29", True, "150"),
    ("e", "installment", "dpd_30_59", True, "300"), ("f", "installment", "current", True, "10"),
    ("g", "installment", "dpd_60_89", True, "70"), ("h", "installment", "closed", False, "0"),
])
CURRENT = snap([
    ("a", "revolving", "current", True, "90"), ("b", "revolving", "dpd_1_29", True, "210"),
    ("c", "revolving", "current", True, "40"), ("d", "revolving", "dpd_30_59", True, "160"),
    ("e", "installment", "charged_off", False, "0"), ("f", "installment", "closed", False, "0"),
    ("i", "revolving", "current", True, "500"),  # opened in m: not in the matrix
])  # g is missing


def cell(frame, frm, to, product="all"):
    return frame.filter((pl.col("product") == product) & (pl.col("from_state") == frm)
                        & (pl.col("to_state") == to)).row(0, named=True)


def test_hand_computed_matrix():
    rates = transitions(PREVIOUS, CURRENT, MONTH, EDGES)
    assert rates.height == 4 * 8 * 11  # products × from-buckets × (8 buckets + charged_off, closed, missing)
    assert cell(rates, "current", "current")["accounts"] == 1
    assert cell(rates, "current", "dpd_1_29")["account_rate"] == pytest.approx(1 / 3)
    assert cell(rates, "current", "closed")["account_rate"] == pytest.approx(1 / 3)
    assert cell(rates, "current", "dpd_1_29")["balance_rate"] == pytest.approx(200 / 310)
    assert cell(rates, "dpd_1_29", "current")["account_rate"] == pytest.approx(0.5)
    assert cell(rates, "dpd_1_29", "dpd_30_59")["balance_rate"] == pytest.approx(150 / 200)
    assert cell(rates, "dpd_30_59", "charged_off")["account_rate"] == 1.0
    assert cell(rates, "dpd_60_89", "missing")["accounts"] == 1
    assert cell(rates, "dpd_90_119", "current")["account_rate"] is None  # no population: no rate
    assert cell(rates, "current", "current", "revolving")["accounts"] == 1
    assert cell(rates, "current", "closed", "installment")["accounts"] == 1
    assert rates["accounts"].sum() == 7 * 2  # 7 on book in m−1 (h was closed), once in its product, once in all


def test_rows_sum_to_one():
    rates = transitions(PREVIOUS, CURRENT, MONTH, EDGES)
    sums = rates.group_by("product", "from_state").agg(pl.col("account_rate").sum(), pl.col("accounts").sum())
    populated = sums.filter(pl.col("accounts") > 0)
    assert populated["account_rate"].to_list() == pytest.approx([1.0] * populated.height)


def test_cure_roll_forward_and_impossible_moves():
    summary = {(r["product"], r["from_state"]): r
               for r in roll_summary(transitions(PREVIOUS, CURRENT, MONTH, EDGES), EDGES, 180).to_dicts()}
    current, early, thirty, sixty = (summary[("all", s)] for s in ("current", "dpd_1_29", "dpd_30_59", "dpd_60_89"))
    assert current["cure_rate"] is None and current["roll_forward_rate"] == pytest.approx(1 / 3)
    assert early["cure_rate"] == pytest.approx(0.5) and early["roll_forward_rate"] == pytest.approx(0.5)
    assert early["cure_balance_rate"] == pytest.approx(50 / 200)
    assert thirty["roll_forward_rate"] == 1.0 and thirty["impossible_moves"] == 1  # 30–59 straight to charge-off
    assert early["impossible_moves"] == 0
    assert sixty["missing_accounts"] == 1 and sixty["roll_forward_rate"] == 0.0


def test_charge_off_from_the_last_bucket_before_the_policy_point_is_one_step():
    previous = snap([("a", "x", "dpd_150_179", True, "10"), ("b", "x", "dpd_120_149", True, "10")])
    current = snap([("a", "x", "charged_off", False, "0"), ("b", "x", "charged_off", False, "0")])
    summary = {r["from_state"]: r for r in roll_summary(transitions(previous, current, MONTH, EDGES), EDGES, 180)
               .filter(pl.col("product") == "all").to_dicts()}
    assert summary["dpd_150_179"]["impossible_moves"] == 0
    assert summary["dpd_120_149"]["impossible_moves"] == 1
    assert summary["dpd_150_179"]["roll_forward_rate"] == 1.0


def test_flow_rates_along_the_chain():
    charge_offs = pl.DataFrame({"product": ["installment"], "amount": [Decimal("300.00")]},
                               schema_overrides={"amount": MONEY})
    flows = {(r["from_bucket"], r["to_bucket"]): r for r in
             flow_rates(PREVIOUS, CURRENT, charge_offs, MONTH, EDGES, 180).filter(pl.col("product") == "all").to_dicts()}
    # 1–29 in May (b 210) over current in April (a 100 + b 200 + f 10)
    assert flows[("current", "dpd_1_29")]["flow_rate"] == pytest.approx(210 / 310)
    assert flows[("dpd_1_29", "dpd_30_59")]["flow_rate"] == pytest.approx(160 / 200)
    assert flows[("dpd_30_59", "dpd_60_89")]["flow_rate"] == 0.0
    assert flows[("dpd_90_119", "dpd_120_149")]["flow_rate"] is None  # nothing in the bucket last month
    # charge-off at 180 DPD: the 180+ bucket is past the policy point, 150–179 flows into charge-offs
    assert flows[("dpd_150_179", "charged_off")]["to_balance"] == Decimal("300.00")
    assert ("dpd_180_plus", "charged_off") not in flows
    assert flows[("current", "net_flow_to_loss")]["flow_rate"] is None  # a broken chain has no product


def test_net_flow_is_the_product_of_the_chain():
    edges = (0, 30)
    previous = snap([("a", "x", "current", True, "1000"), ("b", "x", "dpd_30_plus", True, "100")])
    current = snap([("a", "x", "dpd_30_plus", True, "200"), ("b", "x", "charged_off", False, "0")])
    charge_offs = pl.DataFrame({"product": ["x"], "amount": ["50"]}).with_columns(pl.col("amount").cast(MONEY))
    flows = flow_rates(previous, current, charge_offs, MONTH, edges, 180).filter(pl.col("product") == "all")
    assert flows["flow_rate"].to_list() == pytest.approx([0.2, 0.5, 0.1])


def two_state_window():
    """Current: 8 stay, 2 roll; 30+: 5 cure, 5 charged off — over two months."""
    rows = []
    for month, (stay, roll, cure, charged) in ((date(2024, 4, 1), (5, 1, 2, 3)), (MONTH, (3, 1, 3, 2))):
        for frm, to, n in (("current", "current", stay), ("current", "dpd_30_plus", roll),
                           ("dpd_30_plus", "current", cure), ("dpd_30_plus", "charged_off", charged)):
            rows.append({"month": month, "product": "all", "from_state": frm, "to_state": to, "accounts": n,
                         "balance": Decimal(n * 10)})
    return pl.DataFrame(rows).with_columns(pl.col("balance").cast(MONEY))


def test_pooled_matrix_with_wilson_intervals():
    from statsmodels.stats.proportion import proportion_confint
    pooled = pooled_matrix(two_state_window(), MONTH, window=6)
    row = cell(pooled, "current", "dpd_30_plus")
    assert row["accounts"] == 2 and row["account_rate"] == pytest.approx(0.2)
    assert row["window_months"] == 2
    low, high = proportion_confint(2, 10, alpha=0.05, method="wilson")
    assert (row["rate_low"], row["rate_high"]) == pytest.approx((low, high), abs=1e-12)


def test_markov_projection_by_hand():
    pooled = pooled_matrix(two_state_window(), MONTH, window=6)
    book = snap([(f"a{i}", "x", "current", True, "10") for i in range(100)])
    distribution, absorption = markov_projection(pooled, book, MONTH, (0, 30), horizon=2)
    step = lambda n: dict(distribution.filter((pl.col("product") == "all") & (pl.col("step") == n))  # noqa: E731
                          .select("state", "accounts").iter_rows())
    # P = [[.8, .2, 0, 0], [.5, 0, .5, 0], absorbing charged_off and closed]
    assert step(1) == pytest.approx({"current": 80, "dpd_30_plus": 20, "charged_off": 0, "closed": 0})
    assert step(2) == pytest.approx({"current": 74, "dpd_30_plus": 16, "charged_off": 10, "closed": 0})
    assert expected_charge_offs(distribution, horizon=2).filter(pl.col("product") == "all")[
        "expected_charge_off_accounts"][0] == pytest.approx(10)
    from_current = absorption.filter((pl.col("product") == "all") & (pl.col("from_state") == "current")).row(0, named=True)
    assert from_current["charged_off_probability"] == pytest.approx(1.0)  # nothing ever closes here
    assert from_current["closed_probability"] == pytest.approx(0.0)


def test_counts_and_probabilities_agree_with_transition_matrix(tmp_path):
    """The same account moves estimated by transitionMatrix's SimpleEstimator (integer-coded states)."""
    import pandas as pd
    from transitionMatrix.estimators.simple_estimator import SimpleEstimator
    from transitionMatrix.statespaces.statespace import StateSpace

    from simulator.manifest import read_table
    from simulator.portfolio import SimulationParams, simulate
    from transforms.states import classify_account_months, state_labels

    folders = simulate(SimulationParams(accounts=3_000, months=3, first_month=date(2024, 1, 1), seed=4), tmp_path,
                       progress=False)

    def snapshot(folder, month):
        months = read_table(folder / "account_months.csv", "utf-8").with_columns(
            pl.col("principal_balance", "interest_balance", "fee_balance").cast(MONEY),
            pl.col("days_past_due").cast(pl.Int32))
        accounts = read_table(folder / "accounts.csv", "utf-8").with_columns(pl.col("open_date").str.to_date())
        return classify_account_months(months, accounts, month, EDGES)

    previous, current = snapshot(folders[1], date(2024, 2, 1)), snapshot(folders[2], date(2024, 3, 1))
    ours = transitions(previous, current, date(2024, 3, 1), EDGES).filter(pl.col("product") == "all")
    labels = [*state_labels(EDGES), "missing"]
    code = {s: i for i, s in enumerate(labels)}
    moves = (previous.filter("on_book").select("account_id", from_state="state")
             .join(current.select("account_id", to_state="state"), on="account_id", how="left")
             .with_columns(pl.col("to_state").fill_null("missing")))
    data = pd.DataFrame({"id": moves["account_id"].to_list(), "time": 0,
                         "state_in": [code[s] for s in moves["from_state"].to_list()],
                         "state_out": [code[s] for s in moves["to_state"].to_list()]})
    space = StateSpace(definition=[(str(i), s) for i, s in enumerate(labels)])
    estimator = SimpleEstimator(states=space, ci={"method": "goodman", "alpha": 0.05})
    reference = np.asarray(estimator.fit(data)[0])
    assert estimator.counts == ours["accounts"].sum() > 1_000
    for row in ours.filter(pl.col("accounts") > 0).iter_rows(named=True):
        assert reference[code[row["from_state"]], code[row["to_state"]]] == pytest.approx(row["account_rate"],
                                                                                          abs=1e-12)
