"""Early-warning signals, score and back-test on hand-made histories, and on a simulated book for
the no-look-ahead guarantees."""

import dataclasses
from datetime import date

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from transforms.early_warning import (
    BANDS,
    FEATURES,
    SIGNAL_COLUMNS,
    SIGNALS,
    InsufficientHistory,
    Model,
    ScoreSettings,
    Thresholds,
    backtest,
    explain,
    fit_patterns,
    fit_score,
    lookback_months,
    model_frame,
    model_from_frame,
    out_of_time,
    pattern_counts,
    row_months,
    score,
    signal_panel,
    signals,
    signals_of_months,
    targets,
)
from transforms.months import add_months
from transforms.states import bucket_expr, month_index

EDGES = (0, 1, 30, 60, 90, 120, 150, 180)
MONEY = pl.Decimal(18, 2)
JAN = date(2024, 1, 1)
T = Thresholds()


# --- hand-made histories ----------------------------------------------------------------------------

def account(account_id: str, n: int, product: str = "revolving", cohort: date = JAN, first: date = JAN,
            **series) -> pl.DataFrame:
    """n monthly rows from `first`; each keyword is a list (one value a month) or one value for all."""
    values = {"status": "active", "total_balance": "100.00", "fee_balance": "0.00",
              "credit_limit": "1000.00" if product == "revolving" else "0.00", "days_past_due": 0,
              "min_payment_due": "0.00", **series}
    columns = {k: v if isinstance(v, list) else [v] * n for k, v in values.items()}
    assert all(len(v) == n for v in columns.values())
    frame = pl.DataFrame({"month": [add_months(first, i) for i in range(n)], "account_id": [account_id] * n,
                          "product": [product] * n, "cohort_month": [cohort] * n, **columns})
    return frame.with_columns(
        pl.col("total_balance", "fee_balance", "credit_limit", "min_payment_due").cast(MONEY),
        pl.col("days_past_due").cast(pl.Int32),
        mob=(month_index(pl.col("month")) - month_index(pl.col("cohort_month"))).cast(pl.Int32),
        bucket=bucket_expr(pl.col("days_past_due"), EDGES),
        on_book=pl.col("status").is_in(("active", "frozen")))


def postings(rows=()) -> pl.DataFrame:
    """(account_id, month offset from January, entry_type, amount) rows."""
    return pl.DataFrame([(a, add_months(JAN, k), e, v) for a, k, e, v in rows], orient="row",
                        schema={"account_id": pl.String, "month": pl.Date, "entry_type": pl.String,
                                "amount": pl.String}).with_columns(pl.col("amount").cast(MONEY))


def fired(history: pl.DataFrame, column: str, account_id: str = "a", posted: pl.DataFrame | None = None,
          thresholds: Thresholds = T) -> list[int]:
    """Month offsets (January = 0) in which `column` is true for the account."""
    posted = postings() if posted is None else posted
    out = []
    for month in sorted(history["month"].unique()):
        row = signals(history, posted, month, thresholds).filter(pl.col("account_id") == account_id)
        if row.height and row[column][0]:
            out.append((month.year - JAN.year) * 12 + month.month - JAN.month)
    return out


def test_high_utilisation_fires_from_the_mark():
    history = pl.concat([
        account("a", 5, total_balance=["800.00", "899.99", "900.00", "950.00", "1000.00"]),
        account("b", 5, product="installment", total_balance="5000.00"),  # no line: never
    ])
    assert fired(history, "high_utilisation") == [2, 3, 4]
    assert fired(history, "high_utilisation", "b") == []
    row = signals(history, postings(), add_months(JAN, 1), T).row(0, named=True)
    assert row["utilisation"] == pytest.approx(0.89999)


def test_utilisation_jump_against_three_months_ago_exactly():
    # 0.7 − 0.4 is 0.29999999999999993 in floats: the comparison is exact, so it fires on the mark
    history = pl.concat([
        account("a", 7, total_balance=["400.00", "200.00", "300.00", "700.00", "499.99", "800.00", "900.00"]),
        # opened in March: April and May have no row three months back to compare with
        account("g", 4, total_balance=["100.00", "100.00", "900.00", "900.00"], first=add_months(JAN, 2)),
    ])
    assert fired(history, "utilisation_jump") == [3, 5]  # 0.7 − 0.4 and 0.8 − 0.3; not 0.49999 − 0.2
    assert fired(history, "utilisation_jump", "g") == [5]


def test_utilisation_jump_needs_the_row_three_months_back():
    gap = account("a", 5, total_balance=["100.00", "100.00", "100.00", "900.00", "900.00"]).filter(
        pl.col("month") != add_months(JAN, 1))
    assert fired(gap, "utilisation_jump") == [3]  # month 4 would compare with the missing month 1


