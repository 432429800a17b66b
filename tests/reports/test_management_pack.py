"""The management pack end to end on the hand-made sample: files, self-containment, determinism,
A4 pages with running header and page numbers, escaping, failures that write nothing."""

import logging
import re
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from reports.management import management_html, render_management_pack
from reports.render import MissingGlyphError
from tests.reports.conftest import render_in_another_process

from .conftest import CONFIG_DIGEST, sample_input


def pdf_pages(pdf: Path) -> list[str]:
    """Text per page, from poppler's pdftotext (form feed between pages)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    return render_management_pack(sample_input(), tmp_path_factory.mktemp("first"), locale="en")


def test_files_are_written_where_the_spec_says(rendered):
    assert rendered["html"].name == "management_2026-10_en.html"
    assert rendered["pdf"].name == "management_2026-10_en.pdf"
    assert rendered["html"].parent.name == "2026-10" == rendered["pdf"].parent.name
    assert rendered["pdf"].read_bytes().startswith(b"%PDF-")
    # the temp files of the atomic writes are gone
    assert sorted(p.name for p in rendered["html"].parent.iterdir()) == [
        "management_2026-10_en.html", "management_2026-10_en.pdf"]


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "data", "poster", "srcset", "action"):
                self.refs.append((tag, name, value or ""))


def test_html_is_self_contained(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    parser = _References()
    parser.feed(html)
    assert "http:" not in html and "https:" not in html and "//" not in re.sub(r"/\*.*?\*/", "", html, flags=re.S)
    assert not {"script", "link", "iframe", "object", "embed", "img"} & set(parser.tags)
    for tag, name, value in parser.refs:
        assert value.startswith(("#", "data:")), (tag, name, value)
    assert "@import" not in html
    assert all(url.startswith(("#", "data:")) for url in re.findall(r"url\(\s*['\"]?([^)'\"]*)", html))
    assert html.count("<svg") == 2  # both charts inline
    assert html.count("<style") == 1  # the pack's own; none from the charts leaking page-wide


def test_the_html_sets_lang_and_fixed_document_dates(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert '<meta name="dcterms.created" content="2026-10-31">' in html


def weasyprint_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING]


def test_a_second_render_is_byte_identical_and_clean(rendered, tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    again = render_management_pack(sample_input(), tmp_path, locale="en")
    assert weasyprint_warnings(caplog) == []  # no ignored CSS, no unreadable resource, nothing
    assert again["html"].read_bytes() == rendered["html"].read_bytes()
    assert again["pdf"].read_bytes() == rendered["pdf"].read_bytes()


def test_pdf_is_a4_with_running_header_and_page_numbers(rendered):
    info = subprocess.run(["pdfinfo", str(rendered["pdf"])], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    pages = pdf_pages(rendered["pdf"])
    assert len(pages) >= 4
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
    for text in pages[1:]:  # the cover has no running header
        assert "Management pack · October 2026" in text
        assert "Demo consumer-credit portfolio" in text


def test_the_pdf_shows_the_sections_and_the_kpis(rendered):
    text = "\n".join(pdf_pages(rendered["pdf"]))
    for heading in ("Executive summary", "Key indicators", "Delinquency by bucket", "Data quality and reconciliation",
                    "Appendix", "Parameters applied"):
        assert heading in text
    assert "driven by Revolving (+0.46 pp)" in text
    assert "CNY 1,100,000.00" in text and "+0.10 pp" in text and "+4.8%" in text


def test_markup_in_values_prints_as_text(make_input, pack_input, tmp_path):
    evil_product = "<b>cash</b>"
    rename = pl.col("product").replace("cash_loan", evil_product)
    data = make_input(
        portfolio_name='Demo </style><script>alert(1)</script> "book"',
        parameters={**pack_input.parameters, "note": "<img src=x onerror=alert(1)>"},
        delinquency=pack_input.delinquency.with_columns(rename),
        delinquency_by_state=pack_input.delinquency_by_state.with_columns(rename),
        rollforward=pack_input.rollforward.with_columns(rename),
        quarantine_summary=pl.DataFrame({"file_name": ["<i>postings.csv</i>"], "reason": ["amount: <u>x</u>"],
                                         "rows": [2]}),
    )
    paths = render_management_pack(data, tmp_path, locale="en")
    html = paths["html"].read_text(encoding="utf-8")
    for raw in ("<script>", "<img", "<b>", "<i>", "<u>"):
        assert raw not in html
    assert html.count("</style>") == 1
    assert "&lt;b&gt;cash&lt;/b&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    text = "\n".join(pdf_pages(paths["pdf"]))
    assert "<b>cash</b>" in text and "<script>alert(1)</script>" in text  # printed as text


def test_a_missing_glyph_fails_and_writes_nothing(make_input, tmp_path):
    with pytest.raises(MissingGlyphError):
        render_management_pack(make_input(portfolio_name="Demo \ue000"), tmp_path, locale="en")
    assert list(tmp_path.rglob("*")) == []


def test_long_tables_repeat_their_header_on_every_page(make_input, pack_input, tmp_path):
    template = pack_input.loads.row(0, named=True)
    loads = pl.DataFrame([{**template, "file_name": f"accounts_part_{i:03d}.csv"} for i in range(90)],
                         schema=pack_input.loads.schema)
    pages = pdf_pages(render_management_pack(make_input(loads=loads), tmp_path)["pdf"])
    with_files = [p for p in pages if "accounts_part_" in p]
    assert len(with_files) >= 2
    assert all("Rows in file" in p for p in with_files)


def test_headings_are_not_stranded_at_a_page_foot(rendered):
    """A heading is the last text line of no page (the footer excepted)."""
    headings = {"Trend", "Files loaded", "Quarantine reasons", "Definitions", "Parameters applied",
                "Key indicators", "Delinquency rates by product"}
    for text in pdf_pages(rendered["pdf"]):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith(("Page ", "Internal"))]
        assert body[-1] not in headings


def test_the_chinese_pack_renders_with_its_own_words(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    from orchestration.config import load_settings

    paths = render_management_pack(replace(sample_input(), parameters=load_settings({}).parameters()), tmp_path,
                                   locale="zh-CN")
    assert weasyprint_warnings(caplog) == []
    html = paths["html"].read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    pages = pdf_pages(paths["pdf"])
    assert f"第 1 页，共 {len(pages)} 页" in pages[0]
    text = "\n".join(pages)
    assert "逾期分布" in text and "逾期 30–59 天" in text and "¥1,100,000.00" in text
    assert "配置文件" in text and "加载运行编号" in text and "config file" not in text  # the settings' names too
    assert "逾期 ≥ 90 天或已核销" in text and "基准 60% × 1" in text and "or charged off" not in text  # and words


def test_a_first_month_prints_na_for_changes(make_input, pack_input):
    first = pack_input.delinquency["month"].min()
    html = management_html(make_input(
        month=first,
        delinquency=pack_input.delinquency.filter(pl.col("month") == first),
        delinquency_by_state=pack_input.delinquency_by_state.filter(pl.col("month") == first)))
    assert "This is the first month on record" in html
    kpi_table = html[html.index('id="kpis"'):html.index("Delinquency rates by product")]
    assert kpi_table.count(">n/a<") == 7 * 4 + 1  # prior, change, year ago, change of each KPI; the NCO rate
    assert "Not checked this month: the prior month is not loaded." in html  # vanished accounts
    assert "No account vanished" not in html and "No account vanished" in management_html(pack_input)


def test_frames_with_identifiers_are_refused(make_input, pack_input):
    with pytest.raises(ValueError, match="account_id"):
        management_html(make_input(
            quarantine_summary=pack_input.quarantine_summary.with_columns(account_id=pl.lit("A1"))))


def test_missing_columns_are_named(make_input, pack_input):
    with pytest.raises(ValueError, match="rollforward lacks column"):
        management_html(make_input(rollforward=pack_input.rollforward.drop("break_amount")))


def test_another_process_renders_the_same_bytes(rendered, tmp_path):
    """Hash seeds (set and dict order of strings) and font caches differ between processes."""
    other = render_in_another_process(tmp_path, vintage=False, hash_seed="12345")
    assert (other / rendered["html"].name).read_bytes() == rendered["html"].read_bytes()
    assert (other / rendered["pdf"].name).read_bytes() == rendered["pdf"].read_bytes()


def test_element_ids_are_unique_across_the_inline_charts(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for target in re.findall(r'(?:href="#|url\(#)([^")]+)', html):
        assert target in ids, target  # every internal reference resolves


def test_the_parameters_say_which_configuration_they_are(pack_input):
    """An auditor re-reading an old month must see which configuration its figures were computed with."""
    def text(locale):  # a long digest may break after any 16 characters (zero-width spaces)
        return management_html(pack_input, locale).replace("\u200b", "")

    assert f"The configuration this month&#39;s figures were computed with: riskpack.toml, SHA-256 {CONFIG_DIGEST}." \
        in text("en")
    assert f"本月数据计算时所用的配置：riskpack.toml，SHA-256 {CONFIG_DIGEST}。" in text("zh-CN")
