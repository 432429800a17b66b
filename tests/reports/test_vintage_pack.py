"""The vintage section of the management pack, on conftest's vintage sample: when it appears, what
the triangles mark, the escaping of segment names, determinism, Chinese, and the selection rules
that keep ~48 cohorts readable on A4."""

import logging
import re
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from reports.management import management_html, render_management_pack
from reports.vintage_section import (
    curves,
    heat_class,
    quarter_ticks,
    select_cohorts,
    table_mobs,
    without_projections_from_zero,
)
from tests.reports.conftest import render_in_another_process
from transforms.months import add_months
from transforms.vintage import MIN_PROJECTION_MOB

from .conftest import OCT, sample_input, vintage_frame, vintage_lifetime_frame
from .test_management_pack import pdf_pages, weasyprint_warnings


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    return render_management_pack(sample_input(vintage=True), tmp_path_factory.mktemp("vintage"), locale="en")


@pytest.fixture(scope="module")
def html(rendered) -> str:
    return rendered["html"].read_text(encoding="utf-8")


def section(html: str) -> str:
    return html[html.index('<section id="vintage"'):html.index('<section id="data-quality"')]


def triangle(html: str, measure: str) -> dict[str, list[str]]:
    """The cells' markup per cohort row of one triangle."""
    table = re.search(rf'<table class="triangle" data-measure="{measure}">(.*?)</table>', html, re.DOTALL).group(1)
    rows = {}
    for row in re.findall(r"<tr>\s*<th scope=\"row\"[^>]*>([^<]+)</th>(.*?)</tr>", table, re.DOTALL):
        rows[row[0]] = re.findall(r"<td[^>]*>[^<]*</td>", row[1])
    return rows


def test_no_vintage_frames_no_section(pack_input):
    html = management_html(pack_input)
    assert 'id="vintage"' not in html and "Vintage analysis" not in html and "def.vintage" not in html
    assert "Vintage: a cohort" not in html


def test_the_section_sits_after_delinquency_and_before_data_quality(html):
    body = html[html.index("<body>"):]
    contents = body[body.index('<nav class="contents">'):body.index("</nav>")]
    assert re.findall(r'href="#([^"]+)"', contents) == ["summary", "kpis", "delinquency", "vintage", "data-quality",
                                                       "appendix"]
    assert body.index('<section id="delinquency"') < body.index('<section id="vintage"') < body.index(
        '<section id="data-quality"')
    assert "Vintage: a cohort is the accounts opened in one month" in html  # the appendix defines the terms


def test_charts_and_tables_are_there(html):
    part = section(html)
    assert part.count("<svg") == 3  # two curve charts and the lifetime bars
    assert 'id="vintage-ever30-rate"' in part and 'id="vintage-cum-net-loss-rate"' in part
    assert "stroke-dasharray" in part  # the projected parts are dashed
    for title in ("Ever-30+ rate by cohort and months on book", "Cumulative net loss rate by cohort and months on book",
                  "Lifetime loss of the cohorts in the triangles", "Lifetime loss by risk grade and channel"):
        assert title in part
    assert "Grade E" in part
    # 2025-09 opened before the first loaded month (2025-10): its curves start at mob 1, and say why
    assert "Cohorts opened before the first month loaded start at their age in that month" in part


def test_no_truncation_note_when_every_cohort_is_seen_from_mob_0(make_input):
    data = make_input(vintage=vintage_frame(first_loaded=date(2025, 9, 1)))
    assert "Cohorts opened before the first month loaded" not in management_html(data)