def test_min_payments_for_three_months_running():
    # minimum due 50 in every snapshot; the repayments of month k answer the minimum of month k−1
    paid = {1: "50.00", 2: "55.00", 3: "50.00", 4: "55.01", 5: "50.00", 6: "50.00", 7: "50.00"}
    history = pl.concat([account("a", 8, min_payment_due="50.00"),
                         account("i", 8, product="installment", min_payment_due="50.00")])
    posted = postings([(a, k, "repayment", v) for a in ("a", "i") for k, v in paid.items()]
                      + [("a", 5, "late_fee", "30.00")])  # other entry types are not repayments
    assert fired(history, "min_payments", posted=posted) == [3, 7]  # 55 = 1.1 × 50 counts, 55.01 does not
    assert fired(history, "min_payments", "i", posted=posted) == []  # an instalment paid is the contract


def test_min_payments_pair_a_month_with_the_previous_statement():
    history = account("a", 4, min_payment_due=["50.00", "50.00", "50.00", "0.00"])
    posted = postings([("a", k, "repayment", "50.00") for k in (1, 2, 3)])
    assert fired(history, "min_payments", posted=posted) == [3]
    history = account("a", 4, min_payment_due=["0.00", "50.00", "50.00", "50.00"])
    assert fired(history, "min_payments", posted=posted) == []  # month 1 answered no minimum
    split = postings([("a", 1, "repayment", "20.00"), ("a", 1, "repayment", "40.00"),
                      ("a", 2, "repayment", "50.00"), ("a", 3, "repayment", "50.00")])
    assert fired(account("a", 4, min_payment_due="50.00"), "min_payments", posted=split) == []  # 60 > 55


def test_recent_cure_lasts_the_lookback():
    history = pl.concat([
        account("a", 7, days_past_due=[0, 10, 0, 0, 0, 0, 0]),
        account("b", 7, days_past_due=[0, 45, 0, 0, 0, 0, 12]),  # a cure from 30+ counts as well
    ])
    assert fired(history, "recent_cure") == [2, 3, 4]
    assert fired(history, "recent_cure", "b") == [2, 3, 4]
    # month 1 of b is not in the population (45 DPD)
    assert signals(history, postings(), add_months(JAN, 1), T)["account_id"].to_list() == ["a"]


def test_fees_growing_in_each_of_the_last_two_months():
    history = account("a", 7, fee_balance=["0.00", "10.00", "20.00", "20.00", "25.00", "30.00", "29.00"])
    assert fired(history, "fees_growing") == [2, 5]


def test_the_month_before_is_the_accounts_own_calendar_month():
    history = pl.concat([
        # "a"'s last row (February, 45 DPD) is the row just before "b"'s March in id order
        account("a", 2, days_past_due=[0, 45]),
        account("b", 2, first=add_months(JAN, 2)),
        # no February: March compares with no month, not with January
        account("c", 3, days_past_due=[10, 0, 0]).filter(pl.col("month") != add_months(JAN, 1)),
        account("d", 2, first=add_months(JAN, 1), days_past_due=[10, 0]),
    ])
    march = signals(history, postings(), add_months(JAN, 2), T)
    assert march["account_id"].to_list() == ["b", "c", "d"]
    assert march["recent_cure"].to_list() == [False, False, True]


def test_an_account_twice_in_a_month_is_refused():
    twice = pl.concat([account("a", 3), account("a", 1, first=add_months(JAN, 1))])
    with pytest.raises(ValueError, match="twice in a month"):
        signals(twice, postings(), add_months(JAN, 2), T)


def test_recent_freeze_lasts_the_lookback():
    history = account("a", 7, status=["active", "active", "frozen", "active", "active", "active", "active"])
    assert fired(history, "recent_freeze") == [2, 3, 4]


def test_cohort_early_default():
    t = dataclasses.replace(T, early_default_rate=0.25, early_default_min_accounts=4, cohort_max_mob=5)
    jan = [account(f"j{i}", 9, product="installment") for i in range(3)]
    # j3 reaches 30+ at mob 3 (April), the last month of the early window: a quarter of the January cohort
    jan.append(account("j3", 9, product="installment", days_past_due=[0, 0, 10, 40, 70, 100, 130, 160, 190]))
    feb = [account(f"f{i}", 8, product="cash_loan", cohort=add_months(JAN, 1), first=add_months(JAN, 1))
           for i in range(3)]
    # f3 reaches 30+ only at mob 4: past the early window, it does not count
    feb.append(account("f3", 8, product="cash_loan", cohort=add_months(JAN, 1), first=add_months(JAN, 1),
                       days_past_due=[0, 0, 0, 10, 40, 70, 100, 130]))
    small = [account(f"s{i}", 6, product="cash_loan", cohort=add_months(JAN, 2), first=add_months(JAN, 2),
                     days_past_due=[0, 35, 0, 0, 0, 0] if i == 0 else 0) for i in range(3)]  # 1 in 3, too few
    line = account("r", 9, cohort=JAN)  # a revolving line of the January cohort: not a loan
    # the same cohort month, another product: a cohort is a product's
    other = account("x", 9, product="cash_loan")
    history = pl.concat([*jan, *feb, *small, line, other])
    assert fired(history, "cohort_early_default", "j0", thresholds=t) == [3, 4, 5]  # mob 3..5, not 6
    assert fired(history, "cohort_early_default", "f0", thresholds=t) == []
    assert fired(history, "cohort_early_default", "s1", thresholds=t) == []
    assert fired(history, "cohort_early_default", "r", thresholds=t) == []
    assert fired(history, "cohort_early_default", "x", thresholds=t) == []
    def rate(k):
        return signals(history, postings(), add_months(JAN, k), t).filter(pl.col("account_id") == "j0")[
            "cohort_early_default_rate"][0]
    assert (rate(2), rate(3), rate(5), rate(6)) == (0.0, 0.25, 0.25, None)
    assert fired(history, "cohort_early_default", "j0",
                 thresholds=dataclasses.replace(t, early_default_min_accounts=5)) == []


