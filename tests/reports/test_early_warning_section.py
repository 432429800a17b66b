"""The early-warning chapter of the management pack on hand-made October marts (tests/reports/conftest.py):
the watchlist and its shares by hand, the sentences (the right signals, the Gini warning only below the
floor), the back-test by band and over the months, the actions, the model facts, the first months with
no model and a month with no back-test, both locales, the chapter in the pack, and no identifier."""

import logging
import re
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from reports import early_warning_section as ew
from reports.early_warning_section import early_warning_context, over_represented
from reports.management import (
    IDENTIFYING_COLUMNS,
    contents,
    management_html,
    render_management_pack,
)

from .conftest import (
    EW_BANDS,
    EW_BOOK,
    EW_BOOK_TOTAL,
    EW_GINI,
    EW_MODEL_ID,
    EW_WATCHLIST,
    OCT,
    early_warning_input,
    ew_backtest_frame,
    expected_loss_input,
    overdue_input,
    sample_input,
)


def context(data=None, locale="en"):
    return early_warning_context(data or early_warning_input(), OCT, locale, "CNY", 2)


def pack(data=None, locale="en", **extra) -> str:
    return management_html(replace(sample_input(), early_warning=data or early_warning_input(), **extra), locale)


def chapter(html: str) -> str:
    start = html.index('<section id="early-warning"')
    return html[start:html.index("</section>", start)]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def with_latest_gini(gini: float | None, below: bool | None) -> ew.EarlyWarningInput:
    data = early_warning_input()
    backtest = data.backtest.with_columns(
        gini=pl.when(pl.col("month") == OCT).then(pl.lit(gini, dtype=pl.Float64)).otherwise(pl.col("gini")),
        gini_below_floor=pl.when(pl.col("month") == OCT).then(pl.lit(below, dtype=pl.Boolean))
        .otherwise(pl.col("gini_below_floor")))
    return replace(data, backtest=backtest)


# --- figures ---------------------------------------------------------------------------------------

def test_the_vocabulary_is_the_transforms():
    from transforms import early_warning as model

    assert ew.BANDS == model.BANDS
    assert ew.SIGNALS == model.SIGNALS
    assert ew.HISTORY_FEATURES == model.HISTORY_FEATURES
    assert ew.ACTIONS == tuple(a for a, _ in model.ACTIONS)


def test_the_watchlist_table_by_hand():
    book = context()["book"]
    assert book["products"] == ["Revolving", "Instalment", "Cash loan", "All products"]
    labels = [r["label"] for r in book["rows"]]
    assert labels == ["A (< 2%)", "B (2%–5%)", "C (5%–10%)", "D (10%–20%)", "E (≥ 20%)", "Watchlist (D–E)",
                      "Scored book (below 30 DPD)"]
    assert [r["watchlist"] for r in book["rows"]] == [False, False, False, True, True, True, False]
    watch, total = book["rows"][5]["cells"], book["rows"][6]["cells"]
    assert [c["accounts"] for c in watch] == [300, 80, 120, 500]
    assert watch[0]["exposure"] == Decimal("1650123.45") + Decimal("780456.78")
    assert (watch[-1]["accounts"], watch[-1]["exposure"]) == EW_WATCHLIST
    assert (total[-1]["accounts"], total[-1]["exposure"]) == EW_BOOK_TOTAL
    assert [c["accounts"] for c in total[:3]] == [sum(a for a, _ in EW_BOOK[p]) for p in EW_BOOK]
    assert book["shares"][-1]["accounts"] == pytest.approx(500 / 30_000)
    assert book["shares"][-1]["exposure"] == pytest.approx(3_541_000 / 168_241_000)
    assert book["shares"][1]["accounts"] == pytest.approx(80 / 8_680)


