"""The portfolio and concentration chapter of the management pack on the hand-made October mart.concentration
(tests/reports/conftest.py): the tables against hand arithmetic, the top-ten regions and the rest, the
sentences, both locales, the chapter's place in the pack, markup and identifiers, and one PDF."""

import logging
import re
import subprocess
from dataclasses import replace
from decimal import Decimal

import polars as pl
import pytest

from reports.concentration_section import ConcentrationInput, concentration_context
from reports.i18n import PROVINCES, region_label
from reports.management import contents, management_html, render_management_pack

from .conftest import OCT, concentration_input, overdue_input, sample_input


def context(data: ConcentrationInput | None = None, locale: str = "en") -> dict:
    return concentration_context(data or concentration_input(), OCT, locale, "CNY", 2)


def pack(data: ConcentrationInput | None = None, locale: str = "en", **extra) -> str:
    return management_html(replace(sample_input(), concentration=data or concentration_input(), **extra), locale)


def chapter(html: str) -> str:
    start = html.index('<section id="concentration"')
    return html[start:html.index("</section>", start)]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def with_region(segment: str, balance: int, dq30: int) -> ConcentrationInput:
    """The hand-made mart with one more October region (shares recomputed over the new book)."""
    frame = concentration_input().concentration
    book = 1_100_000 + balance
    extra = pl.DataFrame([{"month": OCT, "product": "all", "dimension": "region", "segment": segment,
                           "accounts": 1, "balance": Decimal(balance), "balance_share": 0.0,
                           "dq30_balance": Decimal(dq30), "dq30_rate": dq30 / balance}], schema=frame.schema)
    october = (pl.col("month") == OCT) & (pl.col("product") == "all") & (pl.col("dimension") == "region")
    frame = pl.concat([frame, extra]).with_columns(
        balance_share=pl.when(october).then(pl.col("balance").cast(pl.Float64) / book)
        .otherwise(pl.col("balance_share")))
    return ConcentrationInput(frame)


# --- figures ---------------------------------------------------------------------------------------

def test_products_with_share_change_and_total():
    rows = context()["products"]
    assert [r["label"] for r in rows] == ["Revolving", "Instalment", "Cash loan", "All products"]
    assert [r["balance"] for r in rows] == [Decimal(500_000), Decimal(400_000), Decimal(200_000), Decimal(1_100_000)]
    assert rows[0]["balance_share"] == pytest.approx(5 / 11)
    # September: 480,000 / 385,000 / 185,000 of 1,050,000
    assert rows[0]["share_change"] == pytest.approx(5 / 11 - 480 / 1050)
    assert rows[2]["share_change"] == pytest.approx(2 / 11 - 185 / 1050)
    assert rows[3]["is_total"] and rows[3]["share_change"] is None
    assert rows[3]["balance_share"] == pytest.approx(1.0) and rows[3]["accounts"] == 450
    assert rows[3]["dq30_rate"] == pytest.approx(0.031)  # 34,100 / 1,100,000, as the KPI table


def test_grades_in_order_with_rates_and_total():
    rows = context()["grades"]
    assert [r["label"] for r in rows[:-1]] == ["A", "B", "C", "D", "E"]
    assert [r["accounts"] for r in rows] == [180, 130, 80, 40, 20, 450]
    assert [r["dq30_rate"] for r in rows[:-1]] == pytest.approx([0.005, 0.02, 0.04, 0.10, 0.2075])
    assert rows[-1]["is_total"] and rows[-1]["balance"] == Decimal(1_100_000)
    assert rows[-1]["dq30_balance"] == Decimal(34_100)


