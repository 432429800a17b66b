"""The charge-off, recovery and overdue-cost chapter of the management pack on hand-made October
marts (tests/reports/conftest.py): the figures against hand arithmetic, the sentences, the recovery
curve's average, the chapter's place in the pack, both locales, empty marts, markup and identifiers."""

import logging
import re
import subprocess
from dataclasses import replace
from decimal import Decimal

import polars as pl
import pytest

from reports.management import contents, management_html, render_management_pack
from reports.overdue_section import (
    OverdueInput,
    average_curve,
    bucket_tick,
    overdue_context,
)

from .conftest import (
    BALANCES,
    BUCKETS,
    MONEY,
    OCT,
    OVERDUE_FEE_SHARE,
    OVERDUE_PENALTY_RATE,
    expected_loss_input,
    overdue_input,
    recovery_rate_at,
    sample_input,
)

SCALE = 100  # a book of ~CNY 110 million, so counts and fees are not all rounded to zero


def context(data: OverdueInput | None = None, locale: str = "en") -> dict:
    return overdue_context(data or overdue_input(SCALE), sample_input().delinquency, OCT, locale, "CNY", 2)


def pack(data: OverdueInput | None = None, locale: str = "en", **extra) -> str:
    return management_html(replace(sample_input(), overdue=data or overdue_input(SCALE), **extra), locale)


def chapter(html: str) -> str:
    start = html.index('<section id="overdue"')
    return html[start:html.index("</section>", start)]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- figures ---------------------------------------------------------------------------------------

def test_bucket_rows_and_total_by_hand():
    ctx = context()
    assert [r["bucket"] for r in ctx["buckets"]] == list(BUCKETS)
    assert [r["label"] for r in ctx["buckets"]][:3] == ["Current", "1–29 DPD", "30–59 DPD"]
    balances = [sum(BALANCES[OCT][p][i] for p in BALANCES[OCT]) * SCALE for i in range(len(BUCKETS))]
    total = ctx["total"]
    assert total["total_balance"] == Decimal(sum(balances)) == Decimal(110_000_000)
    # penalty interest: each product's bucket balance × the bucket's rate, to the cent, summed
    penalty = sum(Decimal(str(round(b * SCALE * OVERDUE_PENALTY_RATE[i], 2)))
                  for p in BALANCES[OCT] for i, b in enumerate(BALANCES[OCT][p]))
    assert total["penalty_interest"] == penalty == Decimal("55730.00")
    fees = sum(b * OVERDUE_FEE_SHARE[i] for i, b in enumerate(balances))
    assert total["fee_share"] == pytest.approx(fees / sum(balances))
    assert ctx["buckets"][-1]["fee_share"] == pytest.approx(0.10)


def test_products_are_summed_over_their_buckets_with_all_last():
    rows = context()["products"]
    assert [r["product"] for r in rows] == ["Revolving", "Instalment", "Cash loan", "All products"]
    assert [r["is_total"] for r in rows] == [False, False, False, True]
    assert sum(r["late_fees"] for r in rows[:3]) == rows[3]["late_fees"]
    assert sum(r["freezes"] for r in rows[:3]) == rows[3]["freezes"] == context()["total"]["freezes"]
    revolving = BALANCES[OCT]["revolving"]
    assert rows[0]["fee_share"] == pytest.approx(
        sum(b * s for b, s in zip(revolving, OVERDUE_FEE_SHARE)) / sum(revolving), rel=1e-6)


def test_the_charge_off_trend_is_the_packs_delinquency():
    rows = context()["charge_offs"]["rows"]
    assert [r["month_label"] for r in rows] == ["August 2026", "September 2026", "October 2026"]
    assert [r["gross_charge_offs"] for r in rows] == [Decimal(4_000), Decimal(5_000), Decimal(6_000)]
    assert [r["recoveries"] for r in rows] == [Decimal(500), Decimal(800), Decimal(1_000)]
    assert rows[0]["nco_rate"] is None and context()["charge_offs"]["chart"] is not None


def hand_average(curve: pl.DataFrame, age: int) -> float:
    """Σ over ages j ≤ age of (recoveries in month j of the cohorts observed at j) / (their amount)."""
    rows = {(r["charge_off_month"], r["months_since"]): r for r in curve.to_dicts()}
    total = 0.0
    for j in range(age + 1):
        observed = [cohort for cohort, k in rows if k == j]
        recovered = sum(rows[(c, j)]["cumulative_recoveries"] - (rows[(c, j - 1)]["cumulative_recoveries"] if j else 0)
                        for c in observed)
        total += float(recovered / sum(rows[(c, j)]["charged_off_amount"] for c in observed))
    return total