def test_an_absent_band_is_a_row_of_zeros():
    data = early_warning_input()
    book = context(replace(data, by_band=data.by_band.filter(pl.col("band") != "E")))["book"]
    e = book["rows"][4]
    assert e["label"] == "E (≥ 20%)" and e["cells"][-1] == {"accounts": 0, "exposure": Decimal(0)}
    assert book["rows"][5]["cells"][-1]["accounts"] == 360  # band D alone


def test_the_signals_are_ordered_by_over_representation_with_their_coefficients():
    table = context()["signals"]
    names = [r["name"] for r in table["signals"]]
    assert names == ["High utilisation", "Minimum payments only", "Recently cured", "Utilisation jump",
                     "Recently frozen", "Cohort defaults early", "Fees growing"]
    top = table["signals"][0]
    assert top["watchlist_share"] == pytest.approx(0.48) and top["rest_share"] == pytest.approx(0.052)
    assert top["coefficient"] == 0.85 and top["odds"] == pytest.approx(2.339646852)
    assert [r["name"] for r in table["history"]] == ["Delinquent now (1–29 DPD)",
                                                     "Months delinquent in the last 6 (per month)",
                                                     "30+ DPD in the last 6 months", "Intercept"]
    assert table["history"][-1] == {"name": "Intercept", "coefficient": -4.6, "odds": None}


def test_the_sentence_names_the_most_over_represented_signals():
    data = early_warning_input()
    assert [r["signal"] for r in over_represented(data.signals)] == ["high_utilisation", "min_payments"]
    # recent_freeze made the most over-represented: it leads; fees_growing never fires and never leads
    signals = data.signals.with_columns(
        watchlist_share=pl.when(pl.col("signal") == "recent_freeze").then(0.9).otherwise(pl.col("watchlist_share")))
    assert [r["signal"] for r in over_represented(signals)] == ["recent_freeze", "high_utilisation"]
    sentence = context(replace(data, signals=signals))["sentences"][1]["text"]
    assert sentence.startswith("The signals most over-represented on the watchlist are recently frozen (90.00% of "
                               "the watchlist, 0.20% of the rest) and high utilisation")
    # only one signal more common on the watchlist: named alone
    one = data.signals.with_columns(rest_share=pl.when(pl.col("signal") == "high_utilisation").then(0.01)
                                    .otherwise(pl.col("watchlist_share")))
    assert context(replace(data, signals=one))["sentences"][1]["text"] == (
        "The signal most over-represented on the watchlist is high utilisation (48.00% of the watchlist, 1.00% of "
        "the rest).")
    # none: the sentence says so
    none = data.signals.with_columns(rest_share=pl.col("watchlist_share"))
    assert context(replace(data, signals=none))["sentences"][1]["text"].startswith("No signal is more common")


def test_the_watchlist_is_the_bands_the_month_was_scored_with():
    """An empty band stays on the watchlist (the demo's October had no account in D: it read "band E"), and
    the month's model, not today's configuration, says which bands those are."""
    data = early_warning_input()
    no_d = data.by_band.filter(pl.col("band") != "D")
    ctx = context(replace(data, by_band=no_d))
    assert ctx["watchlist_bands"] == "D–E"
    assert [r["watchlist"] for r in ctx["book"]["rows"]] == [False, False, False, True, True, True, False]
    in_d = data.by_band.filter((pl.col("band") == "D") & (pl.col("product") == "all"))["accounts"][0]
    assert ctx["sentences"][0]["text"].startswith(f"{500 - in_d} accounts on the watchlist (score bands D–E)")
    scored_with_e = replace(data, model=data.model.with_columns(watchlist_band_index=pl.lit(4.0)))
    assert context(scored_with_e)["watchlist_bands"] == "E"  # configured D, scored with E
    unscored = replace(data, model=data.model.clear())
    assert context(unscored)["watchlist_bands"] == "D–E"  # no model: as configured