def test_top_ten_regions_other_and_none_sum_to_the_total():
    rows = context()["regions"]
    kinds = [r["kind"] for r in rows]
    assert kinds == ["region"] * 10 + ["other", "none", "total"]
    assert [r["segment"] for r in rows[:10]] == ["440000", "320000", "330000", "310000", "110000", "370000",
                                                  "510000", "420000", "410000", "350000"]
    assert [r["label"] for r in rows[:3]] == ["Guangdong", "Jiangsu", "Zhejiang"]
    other, none, total = rows[10:]
    assert other["label"] == "Other regions (3)" and none["label"] == "Region not recorded"
    assert other["balance"] == Decimal(85_000) and other["accounts"] == 34  # Hunan, Chongqing, code 999999
    assert other["dq30_rate"] == pytest.approx(2_635 / 85_000)
    parts = rows[:12]
    assert sum(r["balance"] for r in parts) == total["balance"] == Decimal(1_100_000)
    assert sum(r["accounts"] for r in parts) == total["accounts"] == 450
    assert sum(r["dq30_balance"] for r in parts) == total["dq30_balance"] == Decimal(34_100)
    assert sum(r["balance_share"] for r in parts) == pytest.approx(total["balance_share"]) == pytest.approx(1.0)


def test_an_unknown_code_prints_as_the_code():
    rows = context(with_region("999998", 400_000, 4_000))["regions"]
    assert rows[0]["label"] == "999998"
    assert region_label("999998", "zh-CN") == "999998" and region_label("310000", "zh-CN") == "上海"
    assert len(PROVINCES) == 31 and all(re.fullmatch(r"\d{2}0000", code) for code in PROVINCES)


def test_the_sentences_by_hand():
    assert [s["text"] for s in context()["sentences"]] == [
        ("Guangdong holds the largest share of the balance, 16.36% (CNY 180,000.00); the 10 largest regions "
         "together hold 91.36%."),
        "Grade E has the highest 30+ delinquency rate, 20.75%, on 3.64% of the balance."]
    assert not any(s["warning"] for s in context()["sentences"])


def only_regions(codes: list[str]) -> ConcentrationInput:
    """The hand-made mart with October's regions cut to `codes` (shares recomputed over what is left)."""
    frame = concentration_input().concentration
    october = (pl.col("month") == OCT) & (pl.col("product") == "all") & (pl.col("dimension") == "region")
    kept = frame.filter(~october | pl.col("segment").is_in(codes))
    book = kept.filter(october)["balance"].sum()
    return ConcentrationInput(kept.with_columns(
        balance_share=pl.when(october).then(pl.col("balance").cast(pl.Float64) / float(book))
        .otherwise(pl.col("balance_share"))))


def test_when_every_region_is_listed_the_sentence_and_note_say_so():
    """Not "the 2 largest regions together hold 100%", nor a note about others summed in a row there is not."""
    data = only_regions(["440000", "320000"])  # Guangdong 180,000 and Jiangsu 150,000
    rows = context(data)["regions"]
    assert [r["kind"] for r in rows] == ["region", "region", "total"]
    assert context(data)["sentences"][0]["text"] == (
        "Guangdong holds the largest share of the balance, 54.55% (CNY 180,000.00), of 2 regions.")
    assert context(data, "zh-CN")["sentences"][0]["text"] == "广东余额占比最大，为 54.55%（¥180,000.00），共 2 个地区。"
    html = flat(chapter(pack(data)))
    assert "every region is listed, largest balance first" in html and "summed in one row" not in html
    assert "按余额从大到小列示全部地区" in flat(chapter(pack(data, locale="zh-CN")))
    # accounts with no region recorded: the named regions are not the whole book, so the sum is said
    with_unknown = only_regions(["440000", "320000", "(none)"])
    assert "the 2 largest regions together hold" in context(with_unknown)["sentences"][0]["text"]
    assert "every region is listed" in flat(chapter(pack(with_unknown)))


def test_a_book_with_nothing_30_plus_names_no_worst_grade():
    frame = concentration_input().concentration.with_columns(dq30_balance=pl.lit(Decimal(0)).cast(pl.Decimal(18, 2)),
                                                             dq30_rate=pl.lit(0.0))
    texts = [s["text"] for s in context(ConcentrationInput(frame))["sentences"]]
    assert texts[1] == "No risk grade has any balance 30 or more days past due."
    assert not any("highest 30+ delinquency rate" in t for t in texts)
    assert context(ConcentrationInput(frame), "zh-CN")["sentences"][1]["text"] == "各风险等级均无逾期 30 天及以上的余额。"