def test_population_and_bucket_history():
    history = pl.concat([
        account("a", 8, days_past_due=[0, 35, 10, 0, 0, 0, 0, 29]),
        account("c", 8, status=["active"] * 4 + ["closed"] * 4, total_balance=["100.00"] * 4 + ["0.00"] * 4),
        account("d", 8, status=["active"] * 6 + ["charged_off"] * 2, days_past_due=[0, 0, 0, 30, 60, 90, 180, 180]),
    ])
    def at(k):
        return signals(history, postings(), add_months(JAN, k), T)
    assert at(2)["account_id"].to_list() == ["a", "c", "d"]
    assert at(3)["account_id"].to_list() == ["a", "c"]  # d is 30 DPD: already bad
    assert at(4)["account_id"].to_list() == ["a"]  # c closed
    six = at(6).row(0, named=True)  # window months 1..6
    assert (six["months_delinquent_6m"], six["max_dpd_6m"], six["was_30_plus_6m"]) == (2, 35, True)
    seven = at(7).row(0, named=True)  # window months 2..7
    assert (seven["months_delinquent_6m"], seven["max_dpd_6m"], seven["was_30_plus_6m"]) == (2, 29, False)
    assert seven["delinquent_now"] and seven["bucket"] == "dpd_1_29" and seven["days_past_due"] == 29
    assert at(7).columns == SIGNAL_COLUMNS
    assert at(7).schema["signal_count"] == pl.Int32


def test_signal_count_counts_the_signals():
    history = account("a", 4, total_balance=["100.00", "100.00", "100.00", "950.00"],
                      status=["active", "active", "frozen", "active"])
    row = signals(history, postings(), add_months(JAN, 3), T).row(0, named=True)
    assert [s for s in SIGNALS if row[s]] == ["high_utilisation", "utilisation_jump", "recent_freeze"]
    assert row["signal_count"] == 3


def test_targets_look_three_months_ahead():
    history = pl.concat([
        account("a", 8, days_past_due=[0, 0, 0, 40, 0, 0, 0, 0]),
        account("c", 8, status=["active"] * 5 + ["charged_off"] * 3),  # charged off from month 5: bad
        account("e", 8, status=["active"] * 3 + ["closed"] * 5),  # leaves the book: not bad
    ])
    bad = {(r["account_id"], r["month"]): r["bad"] for r in targets(history, horizon=3).to_dicts()}
    m = [add_months(JAN, k) for k in range(8)]
    assert [bad[("a", m[k])] for k in (0, 1, 2, 4)] == [True, True, True, False]
    assert ("a", m[3]) not in bad
    assert [bad[("a", m[k])] for k in (5, 6, 7)] == [None, None, None]  # month 8+ not seen yet
    assert [bad[("c", m[k])] for k in (0, 1, 2, 3, 4)] == [False, False, True, True, True]
    assert [bad[("e", m[k])] for k in (0, 1, 2)] == [False, False, False]


# --- the score on hand-made frames ------------------------------------------------------------------

def feature_rows(n_good: int, n_bad: int, month: date, prefix: str = "x", **features) -> pl.DataFrame:
    zeros = {f: False for f in FEATURES if f != "months_delinquent_6m"}
    base = {"month": month, **zeros, "months_delinquent_6m": 0, **features}
    rows = [{**base, "account_id": f"{prefix}{i}", "bad": i < n_bad} for i in range(n_good + n_bad)]
    return pl.DataFrame(rows).with_columns(pl.col("months_delinquent_6m").cast(pl.Int32))


def test_fit_is_the_log_odds_by_hand():
    """Without regularisation, one binary feature: intercept = logit(p0), coefficient = logit(p1) − logit(p0)."""
    rows = []
    for k in range(6):
        month = add_months(JAN, k)
        rows += [feature_rows(9, 1, month), feature_rows(5, 5, month, "d", delinquent_now=True)]
    labelled = pl.concat(rows, how="diagonal")
    settings = ScoreSettings(fit_months=6, min_fit_months=6, regularisation=1e12)
    model = fit_score(labelled, add_months(JAN, 8), T, settings)
    coefficient = dict(zip(model.features, model.coefficients))
    assert model.intercept == pytest.approx(np.log(1 / 9), abs=1e-6)
    assert coefficient["delinquent_now"] == pytest.approx(np.log(9), abs=1e-6)
    assert all(c == 0.0 for f, c in coefficient.items() if f != "delinquent_now")  # never varied
    assert (model.fit_first_month, model.fit_last_month, model.fit_months) == (JAN, add_months(JAN, 5), 6)
    assert (model.accounts, model.bads, model.bad_rate) == (120, 36, 0.3)
    scored = score(labelled.filter(pl.col("month") == JAN), model)
    assert scored.filter(pl.col("delinquent_now"))["score"][0] == pytest.approx(0.5, abs=1e-9)
    assert scored.filter(~pl.col("delinquent_now"))["score"][0] == pytest.approx(0.1, abs=1e-9)


