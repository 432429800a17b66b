"""Vintage insights (reports.vintage_insights) on small frames computed by hand.

Reporting month October 2026; the last 6 cohort months are 2026-05 … 2026-10. Ever-30+ rates
(observed cells; amounts in brackets):

    cohort            amount  mob 0  1     2     3     4
    2026-01 (A)       100     0      0     2.0%  3.0%  4.0%   … (observed to mob 9)
    2026-03 (B)       300     0      0     3.0%  4.0%  5.0%   … (to mob 7)
    2025-06 (L)      1000     —      —    10.0% 10.0% 10.0%   left-truncated: cells from mob 2 only
    2026-06 (R3)      100     0      0     2.0%  3.0%  3.0%
    2026-07 (R2)      100     0      0     2.0%  4.5%
    2026-08 (R1)      200     0      0     4.0%              (projected 50% from mob 3: ignored)
    2026-09           100     0      0
    2026-10           100     0

2026-08 at mob 2, against 2026-01, 2026-03, 2026-06, 2026-07 (2025-06 is left-truncated, and a
cohort is not its own peer): (100·2.0 + 300·3.0 + 100·2.0 + 100·2.0) / 600 = 2.50 % → +1.50 pp.
2026-07 at mob 3, against 2026-01, 2026-03, 2026-06: (100·3.0 + 300·4.0 + 100·3.0) / 500 = 3.60 %
→ +0.90 pp. 2026-06 at mob 4 (3.0 % against 4.75 %) runs better; 2026-09 and 2026-10 run at 0 like all.
"""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from reports.vintage_insights import (
    cohorts_above_average,
    highest_lifetime,
    lifetime_by_segment,
    portfolio,
    vintage_sentences,
    weighted_average,
)

OCT = date(2026, 10, 1)
MONEY = pl.Decimal(18, 2)
# cohort → (amount, first observed mob, observed ever-30+ rates from that mob on)
COHORTS = {
    date(2026, 1, 1): (100, 0, [0, 0, 0.02, 0.03, 0.04, 0.05, 0.05, 0.05, 0.05, 0.05]),
    date(2026, 3, 1): (300, 0, [0, 0, 0.03, 0.04, 0.05, 0.06, 0.06, 0.06]),
    date(2025, 6, 1): (1000, 2, [0.10] * 15),
    date(2026, 6, 1): (100, 0, [0, 0, 0.02, 0.03, 0.03]),
    date(2026, 7, 1): (100, 0, [0, 0, 0.02, 0.045]),
    date(2026, 8, 1): (200, 0, [0, 0, 0.04]),
    date(2026, 9, 1): (100, 0, [0, 0]),
    date(2026, 10, 1): (100, 0, [0]),
}


def cells_frame() -> pl.DataFrame:
    rows = []
    for cohort, (amount, first, rates) in COHORTS.items():
        rows += [(cohort, first + i, False, Decimal(amount), rate) for i, rate in enumerate(rates)]
    # projections are never a benchmark: a 50 % at mob 3 would move 2026-07's benchmark
    rows += [(date(2026, 8, 1), mob, True, Decimal(200), 0.5) for mob in range(3, 13)]
    frame = pl.DataFrame(rows, orient="row", schema={"cohort_month": pl.Date, "mob": pl.Int32, "projected": pl.Boolean,
                                                      "cohort_amount": MONEY, "ever30_rate": pl.Float64})
    return frame.with_columns(month=pl.lit(OCT), product=pl.lit("all"), segment_type=pl.lit("all"),
                              segment=pl.lit("all"), cum_net_loss_rate=pl.lit(None, pl.Float64))