def test_a_region_above_a_quarter_of_the_balance_is_called_out():
    sentences = context(with_region("650000", 500_000, 10_000))["sentences"]  # Xinjiang 500,000 of 1,600,000
    assert sentences[0]["text"].startswith("Xinjiang holds the largest share of the balance, 31.25% (CNY 500,000.00)")
    assert sentences[-1] == {"text": "Concentration: Xinjiang holds 31.25% of the balance, more than 25%.",
                             "warning": True}


def test_the_chinese_labels_and_sentences():
    ctx = context(locale="zh-CN")
    assert [r["label"] for r in ctx["regions"][:3]] == ["广东", "江苏", "浙江"]
    assert ctx["regions"][10]["label"] == "其他地区（3 个）" and ctx["regions"][11]["label"] == "未记录地区"
    assert ctx["products"][-1]["label"] == "全部产品"
    assert [s["text"] for s in ctx["sentences"]] == [
        "广东余额占比最大，为 16.36%（¥180,000.00）；余额最大的 10 个地区合计占 91.36%。",
        "E 级的 30+ 逾期率最高，为 20.75%，其余额占比 3.64%。"]
    html = chapter(pack(locale="zh-CN"))
    for text in ("资产组合与集中度", "按产品的余额", "按风险等级的余额与逾期", "按地区的余额与逾期", "30+ 逾期率",
                 "广东", "E 级"):
        assert text in html, text


# --- the chapter in the pack -----------------------------------------------------------------------

def test_the_chapter_sits_after_the_kpis_and_before_delinquency():
    assert [a for a, _ in contents(False, with_overdue=True, with_concentration=True)] == [
        "summary", "kpis", "concentration", "delinquency", "overdue", "data-quality", "appendix"]
    html = pack(overdue=overdue_input(100))
    order = [html.index(f'<section id="{s}"') for s in ("summary", "concentration", "delinquency", "overdue",
                                                         "data-quality")]
    assert order == sorted(order)
    assert 'href="#concentration"' in html
    assert "Concentration: the on-book balance at month end" in html  # the appendix definition


def test_without_the_mart_the_pack_is_as_before():
    html = management_html(sample_input())
    assert 'id="concentration"' not in html and "Concentration:" not in html and html.count("<svg") == 2


def test_the_chapter_shows_chart_tables_and_words():
    html = chapter(pack())
    assert html.count("<svg") == 1 and 'aria-label="Horizontal bar chart' in html
    for text in ("Portfolio and concentration", "Balance by product", "Balance and delinquency by risk grade",
                 "Balance and delinquency by region", "Guangdong", "Other regions (3)", "Region not recorded",
                 "1,100,000", "-0.26 pp", "+0.56 pp", "20.75%", "Grade E"):
        assert text in html, text
    assert "Beijing</td>" in html and "Xinjiang" not in html


def test_an_empty_mart_says_so():
    html = chapter(pack(ConcentrationInput(concentration_input().concentration.clear())))
    assert "No concentration figures for this month." in html and "<svg" not in html


def test_markup_in_a_segment_prints_as_text():
    html = chapter(pack(with_region("<b>x</b>", 400_000, 4_000)))
    assert "<b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_identifying_columns_and_missing_columns_are_refused():
    frame = concentration_input().concentration
    with pytest.raises(ValueError, match="concentration.concentration carries identifying column.*customer_id"):
        pack(ConcentrationInput(frame.with_columns(customer_id=pl.lit("C-1"))))
    with pytest.raises(ValueError, match="concentration.concentration lacks column.*dq30_rate"):
        pack(ConcentrationInput(frame.drop("dq30_rate")))


def pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_a_realistic_month_renders_to_pdf(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    data = replace(sample_input(), concentration=concentration_input(realistic=True))
    paths = render_management_pack(data, tmp_path, locale="zh-CN")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    text = flat(pdf_text(paths["pdf"]))
    for word in ("资产组合与集中度", "广东", "其他地区（21 个）", "未记录地区", "168,241,000"):
        assert word in text, word