def test_fit_window_ends_horizon_months_before_the_scored_month():
    labelled = pl.concat([feature_rows(8, 2, add_months(JAN, k), delinquent_now=k % 2 == 0) for k in range(12)],
                         how="diagonal")
    model = fit_score(labelled, add_months(JAN, 11), T, ScoreSettings(fit_months=4, min_fit_months=2))
    assert (model.fit_first_month, model.fit_last_month) == (add_months(JAN, 5), add_months(JAN, 8))
    with pytest.raises(InsufficientHistory, match="known outcome"):
        fit_score(labelled, add_months(JAN, 4), T, ScoreSettings(fit_months=4, min_fit_months=3))
    one_outcome = labelled.with_columns(bad=pl.lit(False))
    with pytest.raises(InsufficientHistory, match="both outcomes"):
        fit_score(one_outcome, add_months(JAN, 11), T, ScoreSettings(fit_months=4, min_fit_months=2))
    unknown = labelled.with_columns(bad=pl.when(pl.col("month") >= add_months(JAN, 7)).then(None)
                                    .otherwise(pl.col("bad")))
    model = fit_score(unknown, add_months(JAN, 11), T, ScoreSettings(fit_months=4, min_fit_months=2))
    assert model.fit_last_month == add_months(JAN, 6)  # months with an unknown outcome are not fitted on


def test_bands_and_watchlist_by_fixed_cuts():
    labelled = pl.concat([feature_rows(9, 1, add_months(JAN, k)) for k in range(6)]
                         + [feature_rows(5, 5, add_months(JAN, k), "d", delinquent_now=True) for k in range(6)],
                         how="diagonal")
    model = fit_score(labelled, add_months(JAN, 8), T,
                      ScoreSettings(fit_months=6, min_fit_months=6, band_cuts=(0.05, 0.1, 0.3, 0.6),
                                    regularisation=1e12, watchlist_band="D"))
    scored = score(labelled.filter(pl.col("month") == JAN), model)
    # p = 0.1 − ε (the optimiser's last digits) or 0.1 exactly: band B or C; 0.5 is band D
    assert set(scored.filter(~pl.col("delinquent_now"))["band"]) <= {"B", "C"}
    assert set(scored.filter(pl.col("delinquent_now"))["band"]) == {"D"}
    assert scored["watchlist"].to_list() == scored["delinquent_now"].to_list()
    assert scored.select(pl.col("model_id").n_unique()).item() == 1


def test_explain_adds_up_to_the_logit():
    labelled = pl.concat([feature_rows(8, 2, add_months(JAN, k), delinquent_now=k % 2 == 0, months_delinquent_6m=k)
                          for k in range(8)], how="diagonal")
    model = fit_score(labelled, add_months(JAN, 10), T, ScoreSettings(fit_months=6, min_fit_months=3))
    scored = score(labelled, model)
    parts = explain(scored, model).group_by("month", "account_id").agg(pl.col("contribution").sum())
    check = scored.join(parts, on=["month", "account_id"])
    assert np.allclose(check["logit"].to_numpy(), check["contribution"].to_numpy(), rtol=0, atol=1e-12)


# --- back-test by hand ------------------------------------------------------------------------------

M1, M2 = date(2025, 1, 1), date(2025, 2, 1)
HAND = pl.DataFrame(
    [(M1, "a", 0.9, "E", True), (M1, "b", 0.8, "D", False), (M1, "c", 0.8, "D", True), (M1, "d", 0.5, "C", False),
     (M1, "e", 0.3, "B", True), (M1, "f", 0.3, "B", False), (M1, "g", 0.1, "A", False), (M1, "h", 0.1, "A", False),
     (M2, "a", 0.9, "E", False), (M2, "b", 0.2, "B", False), (M2, "c", 0.7, "D", None)],
    schema={"month": pl.Date, "account_id": pl.String, "score": pl.Float64, "band": pl.String, "bad": pl.Boolean},
    orient="row").with_columns(watchlist=pl.col("band").is_in(["D", "E"]))


