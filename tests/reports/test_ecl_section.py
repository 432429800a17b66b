"""The expected-credit-loss chapter on hand-made October marts (tests/reports/conftest.py): the
figures against hand arithmetic, the first month and the month without a movement, CECL, both
locales, the refusal of identifying frames, and the whole pack rendered with the chapter."""

import logging
import re
import subprocess
from dataclasses import replace
from decimal import Decimal

import polars as pl
import pytest

from reports.ecl_section import biggest_line, expected_loss_context, waterfall_steps
from reports.management import management_html, render_management_pack

from .conftest import ECL_MOVEMENT, OCT, expected_loss_input, sample_input

CLOSING = Decimal(26_840)  # Σ ECL of every product and stage
OPENING = Decimal(24_500)
BALANCE = Decimal(1_092_200)


def context(data=None, locale="en"):
    return expected_loss_context(data or expected_loss_input(), OCT, locale, "CNY", 2)


def pack(data=None, locale="en") -> str:
    return management_html(replace(sample_input(), expected_loss=data or expected_loss_input()), locale)


def chapter(html: str) -> str:
    return html[html.index('<section id="expected-loss"'):html.index('<section id="data-quality"')]


def test_coverage_table_by_hand():
    table = context()["coverage"]
    assert table["stages"] == ["Stage 1", "Stage 2", "Stage 3", "Total"]
    assert [r["product"] for r in table["rows"]] == ["Revolving", "Instalment", "Cash loan", "All products"]
    assert [r["is_total"] for r in table["rows"]] == [False, False, False, True]
    revolving, total = table["rows"][0]["cells"], table["rows"][-1]["cells"]
    assert revolving[1] == {"balance": Decimal(18_000), "ecl": 3_600, "coverage": pytest.approx(0.20)}
    assert revolving[3]["ecl"] == 4_700 + 3_600 + 5_950
    assert [c["ecl"] for c in total] == [9_860, 6_950, 10_030, 26_840]
    assert total[3]["balance"] == BALANCE
    assert total[3]["coverage"] == pytest.approx(26_840 / 1_092_200)


def test_waterfall_steps_run_from_opening_to_closing():
    steps = waterfall_steps(expected_loss_input().movement, "en")
    assert [s["key"] for s in steps] == ["opening", "new_accounts", "derecognised", "written_off", "missing",
                                         "transfers_in", "transfers_out", "remeasurement", "closing"]
    assert steps[0]["end"] == OPENING and steps[-1]["end"] == CLOSING
    lines = steps[1:-1]
    for before, step in zip(steps[:-2], lines):
        assert step["start"] == before["end"]  # each line floats from where the previous one ended
    assert steps[0]["amount"] + sum(s["amount"] for s in lines) == CLOSING == lines[-1]["end"]
    # stage `all`: the transfers are one allowance moved between stages
    assert steps[5]["amount"] == -steps[6]["amount"] == 1_150
    chart = str(context()["waterfall"])
    assert 'role="img"' in chart and 'aria-label="Waterfall chart of the allowance' in chart
    assert "+3.49" in chart and "-2.10" in chart and "Allowance (CNY thousand)" in chart


def test_the_movement_table_ties_in_every_stage():
    table = context()["movement"]
    assert table["stages"] == ["Stage 1", "Stage 2", "Stage 3", "Total"]
    rows = table["rows"]
    assert rows[0]["line"] == "Opening" and rows[-1]["line"] == "Closing"
    for column in range(4):
        assert rows[0]["values"][column] + sum(r["values"][column] for r in rows[1:-1]) == rows[-1]["values"][column]
    assert [rows[-1]["values"][i] for i in range(3)] == [9_860, 6_950, 10_030]
    assert [r["values"][0] for r in rows[:-1]] == [Decimal(v) for v in ECL_MOVEMENT["1"]]


def test_the_largest_line_leaves_out_the_transfers_that_cancel():
    steps = [{"key": "transfers_in", "amount": Decimal(900), "total": False},
             {"key": "transfers_out", "amount": Decimal(-900), "total": False},
             {"key": "written_off", "amount": Decimal(-200), "total": False},
             {"key": "new_accounts", "amount": Decimal(150), "total": False}]
    assert biggest_line(steps)["key"] == "written_off"
    assert biggest_line(steps[:2]) is None


def test_sentences_by_hand():
    assert context()["sentences"] == [
        ("The allowance is CNY 26,840.00, 2.46% of the on-book balance; it rose by CNY 2,340.00 (9.6%) from "
         "CNY 24,500.00 at the start of the month."),
        "The largest movement line, Remeasurement, added CNY 3,490.00.",
        "Coverage by stage: stage 1 0.94%, stage 2 19.63%, stage 3 85.00%.",
    ]