def test_the_average_recovery_curve_adds_each_months_recoveries_amount_weighted():
    curve = overdue_input(SCALE).recovery_curve.filter(pl.col("product") == "all")
    average = dict(average_curve(curve))
    assert sorted(average) == list(range(13))
    at0 = curve.filter(pl.col("months_since") == 0)
    assert average[0] == pytest.approx(float(at0["cumulative_recoveries"].sum() / at0["charged_off_amount"].sum()))
    for age in (1, 6, 12):
        assert average[age] == pytest.approx(hand_average(curve, age), rel=1e-12)
    # only the oldest cohort is 12 months out: month 12 adds its own recoveries of that month, amount weighted
    # over its products (0.5, 0.33, 0.17 of the amount)
    oldest = {product: [recovery_rate_at(k, factor) for k in (11, 12)]
              for product, factor in (("revolving", 1.0), ("installment", 1.1), ("cash_loan", 1.0))}
    step = 0.5 * (oldest["revolving"][1] - oldest["revolving"][0]) + 0.33 * (
        oldest["installment"][1] - oldest["installment"][0]) + 0.17 * (oldest["cash_loan"][1] - oldest["cash_loan"][0])
    assert average[12] - average[11] == pytest.approx(step, abs=1e-5)
    # the sample's later cohorts recover less: the cumulative share of the cohorts seen at 12 months alone
    # (the oldest) sits below the curve, and the curve never falls
    at12 = curve.filter(pl.col("months_since") == 12)
    assert float(at12["cumulative_recoveries"].sum() / at12["charged_off_amount"].sum()) != pytest.approx(average[12])
    assert all(b >= a for a, b in zip(list(average.values()), list(average.values())[1:]))
    # the same cohorts at every age: the running sum is their cumulative share
    seven_oldest = curve.filter(pl.col("charge_off_month") <= pl.date(2026, 4, 1))
    at6 = seven_oldest.filter(pl.col("months_since") == 6)
    assert dict(average_curve(seven_oldest))[6] == pytest.approx(
        float(at6["cumulative_recoveries"].sum() / at6["charged_off_amount"].sum()), rel=1e-12)


def test_an_age_whose_cohorts_charged_off_nothing_leaves_the_curve_unknown_from_there():
    curve = overdue_input(SCALE).recovery_curve.filter(pl.col("product") == "all")
    oldest = curve["charge_off_month"].min()
    nothing = curve.with_columns(pl.when(pl.col("charge_off_month") == oldest).then(pl.lit(Decimal(0)))
                                 .otherwise(pl.col(c)).cast(MONEY).alias(c)
                                 for c in ("charged_off_amount", "cumulative_recoveries"))
    average = dict(average_curve(nothing))
    assert average[11] is not None and average[12] is None  # only the oldest cohort reaches 12 months


def test_the_recovery_table_lists_the_charted_cohorts_newest_first():
    recovery = context()["recovery"]
    assert recovery["cohorts"] == 13 and recovery["shown"] == 6
    assert [r["cohort"] for r in recovery["rows"]] == ["October 2026", "September 2026", "August 2026",
                                                       "July 2026", "June 2026", "May 2026"]
    assert [r["months_since"] for r in recovery["rows"]] == [0, 1, 2, 3, 4, 5]
    assert recovery["chart"].count("<path") > 6


def test_the_sentences_by_hand():
    ctx = context()
    total = ctx["total"]
    curve = overdue_input(SCALE).recovery_curve.filter(pl.col("product") == "all")
    april = curve.filter((pl.col("charge_off_month") == pl.date(2026, 4, 1)) & (pl.col("months_since") == 6))
    average = hand_average(curve, 6)
    assert ctx["sentences"] == [
        (f"Penalty interest of CNY 55,730.00 and late fees of CNY {total['late_fees']:,.2f} were posted this month; "
         f"unpaid fees are 10.00% of the balance in 180+ DPD, against {100 * total['fee_share']:.2f}% across the "
         "book."),
        (f"{total['fees_over_10pct_principal']} accounts with unpaid fees above 10 % of their principal; "
         f"{total['freezes']} accounts frozen and {total['cures']} accounts cured this month."),
        (f"The April 2026 charge-off cohort, the latest to reach 6 months since charge-off, has recovered "
         f"{100 * april['recovery_rate'][0]:.2f}% of the amount charged off, against {100 * average:.2f}% on the "
         f"average curve of all cohorts.")]


def test_the_chinese_sentences():
    sentences = context(locale="zh-CN")["sentences"]
    assert sentences[0].startswith("本月计入罚息 ¥55,730.00、滞纳金 ¥")
    assert "逾期 180 天以上的未付费用占余额 10.00%" in sentences[0]
    assert sentences[2].startswith("2026年4月核销批次是最近一个核销满 6 个月的批次")