def test_backtest_by_hand():
    summary, bands = backtest(HAND, ScoreSettings(gini_floor=0.7))
    first = summary.row(0, named=True)
    assert (first["accounts"], first["bads"], first["bad_rate"]) == (8, 3, 3 / 8)
    # bads outrank goods in 5 + 4.5 + 2.5 of the 15 pairs (ties count half)
    assert first["auc"] == pytest.approx(12 / 15)
    assert first["gini"] == pytest.approx(0.6)
    # cumulative from the top: (TPR, FPR) = (1/3, 0), (2/3, 1/5), (2/3, 2/5), (1, 3/5), (1, 1)
    assert first["ks"] == pytest.approx(2 / 3 - 1 / 5)
    assert first["mean_score"] == pytest.approx(3.8 / 8)
    assert (first["watchlist_accounts"], first["watchlist_bads"], first["rest_accounts"], first["rest_bads"]) == (
        3, 2, 5, 1)
    assert first["watchlist_hit_rate"] == pytest.approx(2 / 3)
    assert first["rest_bad_rate"] == pytest.approx(1 / 5)
    assert first["watchlist_vs_rest"] == pytest.approx(10 / 3)
    assert first["watchlist_capture_rate"] == pytest.approx(2 / 3)
    assert first["gini_below_floor"] is True
    assert backtest(HAND, ScoreSettings(gini_floor=0.5))[0]["gini_below_floor"][0] is False

    second = summary.row(1, named=True)  # c's outcome is not known yet; no bads: nothing to rank
    assert (second["accounts"], second["bads"]) == (2, 0)
    assert second["auc"] is None and second["gini"] is None and second["ks"] is None
    assert second["gini_below_floor"] is None

    january = {r["band"]: r for r in bands.filter(pl.col("month") == M1).to_dicts()}
    assert list(january) == list(BANDS)
    assert [january[b]["accounts"] for b in BANDS] == [2, 2, 1, 2, 1]
    assert [january[b]["bad_rate"] for b in BANDS] == [0.0, 0.5, 0.0, 0.5, 1.0]
    assert [january[b]["lift"] for b in BANDS] == pytest.approx([0.0, 4 / 3, 0.0, 4 / 3, 8 / 3])
    february = {r["band"]: r for r in bands.filter(pl.col("month") == M2).to_dicts()}
    assert february["C"]["accounts"] == 0 and february["C"]["bad_rate"] is None


def test_auc_and_ks_agree_with_scikit_learn_and_scipy():
    from scipy.stats import ks_2samp
    from sklearn.metrics import roc_auc_score, roc_curve
    rng = np.random.default_rng(5)
    frames = []
    for k, n in enumerate((50, 400, 3_000)):
        bad = rng.random(n) < 0.2
        scores = np.round(np.clip(rng.normal(0.3 + 0.2 * bad, 0.2), 0, 1), 2)  # rounded: many ties
        frames.append(pl.DataFrame({"month": [add_months(JAN, k)] * n, "score": scores, "bad": bad,
                                    "band": ["A"] * n, "watchlist": [False] * n}))
    summary, _ = backtest(pl.concat(frames))
    for frame, row in zip(frames, summary.iter_rows(named=True)):
        y, s = frame["bad"].to_numpy(), frame["score"].to_numpy()
        assert row["auc"] == pytest.approx(roc_auc_score(y, s), abs=1e-12)
        fpr, tpr, _ = roc_curve(y, s)
        assert row["ks"] == pytest.approx(np.max(tpr - fpr), abs=1e-12)
        assert row["ks"] == pytest.approx(ks_2samp(s[y], s[~y]).statistic, abs=1e-12)


# --- settings ---------------------------------------------------------------------------------------

def test_settings_are_validated():
    with pytest.raises(ValueError, match="min_pay_months"):
        Thresholds(min_pay_months=0)
    with pytest.raises(ValueError, match="high_utilisation"):
        Thresholds(high_utilisation=-0.1)
    with pytest.raises(ValueError, match="band_cuts"):
        ScoreSettings(band_cuts=(0.1, 0.05, 0.2, 0.3))
    with pytest.raises(ValueError, match="watchlist_band"):
        ScoreSettings(watchlist_band="F")
    assert Thresholds(early_default_rate=1) == Thresholds(early_default_rate=1.0)
    assert lookback_months(T) == 12
    assert lookback_months(dataclasses.replace(T, cohort_max_mob=2, min_pay_months=4)) == 5


# --- a simulated book: no look-ahead, reproducibility -----------------------------------------------

SIM_T = Thresholds(cohort_max_mob=6, early_default_min_accounts=10)
SIM_S = ScoreSettings(fit_months=6, min_fit_months=3)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    from simulator.manifest import read_table
    from simulator.portfolio import SimulationParams, simulate
    from transforms.states import classify_account_months

    first = date(2024, 1, 1)
    folders = simulate(SimulationParams(accounts=3_000, months=22, first_month=first, seed=11, file_format="parquet"),
                       tmp_path_factory.mktemp("early_warning"), progress=False)
    history, posted = [], []
    for k, folder in enumerate(folders):
        month = add_months(first, k)
        snapshot = classify_account_months(read_table(folder / "account_months.parquet", "utf-8"),
                                           read_table(folder / "accounts.parquet", "utf-8"), month, EDGES)
        history.append(snapshot.with_columns(month=pl.lit(month)))
        posted.append(read_table(folder / "postings.parquet", "utf-8")
                      .select(pl.lit(month).alias("month"), "account_id", "entry_type", "amount"))
    return pl.concat(history), pl.concat(posted)