def test_scenarios_weight_to_the_reported_ecl():
    scenarios = context()["scenarios"]
    assert [r["scenario"] for r in scenarios["rows"]] == ["Base", "Downside", "Upside"]
    assert scenarios["weight"] == pytest.approx(1.0)
    assert scenarios["weighted"] == pytest.approx(float(CLOSING))


def test_pd_table_marks_borrowed_and_assumed_rows():
    table = context()["pd_table"]
    assert table["buckets"] == ["Current", "1–29 DPD", "30–59 DPD", "60–89 DPD"]
    rows = {r["product"]: r["cells"] for r in table["rows"]}
    assert list(rows) == ["Revolving", "Instalment", "Cash loan", "All products"]
    assert rows["All products"][0]["pd"] == pytest.approx(1 - 0.996 ** 12)
    assert rows["Cash loan"][3]["marker"] == "†" and rows["Instalment"][3]["marker"] == "‡"
    assert sum(bool(c["marker"]) for cells in rows.values() for c in cells) == 2
    assert [f[0] for f in table["footnotes"]] == ["†", "‡"]

    own = expected_loss_input().pd_term_structure.with_columns(row_source=pl.lit("product"))
    assert context(replace(expected_loss_input(), pd_term_structure=own))["pd_table"]["footnotes"] == []


def test_migration_matrix_counts_accounts_from_last_month_stage():
    matrix = context()["migration"]
    assert matrix["columns"] == ["Stage 1", "Stage 2", "Stage 3", "Derecognised", "Written off", "Missing"]
    assert [(r["stage"], r["accounts"]) for r in matrix["rows"]] == [
        ("Stage 1", 460), ("Stage 2", 33), ("Stage 3", 13), ("New", 12)]
    stage2 = matrix["rows"][1]["cells"]
    assert [c["accounts"] for c in stage2] == [3, 25, 4, 1, 0, 0]
    assert [c["diagonal"] for c in stage2] == [False, True, False, False, False, False]


def test_lgd_rows_name_their_source():
    rows = context()["lgd"]
    assert [(r["product"], r["source"], r["accounts_used"]) for r in rows] == [
        ("Revolving", "Empirical", 45), ("Instalment", "Fallback (configured)", 12),
        ("Cash loan", "Fallback (configured)", 5), ("All products", "Empirical", 62)]


def test_the_first_month_says_why_and_shows_only_the_parameters():
    ctx = context(expected_loss_input(available=False))
    assert set(ctx) == {"available", "mode", "parameters", "unavailable"}
    assert ctx["unavailable"].startswith("Expected credit loss is not available for October 2026")
    assert ctx["parameters"][0] == ("Measurement", "IFRS 9 (12-month ECL in stage 1, lifetime ECL in stages 2 and 3)")
    assert ("Scenario Downside", "weight 30.00%, PD multiplier 1.30") in ctx["parameters"]
    html = chapter(pack(expected_loss_input(available=False)))
    assert "no transitions before it" in html
    assert "<svg" not in html and "<ul" not in html and html.count("<table") == 1  # the parameters only


def test_a_month_without_movement_or_migration_says_so():
    data = expected_loss_input()
    ctx = context(replace(data, movement=data.movement.clear(), stage_migration=data.stage_migration.clear(),
                          summary_trend=data.summary))
    assert ctx["movement"] is None and ctx["waterfall"] is None and ctx["migration"] is None
    assert ctx["trend_chart"] is None  # one month is not a trend
    assert ctx["sentences"][0] == "The allowance is CNY 26,840.00, 2.46% of the on-book balance."
    assert not any("movement line" in s for s in ctx["sentences"])
    html = chapter(pack(replace(data, movement=data.movement.clear(), stage_migration=data.stage_migration.clear())))
    assert "No allowance movement this month: the prior month has no ECL to start from." in html
    assert "No stage migration this month" in html


def test_cecl_has_no_stages_in_the_headline():
    ctx = context(expected_loss_input(mode="cecl"))
    assert ctx["sentences"][0].startswith("The lifetime allowance (CECL) is CNY 26,840.00")
    assert not any("by stage" in s for s in ctx["sentences"])
    html = chapter(pack(expected_loss_input(mode="cecl")))
    assert "CECL: one lifetime allowance on every on-book account" in html
    assert "Stage 1" in html  # the stage table is still shown