def test_the_triangle_marks_projected_cells(html):
    rows = triangle(html, "ever30_rate")
    # 13 rows: the last 12 months (2025-11 … 2026-10) and the quarterly 2025-10; not 2025-09
    assert list(rows) == [f"{d.year}-{d.month:02d}" for d in (add_months(OCT, -i) for i in range(12, -1, -1))]
    assert len(set(map(len, rows.values()))) == 1
    august = rows["2026-08"]  # age 2: mob 0, 1, 2 observed, mob 3 … 12 projected
    assert ["projected" in cell for cell in august] == [False] * 3 + [True] * (len(august) - 3)
    assert august[2] == '<td class="num vheat-2">3.39%</td>'  # 1 + int(3.39 / 11.93 · 7)
    assert re.fullmatch(r'<td class="num vheat-\d projected">\d+\.\d\d%</td>', august[3])
    # the newest cohort cannot be projected (no cohort moves from mob 0 to 1): marked, not a number
    assert rows["2026-10"][1] == '<td class="num unknown projected">–</td>'
    # cells that do not exist are blank, never 0: 2025-10 is past the horizon of 12 (mob 12 is observed)
    assert all("projected" not in cell for cell in rows["2025-10"])
    losses = triangle(html, "cum_net_loss_rate")
    assert losses["2026-04"][-1] == '<td class="num unknown projected">–</td>'  # no loss yet: undefined
    assert losses["2026-03"][-1].startswith('<td class="num vheat-') and "projected" in losses["2026-03"][-1]
    assert "projection undefined" in section(html) and 'class="swatch vheat-4 projected"' in section(html)


def test_segment_names_are_escaped_and_chinese_is_kept(html):
    part = section(html)
    assert "<b>app</b>" not in html and "&lt;b&gt;app&lt;/b&gt;" in part
    assert "合作商户" in part


def test_the_sentences_name_the_worst_cohorts(html):
    part = section(html)
    assert "August 2026 (3.39% at 2 months on book" in part
    assert "The highest lifetime net loss rate is the August 2026 cohort&#39;s" in part