def labelled(history, posted):
    return (signal_panel(history, posted, SIM_T)
            .join(targets(history, SIM_S.horizon, SIM_T.bad_dpd), on=["month", "account_id"], how="left"))


def poisoned_after(history, posted, month):
    """Every row after `month` made as alarming as possible: nothing dated then may matter."""
    later = pl.col("month") > month
    history = history.with_columns(
        days_past_due=pl.when(later).then(pl.lit(95, dtype=pl.Int32)).otherwise("days_past_due"),
        status=pl.when(later).then(pl.lit("frozen")).otherwise("status"),
        fee_balance=pl.when(later).then(pl.lit(9999).cast(MONEY)).otherwise("fee_balance"),
        total_balance=pl.when(later).then(pl.col("credit_limit") * 2).otherwise("total_balance").cast(MONEY))
    extra = posted.filter(later).with_columns(entry_type=pl.lit("repayment"))
    return history, pl.concat([posted, extra])


def test_the_panel_of_every_month_is_that_month_alone(book):
    history, posted = book
    panel = signal_panel(history, posted, SIM_T)
    months = sorted(panel["month"].unique())
    assert months[0] == add_months(history["month"].min(), lookback_months(SIM_T)) and len(months) == 16
    for month in months:
        assert_frame_equal(panel.filter(pl.col("month") == month), signals(history, posted, month, SIM_T))
    fired_somewhere = panel.select([pl.col(s).any() for s in SIGNALS]).row(0, named=True)
    assert all(v for s, v in fired_somewhere.items() if s != "fees_growing"), fired_somewhere


def test_months_worked_out_together_equal_each_month_in_the_panel(book):
    """A backfill's block shares its flags: no month may see another month's rows in its windows,
    its comparisons or its repayments (the later months of a block are the future of the first)."""
    history, posted = book
    panel = signal_panel(history, posted, SIM_T)
    months = sorted(panel["month"].unique())
    for block in (months[:3], months[-3:], [months[0], months[7], months[-1]]):
        together = signals_of_months(history, posted, block, SIM_T)
        assert list(together) == block
        for month in block:
            assert_frame_equal(together[month], panel.filter(pl.col("month") == month))


def test_a_months_signals_do_not_depend_on_the_order_of_the_history(book):
    """The lags and the duplicate check read neighbouring rows of one account in month order."""
    history, posted = book
    month = date(2025, 8, 1)
    expected = signals(history, posted, month, SIM_T)
    assert expected.select(pl.col("utilisation_jump", "recent_cure", "min_payments").any()).row(0) == (True,) * 3
    for seed in (1, 2):
        shuffled = history.sample(fraction=1.0, shuffle=True, seed=seed)
        assert_frame_equal(signals(shuffled, posted, month, SIM_T), expected)


def test_population_of_signals_and_targets_agree(book):
    history, posted = book
    panel = signal_panel(history, posted, SIM_T)
    outcomes = targets(history, 3, SIM_T.bad_dpd).filter(pl.col("month") >= panel["month"].min())
    assert_frame_equal(panel.select("month", "account_id"), outcomes.select("month", "account_id"))


def test_no_look_ahead_signals(book):
    history, posted = book
    month = add_months(JAN, 14)
    expected = signals(history, posted, month, SIM_T)
    assert expected.height > 1_000
    truncated = signals(history.filter(pl.col("month") <= month), posted.filter(pl.col("month") <= month),
                        month, SIM_T)
    assert_frame_equal(truncated, expected)
    assert_frame_equal(signals(*poisoned_after(history, posted, month), month, SIM_T), expected)
    # and the vectorised panel, which sees every month at once
    panel = signal_panel(history, posted, SIM_T).filter(pl.col("month") <= month)
    poisoned = signal_panel(*poisoned_after(history, posted, month), SIM_T).filter(pl.col("month") <= month)
    assert_frame_equal(poisoned, panel)
    # nor anything from before the lookback
    early = pl.col("month") < add_months(month, -lookback_months(SIM_T))
    scrambled = history.with_columns(days_past_due=pl.when(early).then(pl.lit(200, dtype=pl.Int32))
                                     .otherwise("days_past_due"))
    assert_frame_equal(signals(scrambled, posted, month, SIM_T), expected)