def test_bands_are_named_by_the_cuts_they_were_scored_with():
    """After a change of `band_cuts` each table names its bands by the cuts that made them: the month's
    model for the book and the model facts, the scored month's model for the back-test; today's
    configuration only before any model."""
    data = replace(early_warning_input(), band_cuts=(0.01, 0.03, 0.06, 0.12), watchlist_band="C")  # changed since
    older = data.bands.with_columns(band_cut_b=pl.lit(0.03), band_cut_c=pl.lit(0.06), band_cut_d=pl.lit(0.15),
                                    band_cut_e=pl.lit(0.25), watchlist_band_index=pl.lit(4.0))
    ctx = context(replace(data, bands=older))
    assert [r["label"] for r in ctx["book"]["rows"]][:5] == [
        "A (< 2%)", "B (2%–5%)", "C (5%–10%)", "D (10%–20%)", "E (≥ 20%)"]
    facts = dict(ctx["model"])
    assert facts["Band cuts (probability of 30+)"] == "B from 2%, C from 5%, D from 10%, E from 20%"
    assert facts["Watchlist"] == "bands D–E"
    backtest = ctx["latest"]["bands"]["rows"]
    assert [r["label"] for r in backtest] == ["A (< 3%)", "B (3%–6%)", "C (6%–15%)", "D (15%–25%)", "E (≥ 25%)"]
    assert [r["watchlist"] for r in backtest] == [False, False, False, False, True]
    before_any_model = context(replace(data, model=data.model.clear(), bands=data.bands.clear()))
    assert [r["label"] for r in before_any_model["book"]["rows"]][:2] == ["A (< 1%)", "B (1%–3%)"]
    assert dict(before_any_model["model"])["Band cuts (probability of 30+)"].startswith("B from 1%, C from 3%")
    assert before_any_model["watchlist_bands"] == "C–E"
    with pytest.raises(ValueError, match="stored without its score bands"):
        context(replace(data, model=data.model.with_columns(band_cut_d=pl.lit(None, pl.Float64))))


def test_the_sentences_by_hand():
    sentences = context()["sentences"]
    assert [s["text"] for s in sentences] == [
        ("500 accounts on the watchlist (score bands D–E), 1.67% of the 30,000 scored accounts below 30 DPD, "
         "with an exposure of CNY 3,541,000.00 (2.10% of the scored book's CNY 168,241,000.00)."),
        ("The signals most over-represented on the watchlist are high utilisation (48.00% of the watchlist, 5.20% "
         "of the rest) and minimum payments only (38.00% of the watchlist, 3.10% of the rest)."),
        ("The latest back-test, of the scores of July 2026 against the outcome now known, has a Gini of 0.460 "
         "against a floor of 0.30; 21.91% of watchlist accounts reached 30+ DPD or were charged off within three "
         "months, against 1.68% of the rest."),
    ]
    assert not any(s["warning"] for s in sentences)


def test_the_gini_warning_appears_only_below_the_floor():
    below = context(with_latest_gini(0.27, True))
    last = below["sentences"][-1]
    assert last["warning"] is True
    assert last["text"].startswith("Warning: the latest back-test, of the scores of July 2026, has a Gini of 0.270, "
                                   "below the floor of 0.30")
    assert below["latest"]["below"] is True
    html = chapter(pack(with_latest_gini(0.27, True)))
    assert html.count('<li class="warning">') == 1 and "0.270, below the floor of 0.30" in flat(html)
    # the flag is the mart's; when it is missing the Gini is compared with the floor itself
    assert context(with_latest_gini(0.27, None))["sentences"][-1]["warning"] is True
    for gini in (0.30, 0.46):  # on the floor is not below it
        ctx = context(with_latest_gini(gini, None))
        assert ctx["sentences"][-1]["warning"] is False and not ctx["latest"]["below"]
    assert '<li class="warning">' not in pack()
    # an earlier month below the floor is marked in the trend, not warned about
    trend = context()["trend"]
    assert [r["below"] for r in trend] == [g < 0.3 for g in EW_GINI]