def test_a_rerender_is_byte_identical_and_clean(rendered, tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    again = render_management_pack(sample_input(vintage=True), tmp_path, locale="en")
    assert weasyprint_warnings(caplog) == []
    assert again["html"].read_bytes() == rendered["html"].read_bytes()
    assert again["pdf"].read_bytes() == rendered["pdf"].read_bytes()


def test_another_process_renders_the_same_bytes(rendered, tmp_path):
    other = render_in_another_process(tmp_path, vintage=True, hash_seed="4242")
    assert (other / rendered["html"].name).read_bytes() == rendered["html"].read_bytes()
    assert (other / rendered["pdf"].name).read_bytes() == rendered["pdf"].read_bytes()


def test_element_ids_are_unique_and_resolve(html):
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for target in re.findall(r'(?:href="#|url\(#)([^")]+)', html):
        assert target in ids, target


def _body_lines(text: str, footer: tuple[str, ...]) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [line for line in lines if not line.startswith(footer)]


def test_the_pdf_pages_are_a4_and_no_heading_is_stranded(rendered):
    info = subprocess.run(["pdfinfo", "-l", "99", str(rendered["pdf"])], check=True, capture_output=True,
                          text=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+ x [\d.]+)", info)
    assert sizes and set(sizes) == {"595.276 x 841.89"}
    headings = {"Vintage analysis", "Vintage curves", "Lifetime loss per cohort",
                "Ever-30+ rate by cohort and months on book", "Cumulative net loss rate by cohort and months on book",
                "Lifetime loss of the cohorts in the triangles", "Lifetime loss by risk grade and channel"}
    pages = pdf_pages(rendered["pdf"])
    for text in pages:
        assert _body_lines(text, ("Page ", "Internal"))[-1] not in headings
    text = "\n".join(pages)
    assert "Vintage analysis" in text and "Bornhuetter–Ferguson" in text


def test_the_chinese_vintage_section_renders(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    paths = render_management_pack(sample_input(vintage=True), tmp_path, locale="zh-CN")  # fails on a missing glyph
    assert weasyprint_warnings(caplog) == []
    pages = pdf_pages(paths["pdf"])
    text = "\n".join(pages)
    for words in ("账龄分析", "账龄曲线", "各批次按账龄的累计净损失率", "合作商户", "链梯法", "2026年8月批次"):
        assert words in text
    # the curves' caption and the truncation note: no space after the full-width full stop
    assert "。首个加载月份之前放款的批次" in paths["html"].read_text(encoding="utf-8")
    for page in pages:
        assert _body_lines(page, ("第 ", "内部资料"))[-1] not in {"账龄分析", "账龄曲线", "各批次生命周期损失",
                                                                  "按风险等级和渠道的生命周期损失"}


def test_either_frame_alone(make_input):
    only_cells = section(management_html(make_input(vintage=vintage_frame())))
    assert only_cells.count("<svg") == 2 and 'class="triangle"' in only_cells
    assert "Lifetime loss per cohort" not in only_cells and "highest lifetime" not in only_cells
    only_lifetime = section(management_html(make_input(vintage_lifetime=vintage_lifetime_frame())))
    assert only_lifetime.count("<svg") == 1 and 'class="triangle"' not in only_lifetime
    assert "Lifetime loss of the cohorts in the triangles" in only_lifetime


def test_empty_frames_say_so(make_input):
    part = section(management_html(make_input(vintage=vintage_frame().clear(),
                                              vintage_lifetime=vintage_lifetime_frame().clear())))
    assert "No vintage data for this month." in part and "<svg" not in part


def test_bad_vintage_frames_are_refused(make_input):
    with pytest.raises(ValueError, match="vintage lacks column.*cum_net_loss_rate"):
        management_html(make_input(vintage=vintage_frame().drop("cum_net_loss_rate")))
    with pytest.raises(ValueError, match="vintage_lifetime carries identifying column.*account_id"):
        management_html(make_input(vintage_lifetime=vintage_lifetime_frame().with_columns(account_id=pl.lit("A1"))))
    with pytest.raises(ValueError, match="vintage has no row for 2026-10"):
        management_html(make_input(vintage=vintage_frame().with_columns(month=pl.lit(date(2026, 9, 1)))))
    frame = vintage_frame()
    with pytest.raises(ValueError, match="more than one row"):
        management_html(make_input(vintage=pl.concat([frame, frame.head(1)])))


def test_other_months_in_the_frames_are_ignored(make_input):
    frame, lifetime = vintage_frame(), vintage_lifetime_frame()
    older = make_input(vintage=pl.concat([frame, frame.with_columns(month=pl.lit(date(2026, 9, 1)),
                                                                    ever30_rate=pl.lit(0.9))]),
                       vintage_lifetime=pl.concat([lifetime, lifetime.with_columns(month=pl.lit(date(2026, 9, 1)))]))
    assert management_html(older) == management_html(make_input(vintage=frame, vintage_lifetime=lifetime))


def test_the_demo_portfolio_shape_stays_on_portrait_pages(tmp_path):
    """48 cohorts (12 opened before the first loaded month), mob 0..47, horizon 24."""
    data = replace(sample_input(), vintage=vintage_frame(48, 24, date(2023, 11, 1)),
                   vintage_lifetime=vintage_lifetime_frame(48, 24, date(2023, 11, 1)))
    html = management_html(data)
    rows = triangle(html, "cum_net_loss_rate")
    assert len(rows) == 24  # last 12 months and the 12 most recent quarterly cohorts before them
    assert len(next(iter(rows.values()))) == len(table_mobs(47, 24)) == 12
    paths = render_management_pack(data, tmp_path)
    info = subprocess.run(["pdfinfo", "-l", "99", str(paths["pdf"])], check=True, capture_output=True, text=True).stdout
    assert set(re.findall(r"Page\s+\d+ size:\s+([\d.]+ x [\d.]+)", info)) == {"595.276 x 841.89"}
    text = "\n".join(pdf_pages(paths["pdf"]))
    assert "2023-01" in text and "2026-10" in text  # the oldest quarterly row and the newest cohort both printed


@pytest.mark.parametrize(("locale", "phrases"), [
    ("en", ["or the cohort is under {} months on book", "or under {} months on book",
            "from {} months on book"]),
    ("zh-CN", ["或账龄不足 {} 个月）", "或账龄不足 {} 个月（自身数据过少）", "账龄满 {} 个月的未成熟批次"]),
])
def test_the_months_on_book_a_projection_needs_come_from_the_code(locale, phrases):
    """The legend, the method note and the definition print MIN_PROJECTION_MOB; a text given no value for
    its placeholder would print `{min_mob}` (the labels fill placeholders only when given values)."""
    html = management_html(sample_input(vintage=True), locale)
    text = re.sub(r"<style.*?</style>", "", html, flags=re.DOTALL)
    assert re.findall(r"\{\w+\}", text) == []
    for phrase in phrases:
        assert phrase.format(MIN_PROJECTION_MOB) in text


def test_a_projection_from_zero_is_shown_as_none(make_input):
    """A chain ladder keeps a cohort at zero for ever: the pack shows no projection there (the mart keeps it)."""
    august, july = date(2026, 8, 1), date(2026, 7, 1)
    zeroed = (pl.col("cohort_month") == august) & (pl.col("segment_type") == "all")
    frame = vintage_frame().with_columns(ever30_rate=pl.when(zeroed).then(0.0).otherwise(pl.col("ever30_rate")))
    rows = triangle(management_html(make_input(vintage=frame, vintage_lifetime=vintage_lifetime_frame())),
                    "ever30_rate")
    assert rows["2026-08"][:3] == ['<td class="num vheat-0">0.00%</td>'] * 3  # observed zeros stay
    assert rows["2026-08"][3:] == ['<td class="num unknown projected">–</td>'] * (len(rows["2026-08"]) - 3)
    assert all(re.fullmatch(r'<td class="num vheat-\d projected">\d+\.\d\d%</td>', cell) for cell in rows["2026-07"][4:])

    cells = frame.filter((pl.col("product") == "all") & (pl.col("segment_type") == "all"))
    kept = without_projections_from_zero(cells)
    assert kept.columns == cells.columns and kept.height == cells.height
    assert kept.filter(pl.col("cohort_month") == august)["ever30_rate"].to_list() == [0.0] * 3 + [None] * 10
    # the other measure of the same cohort, and every other cohort, are untouched
    assert kept.drop("ever30_rate").equals(cells.drop("ever30_rate"))
    assert kept.filter(pl.col("cohort_month") != august).equals(cells.filter(pl.col("cohort_month") != august))
    august_curve, july_curve = curves(kept, "ever30_rate", [august, july], OCT)
    assert all(value is None for _, value in august_curve.projected) and august_curve.observed[-1] == (2, 0.0)
    assert all(value is not None and value > 0 for _, value in july_curve.projected)


def test_the_shading_scale_is_named_only_when_something_is_shaded(make_input, html):
    assert section(html).count("shading from 0 (white) to ") == 2
    nothing = vintage_frame().with_columns(pl.col("ever30_rate", "cum_net_loss_rate") * 0)
    quiet = section(management_html(make_input(vintage=nothing, vintage_lifetime=vintage_lifetime_frame())))
    assert "shading from" not in quiet and quiet.count('class="legend"') == 2  # "from 0 to 0.00%" says nothing

# --- selection rules -----------------------------------------------------------------------------

def test_select_cohorts_keeps_recent_months_and_one_per_quarter_before():
    cohorts = [add_months(OCT, -i) for i in range(48)]
    shown = select_cohorts(cohorts, OCT, 18)
    assert shown[-18:] == sorted(cohorts)[-18:]
    assert shown[:-18] == [d for d in sorted(cohorts)[:-18] if d.month in (1, 4, 7, 10)]
    capped = select_cohorts(cohorts, OCT, 12, max_count=15)
    assert len(capped) == 15 and capped[-12:] == sorted(cohorts)[-12:]
    assert capped[:3] == [date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1)]  # the latest quarterly ones
    assert select_cohorts(cohorts, OCT, 12, max_count=5) == sorted(cohorts)[-5:]


def test_table_mobs_heat_and_ticks():
    assert table_mobs(47, 24) == [0, 1, 2, 3, 4, 5, 6, 9, 12, 18, 24, 36]
    assert table_mobs(12, 12) == [0, 1, 2, 3, 4, 5, 6, 9, 12]
    assert table_mobs(15, 15) == [0, 1, 2, 3, 4, 5, 6, 9, 12, 15]
    assert [heat_class(v, 0.08) for v in (None, 0.0, 0.0001, 0.04, 0.08)] == [
        "vheat-0", "vheat-0", "vheat-1", "vheat-4", "vheat-7"]
    assert quarter_ticks([date(2022, 11, 1), date(2022, 12, 1), date(2023, 1, 1), date(2023, 2, 1),
                          date(2023, 4, 1)]) == ["", "", "01\n2023", "", "04"]
    assert quarter_ticks([date(2023, 4, 1), date(2023, 7, 1)]) == ["04\n2023", "07"]