def test_scores_are_the_same_bits_however_the_rows_lie_in_memory():
    """Equal model ids, equal scores: the logit is the intercept plus each coefficient × feature in
    the model's order, one rounded operation at a time, whether the columns are one block or pieces
    of different sizes (Polars' own sum varied in its last digit with that, from run to run)."""
    rng = np.random.default_rng(7)
    n = 5_000
    frame = pl.DataFrame({**{s: rng.integers(0, 2, n).astype(bool) for s in SIGNALS},
                          "delinquent_now": rng.integers(0, 2, n).astype(bool),
                          "months_delinquent_6m": rng.integers(0, 7, n).astype(np.int32),
                          "was_30_plus_6m": rng.integers(0, 2, n).astype(bool)})
    model = Model(month=date(2024, 1, 1), fit_first_month=date(2023, 1, 1), fit_last_month=date(2023, 10, 1),
                  fit_months=10, accounts=1_000, bads=50, features=FEATURES,
                  coefficients=tuple(float(c) for c in rng.normal(0, 1.3, len(FEATURES))), intercept=-3.123456789,
                  thresholds=Thresholds(), settings=ScoreSettings(), sklearn_version="test")
    expected = []
    for row in frame.iter_rows(named=True):
        logit = model.intercept
        for feature, coefficient in zip(FEATURES, model.coefficients):
            logit = logit + coefficient * float(row[feature])
        expected.append(logit)
    whole = score(frame, model)
    assert whole["logit"].to_list() == expected
    for sizes in ([999, 4096, 7001, n, 1_250, 333, 2_048, 4_999, 17, 3_000], [n] * 10, [4_096] * 10):
        pieces = pl.DataFrame([pl.concat([frame[c].slice(i, size) for i in range(0, n, size)], rechunk=False)
                               for c, size in zip(frame.columns, sizes)])
        assert_frame_equal(score(pieces, model), whole, check_exact=True)


def test_no_look_ahead_score(book):
    history, posted = book
    month = add_months(JAN, 17)
    full = fit_score(labelled(history, posted), month, SIM_T, SIM_S)
    assert full.fit_last_month == add_months(month, -3)
    cut = pl.col("month") <= month
    truncated = fit_score(labelled(history.filter(cut), posted.filter(cut)), month, SIM_T, SIM_S)
    poisoned = fit_score(labelled(*poisoned_after(history, posted, month)), month, SIM_T, SIM_S)
    assert truncated == full and poisoned == full
    now = signals(history.filter(cut), posted.filter(cut), month, SIM_T)
    assert_frame_equal(score(now, truncated), score(signals(history, posted, month, SIM_T), full))


def test_model_is_reproducible_and_restorable(book):
    from sklearn.linear_model import LogisticRegression
    history, posted = book
    frame = labelled(history, posted)
    month = add_months(JAN, 19)
    model = fit_score(frame, month, SIM_T, SIM_S)
    assert fit_score(frame, month, SIM_T, SIM_S) == model
    assert fit_score(frame.sample(fraction=1.0, shuffle=True, seed=2), month, SIM_T, SIM_S) == model
    assert model.accounts > 5_000 and 0 < model.bads < model.accounts
    # fitting the distinct patterns with weights is the fit on one row per account-month
    window = frame.filter(pl.col("month").is_between(model.fit_first_month, model.fit_last_month))
    x = window.select([pl.col(f).cast(pl.Float64) for f in FEATURES]).to_numpy()
    reference = LogisticRegression(C=SIM_S.regularisation, tol=1e-10, max_iter=10_000).fit(x, window["bad"].to_numpy())
    assert np.allclose(model.coefficients, reference.coef_[0], atol=1e-6)
    assert np.allclose(score(window, model)["score"].to_numpy(), reference.predict_proba(x)[:, 1], atol=1e-8)
    # stored as rows (in any order) and restored: the same model, the same scores
    rows = model_frame(model)
    assert set(rows.filter(pl.col("kind") == "coefficient")["name"]) == set(FEATURES)
    restored = model_from_frame(rows.sample(fraction=1.0, shuffle=True, seed=4))
    assert restored == model and restored.model_id == model.model_id
    now = frame.filter(pl.col("month") == month)
    assert_frame_equal(score(now, restored), score(now, model))
    with pytest.raises(ValueError, match="reproduce"):
        model_from_frame(rows.with_columns(value=pl.when(pl.col("name") == "recent_cure").then(1.0)
                                           .otherwise("value")))


def _part(frame: pl.DataFrame, part: int, parts: int = 3) -> pl.DataFrame:
    return frame.filter(pl.col("account_id").hash(seed=1) % parts == part)


ROW_MONTHS = [
    ({}, 6),                               # the six-month bucket history
    ({"min_pay_months": 6}, 7),            # a six-month run, each month against the one before
    ({"cure_lookback": 7}, 8),
    ({"freeze_lookback": 7}, 7),           # a status: no month before it needed
    ({"utilisation_jump_months": 8}, 9),   # m against m − 8
]


def test_row_months_by_hand():
    for changed, months in [*ROW_MONTHS, ({"fee_growth_months": 6}, 7)]:
        assert row_months(dataclasses.replace(SIM_T, **changed)) == months, changed


