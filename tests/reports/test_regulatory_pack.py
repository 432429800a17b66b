"""The regulatory pack end to end on the hand-made October (tests/reports/conftest.py, a ~CNY 912
million book under cn_2023): files, PDF/A-3b with every table attached as CSV (and each CSV the
table as printed), determinism, both locales, breach flags both ways, the first month without
ECL, hostile values printed as text and never fetched, and no identifier anywhere."""

import csv
import io
import logging
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import polars as pl
import pytest

from reports import render
from reports.i18n import LABELS, month_label, product_label
from reports.regulatory import (
    RegulatoryPackInput,
    csv_value,
    regulatory_context,
    regulatory_html,
    render_regulatory_pack,
    table_csv,
)
from reports.render import EmbeddedFile, ResourceRefusedError, render_pdf

from .conftest import CONFIG_DIGEST, REG_CELLS, regulatory_input

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT_DATE = datetime(2026, 10, 31, tzinfo=UTC)


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def flat(pages: list[str]) -> str:
    """The document's text with line breaks and runs of spaces as one space: sentences wrap."""
    return re.sub(r"\s+", " ", " ".join(pages))


def attachments_of(pdf: Path) -> dict[str, bytes]:
    with pikepdf.open(pdf) as document:
        return {name: spec.get_file().read_bytes() for name, spec in document.attachments.items()}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, dict[str, Path]]:
    out = tmp_path_factory.mktemp("regulatory")
    return {locale: render_regulatory_pack(regulatory_input(), out, locale=locale) for locale in ("en", "zh-CN")}