def test_a_back_test_with_one_outcome_has_no_gini():
    ctx = context(with_latest_gini(None, None))
    assert ctx["sentences"][-1] == {"text": "The latest back-test, of the scores of July 2026, has no Gini: every "
                                            "scored account had the same outcome.", "warning": False}


def test_the_latest_back_test_by_band():
    bands = context()["latest"]["bands"]
    assert [r["band"] for r in bands["rows"]] == list("ABCDE")
    assert [r["watchlist"] for r in bands["rows"]] == [False, False, False, True, True]
    e = bands["rows"][-1]
    assert e["bad_rate"] == pytest.approx(45 / 140) and e["lift"] == pytest.approx((45 / 140) / (588 / 29_400))
    total = bands["total"]
    assert (total["accounts"], total["bads"]) == (sum(v[0] for v in EW_BANDS.values()), 588)
    assert total["bad_rate"] == pytest.approx(0.02) and total["lift"] == 1.0


def test_the_back_test_facts():
    facts = dict(context()["latest"]["facts"])
    assert facts["Scores evaluated"] == "scored in July 2026, outcome known in October 2026"
    assert facts["Accounts scored"] == "29,400, of which 588 went bad (2.00%)"
    assert facts["AUC"] == "0.730" and facts["Gini"] == "0.460 (floor 0.30)" and facts["KS"] == "0.359"
    assert facts["Watchlist hit rate"] == "21.91% (103 of 470)"
    assert facts["Bad rate of the rest"] == "1.68% (485 of 28,930)"
    assert facts["Watchlist hit rate / rest"] == "13.1×"
    assert facts["Capture rate"] == "17.52%"
    assert dict(context(with_latest_gini(0.27, True))["latest"]["facts"])["Gini"] == "0.270, below the floor of 0.30"


def test_the_gini_chart_needs_two_points():
    chart = str(context()["gini_chart"])
    assert 'role="img"' in chart and 'aria-label="Line chart of the back-test Gini' in chart
    assert ">Floor<" in chart and ">Below the floor<" in chart
    data = early_warning_input()
    assert context(replace(data, backtest=ew_backtest_frame(EW_GINI[-1:])))["gini_chart"] is None
    two = str(context(replace(data, backtest=ew_backtest_frame(EW_GINI[-2:])))["gini_chart"])
    assert "<svg" in two and "Below the floor" not in two  # no month below: no legend entry for it


def test_the_actions_by_product_add_up_to_the_watchlist():
    table = context()["actions"]
    assert table["products"] == ["Revolving", "Instalment", "Cash loan", "All products"]
    assert [r["label"] for r in table["rows"]] == ["Call now", "Offer instalments", "Reduce the line",
                                                   "Review the cohort", "Monitor"]
    assert [r["cells"][-1]["accounts"] for r in table["rows"]] == [130, 110, 80, 75, 105]
    assert table["total"][-1] == {"accounts": EW_WATCHLIST[0], "exposure": EW_WATCHLIST[1]}
    book = context()["book"]["rows"][5]["cells"]
    assert [c["exposure"] for c in table["total"]] == [c["exposure"] for c in book]
    assert table["meanings"][0] == ("Call now", "already 1–29 DPD: call before the account reaches 30.")


def test_the_model_facts():
    facts = dict(context()["model"])
    assert facts["Model id"] == EW_MODEL_ID
    assert facts["Fitted on"] == "August 2025 – July 2026 (12 months)"
    assert facts["Account-months fitted"] == "351,840, of which 7,037 went bad (2.00%)"
    assert facts["Library"] == "scikit-learn 1.5.2"
    assert facts["Band cuts (probability of 30+)"] == "B from 2%, C from 5%, D from 10%, E from 20%"
    assert facts["Watchlist"] == "bands D–E" and facts["Gini floor"] == "0.30"


# --- the first months and a month without a back-test ---------------------------------------------