@pytest.mark.parametrize(("changed", "months"), ROW_MONTHS)
def test_a_month_with_the_cohort_history_apart_reads_only_its_row_months(book, changed, months):
    """The cohort shares read further back than any other signal; read apart, a month's signals
    need only `row_months` of history: from those rows alone they are those of every row, and
    without the first of them they are not (each setting's signal fires in the simulated book but
    fees growing, which never does)."""
    t = dataclasses.replace(SIM_T, **changed)
    assert row_months(t) == months
    history, posted = book
    month = add_months(JAN, 20)
    rows = history.filter(pl.col("month") > add_months(month, -months))
    expected = signals(history, posted, month, t)
    assert_frame_equal(signals(rows, posted, month, t, cohort_history=history), expected)
    fewer = rows.filter(pl.col("month") > add_months(month, 1 - months))
    assert not signals(fewer, posted, month, t, cohort_history=history).equals(expected)


def test_a_book_taken_in_parts_gives_the_whole_books_signals(book):
    history, posted = book
    month = add_months(JAN, 14)
    whole = signals(history, posted, month, SIM_T)
    in_parts = pl.concat([signals(_part(history, k), _part(posted, k), month, SIM_T, cohort_history=history)
                          for k in range(3)]).sort("month", "account_id")
    assert_frame_equal(in_parts, whole)
    # a cohort's share counts every account of the cohort: a part alone would count a third of them
    alone = pl.concat([signals(_part(history, k), _part(posted, k), month, SIM_T) for k in range(3)])
    rates = whole.join(alone, on=["month", "account_id"], suffix="_alone").drop_nulls("cohort_early_default_rate")
    assert rates.height > 100
    assert (rates["cohort_early_default_rate"] != rates["cohort_early_default_rate_alone"]).any()


def test_pattern_counts_of_parts_add_up_to_the_whole_books_fit(book):
    rows = labelled(*book)
    month = add_months(JAN, 20)
    whole = fit_score(rows, month, SIM_T, SIM_S)
    parts = pl.concat([pattern_counts(_part(rows, k), month, SIM_S) for k in range(3)])
    assert fit_patterns(parts, month, SIM_T, SIM_S) == whole   # every field, coefficients bit for bit
    assert whole.fit_months == SIM_S.fit_months and whole.accounts == parts["accounts"].sum() > 10_000


@pytest.fixture(scope="module")
def book_scored(book):
    history, posted = book
    frame = labelled(history, posted)
    return out_of_time(frame, frame["month"].unique(), SIM_T, SIM_S)


def test_out_of_time_backtest(book, book_scored):
    history, _ = book
    scored, models = book_scored
    assert [m.month for m in models] == sorted(scored["month"].unique())
    assert all(m.fit_last_month <= add_months(m.month, -SIM_S.horizon) for m in models)
    assert len(models) == 16 - 5  # the panel's first months cannot be fitted yet
    summary, bands = backtest(scored, SIM_S)
    assert summary.height == sum(1 for m in models if m.month <= add_months(history["month"].max(), -3))
    assert summary["auc"].min() > 0.55  # the signals do predict on the simulated book
    assert bands.height == summary.height * len(BANDS)


def test_accounts_not_yet_overdue_can_score_high_on_the_simulated_book(book_scored):
    """The simulator's strained lines draw down and pay only the minimum before they miss, so the
    score puts some accounts that are still current in band C or worse, and rightly: early warning
    is more than flagging accounts already overdue."""
    current = book_scored[0].filter((pl.col("days_past_due") == 0) & pl.col("bad").is_not_null())
    high = pl.col("band").is_in(["C", "D", "E"])
    assert current.filter(high).height > 0
    assert current.filter(high)["bad"].mean() > 3 * current.filter(~high)["bad"].mean()


def test_each_watchlist_account_gets_one_action_the_most_urgent():
    from decimal import Decimal

    from transforms.early_warning import SIGNALS, actions

    def account(product, watchlist, balance, delinquent=False, **fired):
        return {"product": product, "watchlist": watchlist, "total_balance": Decimal(balance),
                "delinquent_now": delinquent, **{s: fired.get(s, False) for s in SIGNALS}}

    scored = pl.DataFrame([
        account("revolving", True, "100", delinquent=True, min_payments=True),   # call_now beats instalments
        account("revolving", True, "200", min_payments=True, high_utilisation=True),  # instalments beat the line
        account("revolving", True, "300", high_utilisation=True),                 # reduce_line
        account("installment", True, "400", high_utilisation=True),              # not revolving: monitor
        account("cash_loan", True, "500", cohort_early_default=True),            # review_cohort
        account("revolving", False, "999", delinquent=True),                     # not on the watchlist
        account("revolving", None, "999", delinquent=True),                      # not scored
    ]).with_columns(pl.col("total_balance").cast(pl.Decimal(18, 2)))
    out = actions(scored)
    everyone = {r["action"]: (r["accounts"], r["exposure"]) for r in out.filter(pl.col("product") == "all").to_dicts()}
    assert everyone == {"call_now": (1, Decimal("100.00")), "offer_instalments": (1, Decimal("200.00")),
                        "reduce_line": (1, Decimal("300.00")), "review_cohort": (1, Decimal("500.00")),
                        "monitor": (1, Decimal("400.00"))}
    assert out.filter(pl.col("product") == "revolving")["accounts"].sum() == 3