def test_recent_cohorts_against_their_elders_at_the_same_age():
    gaps = cohorts_above_average(cells_frame(), OCT)
    assert [(g.cohort_month, g.mob, g.peers) for g in gaps] == [(date(2026, 8, 1), 2, 4), (date(2026, 7, 1), 3, 3)]
    worst, second = gaps
    # 2026-08 at mob 2: peers 2026-01, 2026-03, 2026-06, 2026-07 (not the left-truncated 2025-06, not itself)
    assert worst.benchmark == pytest.approx((100 * 0.02 + 300 * 0.03 + 100 * 0.02 + 100 * 0.02) / 600, abs=1e-15)
    assert worst.gap == pytest.approx(0.04 - 0.025, abs=1e-15)
    # 2026-07 at mob 3: peers 2026-01, 2026-03, 2026-06 (2026-08's projected 50 % is not a peer)
    assert second.benchmark == pytest.approx((100 * 0.03 + 300 * 0.04 + 100 * 0.03) / 500, abs=1e-15)
    assert second.gap == pytest.approx(0.045 - 0.036, abs=1e-15)
    # 2026-06 at mob 4 (3.0 % vs 4.75 %) is better than its elders; 2026-09 and 2026-10 equal them (0)
    assert cohorts_above_average(cells_frame(), OCT, top=1) == [worst]


def test_only_the_recent_window_is_named():
    assert cohorts_above_average(cells_frame(), OCT, recent=2) == []  # 2026-09 and 2026-10 run at 0, like all
    assert [g.cohort_month for g in cohorts_above_average(cells_frame(), OCT, recent=3)] == [date(2026, 8, 1)]


def test_a_cohort_without_peers_is_not_compared():
    only = cells_frame().filter(pl.col("cohort_month") == date(2026, 8, 1))
    assert cohorts_above_average(only, OCT) == []


def lifetime_frame() -> pl.DataFrame:
    rows = [  # segment_type, segment, cohort, amount, lifetime rate, method
        ("all", "all", date(2024, 9, 1), 100, 0.04, "observed"),
        ("all", "all", date(2026, 1, 1), 100, 0.03, "chain_ladder"),
        ("all", "all", date(2026, 3, 1), 300, 0.02, "chain_ladder"),
        ("all", "all", date(2026, 8, 1), 200, 0.04, "bornhuetter_ferguson"),
        ("all", "all", date(2026, 10, 1), 500, None, "bornhuetter_ferguson"),
        ("risk_grade", "A", date(2024, 9, 1), 100, 0.01, "observed"),
        ("risk_grade", "A", date(2026, 3, 1), 300, 0.02, "chain_ladder"),
        ("risk_grade", "E", date(2026, 8, 1), 100, 0.08, "bornhuetter_ferguson"),
        ("risk_grade", "E", date(2026, 10, 1), 100, None, "bornhuetter_ferguson"),
        ("channel", "合作商户", date(2026, 3, 1), 50, 0.05, "chain_ladder"),
    ]
    frame = pl.DataFrame(rows, orient="row", schema={
        "segment_type": pl.String, "segment": pl.String, "cohort_month": pl.Date, "cohort_amount": pl.Int64,
        "lifetime_cum_net_loss_rate": pl.Float64, "method": pl.String})
    age = (OCT.year - pl.col("cohort_month").dt.year()) * 12 + OCT.month - pl.col("cohort_month").dt.month()
    return frame.with_columns(pl.col("cohort_amount").cast(MONEY), month=pl.lit(OCT), product=pl.lit("all"),
                              horizon=pl.lit(12, pl.Int32), observed_mob=pl.min_horizontal(age, 12).cast(pl.Int32))


def test_the_highest_lifetime_loss_prefers_the_latest_cohort_on_a_tie():
    worst = highest_lifetime(portfolio(lifetime_frame()))
    assert (worst.cohort_month, worst.rate, worst.method, worst.horizon, worst.observed_mob) == (
        date(2026, 8, 1), 0.04, "bornhuetter_ferguson", 12, 2)
    # the unprojectable 2026-10 (null) weighs nothing: (100·4 + 100·3 + 300·2 + 200·4) / 700
    assert worst.average == pytest.approx(0.03, abs=1e-15)
    assert highest_lifetime(portfolio(lifetime_frame()).filter(pl.col("cohort_month") == OCT)) is None