def test_without_a_model_the_chapter_says_so_in_one_sentence():
    ctx = context(early_warning_input(available=False))
    assert ctx == {"available": False, "unavailable": (
        "No early-warning score for October 2026 yet: the score is fitted only once enough past months have a "
        "known three-month outcome (the settings are in the appendix).")}
    html = chapter(pack(early_warning_input(available=False)))
    assert "<table" not in html and "<svg" not in html and "<ul" not in html
    assert html.count("<p>") == 1
    zh = context(early_warning_input(available=False), "zh-CN")["unavailable"]
    assert zh.startswith("2026年10月尚无早期预警评分")


def test_a_month_without_a_back_test_says_so():
    ctx = context(early_warning_input(backtest=False))
    assert ctx["latest"] is None and ctx["trend"] == [] and ctx["gini_chart"] is None
    assert ctx["sentences"][-1] == {"text": "No back-test yet: no scored month has reached the end of its "
                                            "three-month outcome window.", "warning": False}
    assert len(ctx["sentences"]) == 3  # the watchlist and the signals are still there
    html = chapter(pack(early_warning_input(backtest=False)))
    assert "<svg" not in html and "The first back-test is due three months after the first scored month" in html
    assert "Accounts flagged this month, by action" in html and EW_MODEL_ID in html


def test_a_month_with_bands_of_another_month_shows_the_summary_only():
    data = early_warning_input()
    ctx = context(replace(data, bands=data.bands.with_columns(month=pl.lit(date(2026, 9, 1)))))
    assert ctx["latest"]["bands"] is None and ctx["latest"]["facts"]


# --- locales, the pack, identifiers ----------------------------------------------------------------

def test_zh_cn_words():
    ctx = context(locale="zh-CN")
    assert ctx["sentences"][0]["text"] == (
        "预警名单（D–E 档）共 500 个账户，占 30,000 个已评分账户（逾期 30 天以下）的 1.67%；风险敞口 ¥3,541,000.00，"
        "占已评分账户余额 ¥168,241,000.00 的 2.10%。")
    assert ctx["sentences"][1]["text"].startswith("在预警名单中最为突出的信号是额度使用率高（预警名单中 48.00%，其余账户中 5.20%）和仅还最低还款额")
    assert ctx["sentences"][2]["text"].startswith("最近一次回测（2026年7月的评分与现已得知的结果对比）基尼系数为 0.460（下限 0.30）")
    assert [r["label"] for r in ctx["book"]["rows"]][3:6] == ["D 档（10%–20%）", "E 档（≥ 20%）", "预警名单（D–E 档）"]
    assert [r["label"] for r in ctx["actions"]["rows"]] == ["立即致电", "提供分期还款", "降低额度", "复核所在批次", "持续监控"]
    assert dict(ctx["latest"]["facts"])["基尼系数"] == "0.460（下限 0.30）"
    below = context(with_latest_gini(0.27, True), "zh-CN")["sentences"][-1]["text"]
    assert below.startswith("警示：最近一次回测（2026年7月的评分）基尼系数为 0.270，低于下限 0.30")
    assert context(early_warning_input(backtest=False), "zh-CN")["sentences"][-1]["text"].startswith("尚无回测")


def test_the_chapter_sits_after_expected_loss_and_before_data_quality():
    assert [a for a, _ in contents(True, True, True, True, True)] == [
        "summary", "kpis", "delinquency", "roll-rates", "vintage", "overdue", "expected-loss", "early-warning",
        "data-quality", "appendix"]
    html = pack(expected_loss=expected_loss_input(), overdue=overdue_input(100))
    order = [html.index(f'<section id="{s}"') for s in ("overdue", "expected-loss", "early-warning", "data-quality")]
    assert order == sorted(order)
    anchors = re.findall(r'<li><a href="#([^"]+)"', html)
    assert anchors.index("expected-loss") + 1 == anchors.index("early-warning") == anchors.index("data-quality") - 1