class _Tables(HTMLParser):
    """Cell texts per <table data-csv=…>: header rows skipped, one list per body row."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.order: list[str] = []
        self._name = None
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._name = attrs.get("data-csv")
            self.order.append(self._name)
            self.tables[self._name] = []
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.tables[self._name].append([])
        elif tag in ("td", "th") and self._in_body:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[self._name][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tbody":
            self._in_body = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    return parser


def parse_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))


# --- files and format ------------------------------------------------------------------------------

def test_files_are_written_where_the_spec_says(rendered):
    folder = rendered["en"]["pdf"].parent
    assert folder.name == "2026-10"
    assert sorted(p.name for p in folder.iterdir()) == [
        "regulatory_2026-10_en.html", "regulatory_2026-10_en.pdf",
        "regulatory_2026-10_zh-CN.html", "regulatory_2026-10_zh-CN.pdf"]


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.refs: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "data", "poster", "srcset", "action"):
                self.refs.append(value or "")
            elif name == "id":
                self.ids.append(value)


def test_the_html_is_self_contained_with_unique_ids(rendered):
    for paths in rendered.values():
        html = paths["html"].read_text(encoding="utf-8")
        parser = _References()
        parser.feed(html)
        assert not {"script", "link", "iframe", "object", "embed", "img"} & set(parser.tags)
        assert all(ref.startswith(("#", "data:")) for ref in parser.refs)
        assert "http:" not in html and "https:" not in html and "@import" not in html
        assert len(parser.ids) == len(set(parser.ids))
        assert html.count("<svg") == 1 and html.count("<style") == 1
        assert '<meta name="dcterms.created" content="2026-10-31">' in html


def test_the_pdf_is_pdf_a_3b_a4_with_running_header(rendered):
    pdf = rendered["en"]["pdf"]
    with pikepdf.open(pdf) as document:
        meta = document.open_metadata()
        assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "B"
        assert document.pdf_version == "1.7"
        assert "/OutputIntents" in document.Root
        assert str(document.docinfo["/CreationDate"]) == "D:20261031"  # fixed, never the clock
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    pages = pdf_pages(pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
    for text in pages[1:]:
        assert "Regulatory pack · October 2026" in text


def test_every_table_is_attached_once_as_csv_with_fixed_dates(rendered):
    for locale, paths in rendered.items():
        tables = html_tables(paths["html"].read_text(encoding="utf-8"))
        with pikepdf.open(paths["pdf"]) as document:
            specs = dict(document.attachments)
            assert list(specs) == tables.order  # one attachment per <table>, in page order
            associated = [f.objgen for f in document.Root.AF]
            assert len(associated) == len(set(associated)) == len(specs)
            for name, spec in specs.items():
                assert name.endswith(".csv")
                assert spec.obj.AFRelationship == "/Data"
                file = spec.get_file()
                assert file.mime_type == "text/csv"
                assert file.creation_date == file.mod_date == DOCUMENT_DATE
        assert tables.order[:4] == ["00_document_control.csv", "01_classification.csv",
                                    "02_classification_by_product.csv", "03_ratios.csv"], locale


def test_the_attachments_are_the_tables_of_the_context(rendered):
    context = regulatory_context(regulatory_input(), "en")
    attached = attachments_of(rendered["en"]["pdf"])
    assert attached == {t.file_name: table_csv(t) for t in context["tables"].values()}


def test_the_classification_csv_holds_the_hand_figures(rendered):
    rows = parse_csv(attachments_of(rendered["en"]["pdf"])["01_classification.csv"])
    assert list(rows[0]) == ["category", "accounts", "balance", "balance_share", "allowance"]
    by = {r["category"]: r for r in rows}
    assert [r["category"] for r in rows] == ["pass", "special_mention", "substandard", "doubtful", "loss",
                                             "npl", "total"]
    balance = {c: sum(Decimal(REG_CELLS[p][i][1]) for p in REG_CELLS)
               for i, c in enumerate(("pass", "special_mention", "substandard", "doubtful", "loss"))}
    for category, value in balance.items():
        assert Decimal(by[category]["balance"]) == value  # exact, not rounded
    npl = balance["substandard"] + balance["doubtful"] + balance["loss"]
    assert Decimal(by["npl"]["balance"]) == npl == Decimal("24854073.03")
    assert Decimal(by["total"]["balance"]) == sum(balance.values()) == Decimal("912138023.64")
    assert int(by["total"]["accounts"]) == sum(c[0] for cells in REG_CELLS.values() for c in cells)


def test_the_ratio_csv_carries_the_breach_flags(rendered):
    rows = {r["product"]: r for r in parse_csv(attachments_of(rendered["en"]["pdf"])["03_ratios.csv"])}
    assert list(rows) == ["revolving", "installment", "cash_loan", "all"]
    flags = {p: (r["provision_coverage_breach"], r["loan_provision_ratio_breach"]) for p, r in rows.items()}
    assert flags == {"revolving": ("true", "false"), "installment": ("true", "true"),
                     "cash_loan": ("false", "false"), "all": ("true", "false")}
    assert float(rows["all"]["provision_coverage_min"]) == 1.5


def _codes(locale: str) -> dict[str, dict[str, str]]:
    """Per CSV column, the display text of the codes it holds where the page prints a label."""
    labels = LABELS[locale]
    prefixed = {column: {k.split(".")[-1]: v for k, v in labels.items() if k.startswith(prefix)}
                for column, prefix in (("category", "reg.category."), ("line", "ecl.line."), ("stage", "ecl.stage."))}
    return {"product": {p: product_label(p, locale) for p in ("revolving", "installment", "cash_loan", "all")},
            **prefixed}


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").rstrip("%"))


def _places(text: str) -> Decimal:
    digits = text.rstrip("%").partition(".")[2]
    return Decimal(1).scaleb(-len(digits))


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_each_csv_matches_its_printed_table_cell_by_cell(rendered, locale):
    """Every CSV value, rounded as the page rounds it, is the printed cell; codes print as their labels."""
    html = rendered[locale]["html"].read_text(encoding="utf-8")
    printed = html_tables(html).tables
    codes = _codes(locale)
    na, flags = LABELS[locale]["na"], {"true": LABELS[locale]["reg.status.breach"],
                                       "false": LABELS[locale]["reg.status.met"],
                                       "": LABELS[locale]["reg.status.not_evaluated"]}
    numeric = re.compile(r"^-?[\d,]+(\.\d+)?%?$")
    raw_number = re.compile(r"^-?\d+(\.\d+)?(e-?\d+)?$")
    for name, content in attachments_of(rendered[locale]["pdf"]).items():
        rows = parse_csv(content)
        assert len(rows) == len(printed[name]), name
        for row, cells in zip(rows, printed[name]):
            assert len(row) == len(cells), name
            for (key, value), cell in zip(row.items(), cells):
                where = (name, key, value, cell)
                if key.endswith("_breach"):
                    assert cell == flags[value], where
                elif value == "":
                    assert cell == na, where
                elif numeric.match(cell) and raw_number.match(value):
                    raw = Decimal(value) * (100 if cell.endswith("%") else 1)
                    assert _number(cell) == raw.quantize(_places(cell), rounding=ROUND_HALF_UP), where
                elif re.match(r"^\d{4}-\d{2}-01$", value) and key == "month":
                    assert cell == month_label(datetime.strptime(value, "%Y-%m-%d").date(), locale), where
                else:
                    assert cell in (value, codes.get(key, {}).get(value), ""), where
                    assert cell or key == "product", where  # only a stage row's product is left blank


# --- determinism ---------------------------------------------------------------------------------

def test_a_second_render_is_byte_identical_and_clean(rendered, tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    for locale, first in rendered.items():
        again = render_regulatory_pack(regulatory_input(), tmp_path, locale=locale)
        assert again["html"].read_bytes() == first["html"].read_bytes()
        assert again["pdf"].read_bytes() == first["pdf"].read_bytes()
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_another_process_renders_the_same_bytes(rendered, tmp_path):
    script = ("import sys; from pathlib import Path; from tests.reports.conftest import regulatory_input; "
              "from reports.regulatory import render_regulatory_pack; "
              "render_regulatory_pack(regulatory_input(), Path(sys.argv[1]), locale='zh-CN')")
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONHASHSEED": "4242"})
    other = tmp_path / "2026-10" / rendered["zh-CN"]["pdf"].name
    assert other.read_bytes() == rendered["zh-CN"]["pdf"].read_bytes()


def test_the_default_pdf_is_unchanged_by_the_new_options():
    html = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body><p>x</p></body></html>'
    assert render_pdf(html) == render_pdf(html, None, ())
    with pytest.raises(ValueError, match="pdf_variant"):
        render_pdf(html, "pdf/a-2b")  # would drop the attachments


# --- content -------------------------------------------------------------------------------------

def test_the_english_pack_names_the_regime_and_flags_breaches(rendered):
    text = flat(pdf_pages(rendered["en"]["pdf"]))
    # named in English with its legal title, and the configuration key an auditor matches
    regime = "Measures for the Risk Classification of Financial Assets of Commercial Banks (金融资产风险分类办法, 2023)"
    assert f"Loans are classified under: {regime}, regime cn_2023" in text
    assert f"Under the {regime}, non-performing loans" in text
    assert "non-performing loans are CNY 24,854,073.03, 2.72% of the on-book balance of CNY 912,138,023.64" in text
    assert "BREACH: Provision coverage is 134.84%, below the minimum of 150.00%." in text
    assert "Loan provision ratio is 3.67%, at or above the minimum of 2.50%." in text
    assert "Still on book past the charge-off point: 49 accounts, with a balance of CNY 385,308.64." in text
    ratios = html_tables(rendered["en"]["html"].read_text(encoding="utf-8")).tables["03_ratios.csv"]
    statuses = {row[0]: (row[7], row[10]) for row in ratios}
    assert statuses == {"Revolving": ("BREACH", "Met"), "Instalment": ("BREACH", "BREACH"),
                        "Cash loan": ("Met", "Met"), "All products": ("BREACH", "Met")}
    html = rendered["en"]["html"].read_text(encoding="utf-8")
    assert html.count('class="flag breach"') == 4 and html.count('class="flag met"') == 4
    # a product's breach is in the key figures too, even where all products meet the minimum
    by_product = [f"BREACH for {row[0]}: {name} is {row[value]}, below the minimum of {row[value + 1]}."
                  for row in ratios if row[0] != "All products"
                  for name, value in (("Provision coverage", 5), ("Loan provision ratio", 8)) if row[value + 2] == "BREACH"]
    assert len(by_product) == 3 and "BREACH for Instalment: Loan provision ratio is" in by_product[-1]
    key_figures = text[text.index("Key figures", text.index("Contents") + 10):text.index("Loan classification and",
                                                                                         text.index("Contents") + 200)]
    assert [sentence for sentence in by_product if sentence in key_figures] == by_product
    assert key_figures.count("BREACH") == 1 + 3


def test_the_chinese_pack_uses_the_chinese_categories_and_ratio_names(rendered):
    html = rendered["zh-CN"]["html"].read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    pages = pdf_pages(rendered["zh-CN"]["pdf"])
    assert f"第 1 页，共 {len(pages)} 页" in pages[0]
    text = flat(pages)
    for word in ("正常", "关注", "次级", "可疑", "损失", "不良贷款", "拨备覆盖率", "贷款拨备率", "未达标", "达标",
                 "监管报告", "数据血缘", "¥24,854,073.03", "逾期分档下限（逾期天数）", "加载运行编号"):
        assert word in text, word
    assert "load run id" not in text and "bucket edges" not in text
    assert "未达标：拨备覆盖率为 134.84%，低于最低要求 150.00%。" in text
    assert "贷款风险分类依据：《金融资产风险分类办法》（2023），制度代码 cn_2023" in text
    # a note and its attachment sentence: no space after the full-width full stop (the English keeps one)
    assert "附于 PDF" in html and not re.search(r"。 <span class=\"attachment\">", html)
    assert ". <span class=\"attachment\">" in rendered["en"]["html"].read_text(encoding="utf-8")
    assert "按《金融资产风险分类办法》（2023），不良贷款余额为 ¥24,854,073.03" in text
    assert re.search(r"分期贷未达标：贷款拨备率为 \d+\.\d\d%，低于最低要求 2\.50%。", text)


def test_lineage_shows_checksums_row_counts_run_and_parameters(rendered):
    text = "\n".join(pdf_pages(rendered["en"]["pdf"]))
    assert "The configuration this month's figures were computed with: riskpack.toml" in flat(
        pdf_pages(rendered["en"]["pdf"]))
    assert f"本月数据计算时所用的配置：riskpack.toml，SHA-256 {CONFIG_DIGEST}。" in rendered["zh-CN"]["html"].read_text(
        encoding="utf-8").replace("\u200b", "")
    loads = regulatory_input().loads
    for row in loads.to_dicts():
        assert row["sha256"] in text and f"{row['rows_in_file']:,}" in text
    for value in ("run-20261101-0200", "riskpack 0.1.0", "2026-10-31", "revolving 180, closed-end 120"):
        assert value in text


def test_headings_are_not_stranded_at_a_page_foot(rendered):
    context = regulatory_context(regulatory_input(), "en")
    headings = {t.title for t in context["tables"].values()} | {
        LABELS["en"][k] for k in LABELS["en"] if k.startswith("reg.section.")}
    for text in pdf_pages(rendered["en"]["pdf"]):
        body = [line.strip() for line in text.splitlines()
                if line.strip() and not line.strip().startswith(("Page ", "Confidential"))]
        assert body[-1] not in headings


def test_the_first_month_without_ecl(tmp_path):
    data = regulatory_input(ecl=False)
    paths = render_regulatory_pack(data, tmp_path, locale="en")
    text = flat(pdf_pages(paths["pdf"]))
    assert "Expected credit loss is not available for October 2026" in text
    assert "Provision coverage is not evaluated this month (minimum 150.00%)" in text
    names = list(attachments_of(paths["pdf"]))
    assert "08_ifrs9_stages.csv" not in names and "09_allowance_movement.csv" not in names
    tables = html_tables(paths["html"].read_text(encoding="utf-8")).tables
    assert all(row[4] == "n/a" for row in tables["01_classification.csv"])  # allowance
    assert {row[7] for row in tables["03_ratios.csv"]} == {"Not evaluated"}
    ratios = parse_csv(attachments_of(paths["pdf"])["03_ratios.csv"])
    assert {r["allowance"] for r in ratios} == {""} and {r["provision_coverage_breach"] for r in ratios} == {""}


def test_a_month_without_movement_says_so():
    html = regulatory_html(replace(regulatory_input(), movement=regulatory_input().movement.clear()))
    assert "No allowance movement this month" in html and "09_allowance_movement.csv" not in html
    assert "08_ifrs9_stages.csv" in html


# --- safety --------------------------------------------------------------------------------------

HOSTILE_PRODUCT = "<script>alert(1)</script>"
HOSTILE_PORTFOLIO = 'Demo <img src="http://127.0.0.1:1/x.png"> book'
HOSTILE_FILE = '<link rel="attachment" href="/etc/passwd">'


def hostile_input() -> RegulatoryPackInput:
    data = regulatory_input()
    rename = pl.col("product").replace("cash_loan", HOSTILE_PRODUCT)
    return replace(
        data, portfolio_name=HOSTILE_PORTFOLIO,
        classification=data.classification.with_columns(rename), ratios=data.ratios.with_columns(rename),
        us_past_due=data.us_past_due.with_columns(rename), charge_offs=data.charge_offs.with_columns(rename),
        ecl_summary=data.ecl_summary.with_columns(rename),
        past_charge_off_point=data.past_charge_off_point.with_columns(
            pl.col("product").replace("cash_loan", "=HYPERLINK(\"http://127.0.0.1:1/x\")")),
        loads=data.loads.with_columns(pl.col("file_name").replace("postings_2026-10-31.csv", HOSTILE_FILE)),
        lineage={**data.lineage, "extract folder": "file:///etc/passwd"},
        parameters={**data.parameters, "landing dir": "/etc/passwd", "logo": "http://127.0.0.1:1/x.png"})


def test_hostile_values_print_as_text_and_nothing_is_fetched(tmp_path, monkeypatch):
    fetched = []
    original = render.AssetsOnlyURLFetcher.fetch

    def recording(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(render.AssetsOnlyURLFetcher, "fetch", recording)
    paths = render_regulatory_pack(hostile_input(), tmp_path, locale="en")
    assert all(url.startswith("data:") for url in fetched), fetched  # only the stylesheet's data: tile
    html = paths["html"].read_text(encoding="utf-8")
    for raw in ("<script", "<img", "<link"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=" in html
    text = "\n".join(pdf_pages(paths["pdf"]))
    for value in (HOSTILE_PRODUCT, "http://127.0.0.1:1/x.png", "/etc/passwd", "file:///etc/passwd"):
        assert value in text  # printed, not followed
    attached = attachments_of(paths["pdf"])
    assert set(attached) == set(html_tables(html).order)  # nothing but the tables: /etc/passwd not attached
    everything = b"".join(attached.values()) + paths["pdf"].read_bytes()
    assert b"root:x:0:0" not in everything
    assert HOSTILE_PRODUCT in attached["03_ratios.csv"].decode()  # data in the CSV, as in the table
    over_point = attached["07_past_charge_off_point.csv"].decode()
    assert "'=HYPERLINK" in over_point  # a spreadsheet reads it as text, not a formula


@pytest.mark.parametrize("markup", [
    '<img alt="" src="http://127.0.0.1:1/x.png">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<link rel="attachment" href="/etc/passwd">',
])
def test_the_fetcher_refuses_under_pdf_a_with_attachments(markup):
    page = f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{markup}</head><body>x</body></html>'
    file = EmbeddedFile("a.csv", b"a\r\n1\r\n", "a", datetime(2026, 10, 31))
    with pytest.raises(ResourceRefusedError, match="refused to fetch"):
        render_pdf(page, "pdf/a-3b", [file])


def test_frames_with_identifiers_are_refused(tmp_path):
    data = regulatory_input()
    with pytest.raises(ValueError, match="past_charge_off_point carries identifying column.*account_id"):
        render_regulatory_pack(replace(data, past_charge_off_point=pl.DataFrame(
            {"account_id": ["ACC-0000123"], "product": ["revolving"], "policy_dpd": [180], "accounts": [1],
             "balance": [Decimal("1.00")]})), tmp_path)
    with pytest.raises(ValueError, match="loads carries identifying column.*customer_id"):
        render_regulatory_pack(replace(data, loads=data.loads.with_columns(customer_id=pl.lit("C-9"))), tmp_path)
    assert list(tmp_path.rglob("*")) == []


def test_no_account_identifier_reaches_any_output(tmp_path):
    """The charge-off-point counts made from account rows (as the orchestration does) print no id."""
    accounts = pl.DataFrame({
        "account_id": [f"ACC-{i:07d}" for i in range(60)],
        "product": ["revolving"] * 37 + ["installment"] * 23,
        "policy_dpd": [180] * 37 + [120] * 23,
        "total_balance": [Decimal("1234.56")] * 60})
    counts = (accounts.group_by("product", "policy_dpd")
              .agg(accounts=pl.len().cast(pl.Int64), balance=pl.col("total_balance").sum()).sort("product"))
    paths = render_regulatory_pack(replace(regulatory_input(), past_charge_off_point=counts), tmp_path)
    outputs = [paths["html"].read_text(encoding="utf-8"), flat(pdf_pages(paths["pdf"])),
               *(c.decode() for c in attachments_of(paths["pdf"]).values())]
    for output in outputs:
        assert "ACC-" not in output and "account_id" not in output
    assert "60 accounts, with a balance of CNY 74,073.60" in outputs[1]


def test_a_regime_other_than_the_named_one_is_refused():
    data = regulatory_input()
    with pytest.raises(ValueError, match="classification holds regime.*cn_card_2011"):
        regulatory_html(replace(data, classification=data.classification.with_columns(regime=pl.lit("cn_card_2011"))))


def test_missing_columns_are_named():
    data = regulatory_input()
    with pytest.raises(ValueError, match="us_past_due lacks column.*nonaccrual_balance"):
        regulatory_html(replace(data, us_past_due=data.us_past_due.drop("nonaccrual_balance")))


def test_csv_values_are_exact_and_plain():
    assert csv_value(Decimal("0E-10")) == "0.0000000000"
    assert csv_value(Decimal("912138023.64")) == "912138023.64"
    assert csv_value(0.1) == "0.1" and csv_value(float("nan")) == "" and csv_value(None) == ""
    assert csv_value(True) == "true" and csv_value(12) == "12"
    assert csv_value(16716937.879999999, "money") == "16716937.88"  # a float amount to the cent
    assert csv_value(0.029732907006959037, "rate") == "0.029732907006959037"
    assert csv_value("-1 DPD") == "'-1 DPD" and csv_value("@SUM(A1)") == "'@SUM(A1)"
    assert csv_value("金融资产风险分类办法") == "金融资产风险分类办法"


def test_no_account_past_the_charge_off_point_and_no_file_loaded():
    data = regulatory_input()
    html = regulatory_html(replace(data, past_charge_off_point=data.past_charge_off_point.clear(),
                                   loads=data.loads.clear()), "zh-CN")
    assert html.count("没有超过核销时点仍在册的账户。") == 2  # key figures and its section
    assert "本月没有加载文件。" in html
    assert "07_past_charge_off_point.csv" not in html and "11_files_loaded.csv" not in html