def test_lifetime_by_risk_grade_is_amount_weighted():
    grades = lifetime_by_segment(lifetime_frame(), "risk_grade")
    assert [g.segment for g in grades] == ["A", "E"]
    a, e = grades
    assert (a.cohorts, a.amount) == (2, Decimal("400.00"))
    assert a.lifetime_rate == pytest.approx((100 * 0.01 + 300 * 0.02) / 400, abs=1e-15)
    assert a.projected_share == pytest.approx(0.75)
    portfolio_rate = 0.03
    assert a.relative == pytest.approx(0.0175 / portfolio_rate)
    assert (e.cohorts, e.amount, e.projected_share) == (1, Decimal("100.00"), 1.0)  # the null cohort is left out
    assert e.relative == pytest.approx(0.08 / portfolio_rate)
    assert [c.segment for c in lifetime_by_segment(lifetime_frame(), "channel")] == ["合作商户"]
    assert lifetime_by_segment(lifetime_frame(), "region") == []


def test_weighted_average_skips_missing_values_and_zero_weights():
    assert weighted_average([(0.1, 1), (None, 5), (float("nan"), 2), (0.4, 0)]) == pytest.approx(0.1)
    assert weighted_average([(None, 1)]) is None
    assert weighted_average([]) is None


def test_sentences_in_english():
    text = vintage_sentences(cells_frame(), portfolio(lifetime_frame()), OCT, "en")
    assert text == [
        ("Cohorts of the last 6 months running above the average ever-30+ rate of earlier cohorts at the same age: "
         "August 2026 (4.00% at 2 months on book, 1.50 pp above the average 2.50%); "
         "July 2026 (4.50% at 3 months on book, 0.90 pp above the average 3.60%)."),
        ("The highest lifetime net loss rate is the August 2026 cohort's: 4.00% at 12 months on book (projected by "
         "Bornhuetter–Ferguson from 2 months of history), against an amount-weighted average of 3.00% over all "
         "cohorts."),
    ]


def test_sentences_in_chinese():
    text = vintage_sentences(cells_frame(), portfolio(lifetime_frame()), OCT, "zh-CN")
    assert text[0] == ("近 6 个月的放款批次中，相同账龄下 30 天以上曾逾期率高于此前批次平均水平的有："
                       "2026年8月批次（账龄 2 个月时为 4.00%，比平均水平 2.50% 高 1.50个百分点）；"
                       "2026年7月批次（账龄 3 个月时为 4.50%，比平均水平 3.60% 高 0.90个百分点）。")
    assert text[1] == ("生命周期净损失率最高的是2026年8月批次：账龄 12 个月时为 4.00%（BF 法预测，基于 2 个月的实际数据），"
                       "全部批次按金额加权平均为 3.00%。")


def test_sentences_when_nothing_runs_worse_or_nothing_is_projectable():
    calm = cells_frame().filter(pl.col("cohort_month") != date(2026, 8, 1)).with_columns(
        ever30_rate=pl.when(pl.col("cohort_month") == date(2026, 7, 1)).then(pl.col("ever30_rate") * 0.5)
        .otherwise(pl.col("ever30_rate")))
    unknown = portfolio(lifetime_frame()).with_columns(lifetime_cum_net_loss_rate=pl.lit(None, pl.Float64))
    assert vintage_sentences(calm, unknown, OCT, "en") == [
        "No cohort of the last 6 months runs above the average ever-30+ rate of earlier cohorts at the same age.",
        "No cohort's lifetime loss can be projected yet."]
    assert vintage_sentences(None, None, OCT, "en") == []


def test_a_gap_that_prints_as_zero_is_not_named():
    tiny = cells_frame().with_columns(
        ever30_rate=pl.when((pl.col("cohort_month") == date(2026, 8, 1)) & (pl.col("mob") == 2)).then(pl.lit(0.025001))
        .when((pl.col("cohort_month") == date(2026, 7, 1)) & (pl.col("mob") == 3)).then(pl.lit(0.03))
        .otherwise(pl.col("ever30_rate")))
    assert len(cohorts_above_average(tiny, OCT)) == 1  # above, by 0.0001 pp
    assert vintage_sentences(tiny, None, OCT, "en")[0].startswith("No cohort of the last 6 months")