def test_failed_controls_are_plain_and_their_detail_is_not_printed():
    data = expected_loss_input()
    checks = data.checks.with_columns(
        passed=pl.when(pl.col("check_name") == "ecl_known").then(False).otherwise(pl.col("passed")),
        failures=pl.when(pl.col("check_name") == "ecl_known").then(3).otherwise(pl.col("failures")),
        detail=pl.when(pl.col("check_name") == "ecl_known").then(pl.lit("3 account(s), e.g. ['ACC-0001']"))
        .otherwise(pl.col("detail")))
    checks = pl.concat([checks, checks.head(1).with_columns(check_name=pl.lit("new_rule"), passed=None,
                                                            failures=None)])
    ctx = context(replace(data, checks=checks))
    results = {c["check"]: c["text"] for c in ctx["controls"]}
    assert results["Every on-book account has an ECL"] == "Failed (3)"
    assert results["new_rule"] == "Not evaluated"  # an unknown check prints under its own name
    assert ctx["sentences"][-1] == "Controls not passed: Every on-book account has an ECL."
    assert "ACC-0001" not in pack(replace(data, checks=checks))


def test_frames_with_identifiers_or_missing_columns_are_refused():
    data = expected_loss_input()
    with pytest.raises(ValueError, match="expected_loss.summary carries identifying column"):
        pack(replace(data, summary=data.summary.with_columns(account_id=pl.lit("A1"))))
    with pytest.raises(ValueError, match="expected_loss.movement lacks column.*remeasurement"):
        pack(replace(data, movement=data.movement.drop("remeasurement")))
    with pytest.raises(ValueError, match="expected_loss.mode"):
        pack(replace(data, mode="ifrs17"))


def test_chinese_notes_join_their_sentences_without_a_space():
    """A full-width full stop holds its own space: "余额。 IFRS 9" printed a gap in every joined note."""
    text = re.sub(r"<[^>]+>", "", chapter(pack(locale="zh-CN")))
    assert "该阶段无余额。IFRS 9：第一阶段" in text
    assert "no balance in the stage. IFRS 9: stage 1" in re.sub(r"<[^>]+>", "", chapter(pack()))


def test_zh_cn_words():
    ctx = context(locale="zh-CN")
    assert ctx["coverage"]["stages"] == ["第一阶段", "第二阶段", "第三阶段", "合计"]
    assert ctx["sentences"][0].startswith("损失准备为 ¥26,840.00，占在册余额的 2.46%")
    assert ctx["sentences"][1] == "变动最大的项目为“重新计量”，增加 ¥3,490.00。"
    assert ctx["migration"]["rows"][3]["stage"] == "新增"
    assert ctx["pd_table"]["buckets"][1] == "逾期 1–29 天"
    first = context(expected_loss_input(available=False), locale="zh-CN")
    assert first["unavailable"].startswith("2026年10月无法计算预期信用损失")


def test_markup_in_a_scenario_name_prints_as_text():
    data = expected_loss_input()
    html = pack(replace(data, scenarios=data.scenarios.with_columns(
        scenario=pl.col("scenario").replace("upside", "<b>upside</b>"))))
    assert "<b>upside" not in html and "&lt;b&gt;upside&lt;/b&gt;" in html


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_the_pack_carries_the_chapter(locale):
    html = pack(locale=locale)
    anchors = re.findall(r'<li><a href="#([^"]+)"', html)
    assert anchors.index("delinquency") < anchors.index("expected-loss") == anchors.index("data-quality") - 1
    assert html.index('id="delinquency"') < html.index('id="expected-loss"') < html.index('id="data-quality"')
    body = chapter(html)
    words = {"en": ("Expected credit loss", "Allowance and coverage by product and stage", "Probability-weighted ECL",
                    "12-month PD by product and bucket", "Controls"),
             "zh-CN": ("预期信用损失", "各产品、各阶段的损失准备与覆盖率", "概率加权预期信用损失", "各产品违约损失率", "控制检查")}
    for word in words[locale]:
        assert word in body
    assert body.count("<svg") == 3  # trend, waterfall, PD term structure
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    appendix = html[html.index('id="appendix"'):]
    assert ("Expected credit loss (IFRS 9 by default" if locale == "en" else "预期信用损失（默认 IFRS 9") in appendix
    assert pack(locale=locale) == html  # deterministic


def test_the_pdf_shows_the_chapter(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    paths = render_management_pack(replace(sample_input(), expected_loss=expected_loss_input()), tmp_path)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(paths["pdf"]), "-"], check=True, capture_output=True,
                          text=True).stdout
    for words in ("Expected credit loss", "Allowance and coverage by product and stage", "1,092,200",
                  "Probability-weighted ECL", "26,840.00", "Assumed roll forward", "Fallback (configured)"):
        assert words in text
