"""The shared rendering machinery (reports.render): fetcher, glyph check, escaping, wrapping, atomic writes."""

import os
from datetime import date
from pathlib import Path

import pytest
from weasyprint.urls import FatalURLFetchingError

from reports import render
from reports.render import (
    ASSETS_DIR,
    AssetsOnlyURLFetcher,
    MissingGlyphError,
    ResourceRefusedError,
    atomic_write,
    css_string,
    output_paths,
    render_pdf,
)

PAGE = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head>'
        '<body><p>{body}</p></body></html>')


@pytest.mark.parametrize("markup", [
    '<img alt="" src="http://127.0.0.1/x">',
    '<img alt="" src="https://127.0.0.1/x.png">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<link rel="stylesheet" href="file:///etc/passwd">',
    '<link rel="stylesheet" href="../render.py">',  # relative to the assets folder, but outside it
])
def test_the_fetcher_refuses_anything_but_data_and_assets(markup):
    with pytest.raises(ResourceRefusedError, match="refused to fetch"):
        render_pdf(PAGE.format(head=markup, body="x"))


def test_the_fetcher_serves_data_urls_and_asset_files():
    fetcher = AssetsOnlyURLFetcher()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    css = fetcher.fetch((ASSETS_DIR / "report.css").as_uri())
    assert css.read() == (ASSETS_DIR / "report.css").read_bytes()
    css.close()
    for url in ("http://127.0.0.1/x", "file:///etc/passwd", "file://otherhost" + str(ASSETS_DIR / "report.css"),
                (ASSETS_DIR / ".." / "render.py").as_uri(), "ftp://127.0.0.1/x"):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)


def test_a_missing_glyph_fails_the_render():
    with pytest.raises(MissingGlyphError, match="U\\+E000"):
        render_pdf(PAGE.format(head="", body="private use \ue000 character"))


def _chart_page(series_name: str) -> str:
    from reports import charts
    chart = charts.rate_lines("t", ["01", "02"], {series_name: [0.1, 0.2]}, "Rate", 'Line chart of "rates" <x>')
    return PAGE.format(head="", body=f"&lt;svg role=&quot;img&quot; class=&quot;chart&quot;&gt; text</p><figure>{chart}</figure><p>")


def test_for_print_turns_each_chart_into_the_same_svg_as_an_image():
    import base64
    import re

    page = _chart_page("Series")
    printed = render.for_print(page)
    assert "<svg" not in printed and printed.count("<img ") == 1
    assert "&lt;svg role=&quot;img&quot; class=&quot;chart&quot;&gt; text" in printed  # page text untouched
    image = re.search(r'<img class="chart" id="t" alt="([^"]*)" src="data:image/svg\+xml;base64,([^"]+)">', printed)
    assert image[1] == "Line chart of &quot;rates&quot; &lt;x&gt;"
    svg = base64.b64decode(image[2]).decode("utf-8")
    inline = re.search(r"<svg role.*?</svg>", page, re.DOTALL)[0]
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ')
    assert svg.endswith("</svg>") and ">Series<" in svg and svg.count("<path") == inline.count("<path")
    assert render_pdf(printed).startswith(b"%PDF-")


@pytest.mark.filterwarnings("ignore:Glyph 57344")  # matplotlib says so too; the render is what must fail
def test_a_missing_glyph_in_a_chart_fails_the_render_as_an_image_too():
    with pytest.raises(MissingGlyphError, match="U\\+E000"):
        render_pdf(render.for_print(_chart_page("private \ue000 use")))


def test_chinese_renders_without_missing_glyphs():
    pdf = render_pdf(PAGE.format(head="", body="逾期分布 数据质量与核对").replace('lang="en"', 'lang="zh-CN"'))
    assert pdf.startswith(b"%PDF-")


def test_css_string_cannot_escape_its_context():
    text = css_string('a"b\\c</style><script>x</script>\n')
    assert text.startswith('"') and text.endswith('"')
    inner = text[1:-1]
    assert '"' not in inner.replace('\\22 ', '') and "<" not in inner and ">" not in inner and "\n" not in inner


def test_output_paths():
    paths = output_paths(Path("/out"), "management", date(2026, 10, 1), "zh-CN")
    assert paths == {"html": Path("/out/2026-10/management_2026-10_zh-CN.html"),
                     "pdf": Path("/out/2026-10/management_2026-10_zh-CN.pdf")}
    with pytest.raises(ValueError):
        output_paths(Path("/out"), "management", date(2026, 10, 1), "fr")


def test_atomic_write_leaves_only_the_final_file(tmp_path):
    target = tmp_path / "2026-10" / "x.pdf"
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.pdf"]


def test_a_crash_before_the_rename_keeps_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "x.pdf"
    target.write_bytes(b"old")

    def crash(src, dst):
        raise OSError("disk gone")

    monkeypatch.setattr(render.os, "replace", crash)
    with pytest.raises(OSError, match="disk gone"):
        atomic_write(target, b"half")
    assert target.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["x.pdf"]