def test_a_single_young_cohort():
    data = overdue_input(SCALE)
    young = data.recovery_curve.filter(pl.col("charge_off_month") == pl.date(2026, 9, 1))
    sentence = context(replace(data, recovery_curve=young))["sentences"][-1]
    assert sentence.startswith("The September 2026 charge-off cohort has recovered ")
    assert sentence.endswith(" of the amount charged off after 1 month.")
    older = data.recovery_curve.filter(pl.col("charge_off_month") == pl.date(2026, 8, 1))
    assert context(replace(data, recovery_curve=older))["sentences"][-1].endswith(" charged off after 2 months.")
    assert context(replace(data, recovery_curve=young), locale="zh-CN")["sentences"][-1].startswith(
        "2026年9月核销批次在核销 1 个月后已回收核销金额的 ")


def test_bucket_ticks_are_short():
    assert bucket_tick("dpd_30_59", "30–59 DPD") == "30–59"
    assert bucket_tick("dpd_180_plus", "逾期 180 天以上") == "180+"
    assert bucket_tick("dpd_31_60", "M2") == "M2"
    assert bucket_tick("current", "Current") == "Current"


# --- the chapter in the pack -----------------------------------------------------------------------

def test_the_chapter_sits_after_vintage_and_before_expected_loss():
    assert [a for a, _ in contents(True, True, True, True)] == [
        "summary", "kpis", "delinquency", "roll-rates", "vintage", "overdue", "expected-loss", "data-quality",
        "appendix"]
    html = pack(vintage=sample_input(vintage=True).vintage,
                vintage_lifetime=sample_input(vintage=True).vintage_lifetime, expected_loss=expected_loss_input())
    order = [html.index(f'<section id="{s}"') for s in ("delinquency", "vintage", "overdue", "expected-loss",
                                                         "data-quality")]
    assert order == sorted(order)
    assert 'href="#overdue"' in html
    assert "Overdue cost: penalty interest and late fees posted in the month" in html  # the appendix definition


def test_without_overdue_marts_the_pack_is_as_before():
    html = management_html(sample_input())
    assert 'id="overdue"' not in html and "def.overdue" not in html and html.count("<svg") == 2


def test_the_chapter_shows_charts_tables_and_words():
    html = chapter(pack())
    assert html.count("<svg") == 3  # charge-offs, recovery curve, snowball
    for text in ("Charge-offs and recoveries", "Recovery curve", "Overdue cost and account actions",
                 "Fees &gt; 10 % of principal", "55,730", "110,000,000", "180+ DPD"):
        assert text in html, text


def test_empty_marts_say_so():
    data = overdue_input(SCALE)
    html = chapter(pack(OverdueInput(data.overdue_cost.clear(), data.recovery_curve.clear())))
    assert "No overdue cost figures for this month." in html
    assert "No account has been charged off yet: there is no recovery curve." in html
    assert html.count("<svg") == 1  # the charge-off trend still comes from mart.delinquency


def test_markup_in_a_product_name_prints_as_text():
    data = overdue_input(SCALE)
    evil = pl.col("product").replace("cash_loan", "<b>cash</b>")
    html = chapter(pack(replace(data, overdue_cost=data.overdue_cost.with_columns(evil))))
    assert "<b>" not in html and "&lt;b&gt;cash&lt;/b&gt;" in html


def test_identifying_columns_and_missing_columns_are_refused():
    data = overdue_input(SCALE)
    with pytest.raises(ValueError, match="overdue.recovery_curve carries identifying column.*account_id"):
        pack(replace(data, recovery_curve=data.recovery_curve.with_columns(account_id=pl.lit("ACC-1"))))
    with pytest.raises(ValueError, match="overdue.overdue_cost lacks column.*cures"):
        pack(replace(data, overdue_cost=data.overdue_cost.drop("cures")))


def pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.parametrize("locale, words", [
    ("en", ("Charge-offs, recoveries and overdue cost", "Penalty interest", "Days past due",
            "Average of all cohorts (amount-weighted)")),
    ("zh-CN", ("核销、回收与逾期成本", "罚息", "滞纳金", "回收曲线", "逾期天数", "全部批次平均（按金额加权）")),
])
def test_both_locales_render_the_chapter_to_pdf(tmp_path, caplog, locale, words):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    paths = render_management_pack(replace(sample_input(), overdue=overdue_input(SCALE)), tmp_path, locale=locale)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    text = flat(pdf_text(paths["pdf"]))
    for word in words:
        assert word in text, word