def test_without_early_warning_marts_the_pack_is_as_before():
    html = management_html(sample_input())
    assert 'id="early-warning"' not in html and "Early warning" not in html and html.count("<svg") == 2


@pytest.mark.parametrize("locale, words", [
    ("en", ("Early warning", "Watchlist and scored book by score band and product", "What puts accounts on the watchlist",
            "Back-test by reporting month", "Accounts flagged this month, by action", "The model", "Odds multiplier",
            "168,241,000", "3,541,000", "Early warning: each month every on-book account below 30 DPD")),
    ("zh-CN", ("早期预警", "预警名单", "基尼系数", "各评分档、各产品的预警名单与已评分账户", "账户进入预警名单的原因",
               "各报告月份的回测", "本月预警账户按建议措施统计", "提升度", "早期预警：每月对逾期 30 天以下的在册账户评分")),
])
def test_the_pack_carries_the_chapter(locale, words):
    html = pack(locale=locale)
    text = flat(html)
    for word in words:
        assert word in text, word
    body = chapter(html)
    assert body.count("<svg") == 1  # the Gini trend
    assert body.count("<table") == 7  # book, signals, bands, back-test facts, trend, actions, model facts
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert pack(locale=locale) == html  # deterministic


def test_frames_with_identifiers_or_missing_columns_are_refused():
    data = early_warning_input()
    for name in ew.COLUMNS:
        for column in sorted(IDENTIFYING_COLUMNS):
            frame = getattr(data, name)
            with pytest.raises(ValueError, match=f"early_warning.{name} carries identifying column.*{column}"):
                pack(replace(data, **{name: frame.with_columns(pl.lit("ACC-000123").alias(column))}))
    with pytest.raises(ValueError, match="early_warning.by_band lacks column.*exposure"):
        pack(replace(data, by_band=data.by_band.drop("exposure")))
    with pytest.raises(ValueError, match="early_warning.model must be one row"):
        pack(replace(data, model=pl.concat([data.model, data.model])))
    with pytest.raises(ValueError, match="watchlist_band"):
        pack(replace(data, watchlist_band="F"))
    with pytest.raises(ValueError, match="band_cuts"):
        pack(replace(data, band_cuts=(0.05, 0.02, 0.1, 0.2)))
    # the first months: marts with no columns at all are empty, not malformed
    empty = pl.DataFrame()
    assert 'id="early-warning"' in pack(replace(early_warning_input(available=False), by_band=empty, signals=empty,
                                                coefficients=empty, backtest=empty, bands=empty))


def test_nothing_but_aggregates_is_printed():
    data = early_warning_input()
    tagged = replace(data, by_band=data.by_band.with_columns(sample=pl.lit("ACC-000123")),
                     actions=data.actions.with_columns(example=pl.lit("CUST-42")))
    html = pack(tagged)
    assert "ACC-000123" not in html and "CUST-42" not in html
    assert not re.search(r"account_id|customer_id", html)


def test_markup_in_a_product_name_prints_as_text():
    data = early_warning_input()
    evil = pl.col("product").replace("cash_loan", "<b>cash</b>")
    html = chapter(pack(replace(data, by_band=data.by_band.with_columns(evil),
                                actions=data.actions.with_columns(evil))))
    assert "<b>" not in html and html.count("&lt;b&gt;cash&lt;/b&gt;") == 2


def test_the_pdf_shows_the_chapter(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    data = replace(sample_input(), early_warning=early_warning_input())
    paths = render_management_pack(data, tmp_path)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    text = flat(subprocess.run(["pdftotext", "-enc", "UTF-8", str(paths["pdf"]), "-"], check=True,
                               capture_output=True, text=True).stdout)
    for words in ("Early warning", "Watchlist (D–E)", "168,241,000", "High utilisation", "Below the floor",
                  "Review the cohort", EW_MODEL_ID, "scikit-learn 1.5.2"):
        assert words in text, words