def test_printable_shows_what_no_font_can_draw_and_cuts_runaway_text():
    from markupsafe import Markup

    from reports.render import MAX_TEXT, WRAP_EVERY, printable

    assert printable("合作商户 app") == "合作商户 app"
    assert printable("bell\x07 esc\x1b[31m") == "bell[U+0007] esc[U+001B][31m"
    assert printable("\U000f0000 private") == "[U+F0000] private"  # private use: never drawn
    runaway = printable("x" * (MAX_TEXT + 50))
    assert runaway.replace("\u200b", "") == "x" * MAX_TEXT + "…"
    assert runaway.split("\u200b") == ["x" * WRAP_EVERY] * (MAX_TEXT // WRAP_EVERY) + ["x" * (MAX_TEXT % WRAP_EVERY) + "…"]
    checksum = "c476a0029a20c22d1ecc191f1c707fce9398b1c6008b1a4c6cca0ff6c88b64d3"
    assert printable(checksum) == checksum  # a SHA-256 is copied as printed: no wrap points in it
    assert printable("长" * 300) == "长" * 300  # a line may break between any two of these anyway
    assert printable(("word " * 300).strip()) == ("word " * 300).strip()
    chart = Markup("<svg>" + "y" * (MAX_TEXT * 2) + "</svg>")
    assert printable(chart) is chart  # the reports' own markup is not touched
    assert printable(12.5) == 12.5


def _loads_page(file_names: list[str]) -> str:
    """The regulatory pack's "files loaded" table as the pack prints it (its macro, stylesheet and page;
    values through `printable`). Its run-id column leaves the file name little room."""
    import polars as pl

    from reports.regulatory import loads_table

    loads = pl.DataFrame({"file_name": file_names, "table_name": "core.account_month", "as_of_date": "2026-10-31",
                          "rows_in_file": 126874, "rows_loaded": 126874, "rows_quarantined": 0,
                          "run_id": "5d33716a-dffd-4706-8385-d232fd45ba77"})
    macro = '{% from "_data_table.html.j2" import data_table with context %}{{ data_table(table) }}'
    return _styled_page(render.environment().from_string(macro).render(table=loads_table(loads, "en"), locale="en",
                                                                        percent_decimals=2, currency="CNY"))


def _styled_page(body: str) -> str:
    """`body` on a page with the packs' stylesheet and page rules."""
    head = f"<style>{render.stylesheet()}{render.page_css('en', '', '', '')}</style>"
    return PAGE.format(head=head, body="").replace("<p></p>", body)


def _laid_out(page: str):
    from weasyprint import HTML

    return HTML(string=page).render()


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _texts(document) -> list[str]:
    return [box.text for page in document.pages for box in _boxes(page._page_box) if hasattr(box, "text")]


def test_a_text_cell_wraps_between_words_not_inside_a_name():
    texts = _texts(_laid_out(_loads_page(["account_months.csv", "accounts.csv"])))
    assert "account_months.csv" in texts, [t for t in texts if t.startswith("account")]


def test_a_runaway_token_wraps_inside_the_page():
    html = _loads_page(["x" * 3000, "accounts.csv"])
    document = _laid_out(html)
    for page in document.pages:
        right = page._page_box.content_box_x() + page._page_box.width
        assert max(box.position_x + box.margin_width() for box in _boxes(page._page_box.children[0])) <= right + 0.01
    lines = [text.replace("\u200b", "") for text in _texts(document) if not text.strip("x\u200b…")]
    assert "".join(lines) == "x" * 2000 + "…" and max(map(len, lines)) < 2000  # all of it, cut at MAX_TEXT, wrapped
    assert render_pdf(html).startswith(b"%PDF-")  # the wrap points need no glyph


def test_a_facts_label_keeps_its_width_beside_a_long_value():
    rows = [("PD chain: minimum transitions per bucket row", "30"),
            ("early-warning signals", ", ".join(f"signal_{k} 0.{k}" for k in range(40)))]
    facts = render.environment().from_string('{% import "_macros.html.j2" as m %}{{ m.facts(rows, "Parameter", "Value") }}')
    document = _laid_out(_styled_page(facts.render(rows=rows)))
    labels = [box for box in _boxes(document.pages[0]._page_box) if type(box).__name__ == "TableCellBox"][::2]
    assert [round(box.width * 25.4 / 96, 1) for box in labels] == [45.0] * 3  # CSS px to mm


def test_the_lean_user_agent_stylesheet_drops_only_the_rules_no_pack_uses(caplog):
    from weasyprint import html as weasyprint_html

    render._user_agent_stylesheet.__wrapped__()  # parsed as the packs use it, not from the cache
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []

    stock = weasyprint_html.UA.splitlines()
    lean = render.lean_user_agent_css(weasyprint_html.UA).splitlines()
    removed = [line for line in stock if line not in lean]
    assert [line.split(" {")[0] for line in removed] == [
        "::marker", "::footnote-call", "::footnote-marker", "::note-call", "::note-marker", "::note-callback"]
    assert [line for line in lean if line not in stock] == ["li" + removed[0]]


def test_a_pack_prints_the_same_with_the_lean_user_agent_stylesheet(vintage_input, monkeypatch):
    from weasyprint import HTML

    from reports.management import management_html

    html = render.for_print(management_html(vintage_input))
    assert "<li" in html and '<img class="chart"' in html  # list markers and charts are laid out
    options = {"base_url": ASSETS_DIR.as_uri() + "/", "url_fetcher": AssetsOnlyURLFetcher()}
    stock = HTML(string=html, **options).write_pdf(pdf_identifier=b"0" * 32)
    used = []
    lean_sheet = render._user_agent_stylesheet
    monkeypatch.setattr(render, "_user_agent_stylesheet", lambda: used.append(1) or lean_sheet())
    assert render.PackHTML(string=html, **options).write_pdf(pdf_identifier=b"0" * 32) == stock
    assert used  # WeasyPrint did ask for the lean sheet (its hook is a private method)
