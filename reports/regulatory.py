"""The regulatory pack of one month (reports.md "Regulatory pack (supervisor)", methodology §6).

For a supervisor: the five-category classification of the regime in force (accounts, balance and
allowance per category, the non-performing subtotal), the NPL ratio, provision coverage and loan
provision ratio against their minimums with breach flags, the past-due and nonaccrual table,
charge-offs and recoveries, the IFRS 9 stage table and allowance movement, the accounts still on
book past the charge-off point (counts only) and the data lineage (extract date, file checksums,
row counts, run id, code version, parameters in force).

The PDF is PDF/A-3b and carries every table of the document as a CSV attachment, written from the
same rows the page prints (machine column names, codes for products and categories, unrounded
values), so a supervisor can load the figures without retyping them. The CSV bytes and their dates
are fixed by the inputs: the same inputs give byte-identical HTML and PDF.

Input is plain values and Polars frames read by the orchestration layer from the marts, already
aggregated; nothing here touches the warehouse, the network or the clock. A frame with an
identifier column is refused, so no account or customer identifier can reach a page or a CSV.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl
from markupsafe import Markup

from reports import charts, formatting
from reports.ecl_section import STAGES, products_total_last
from reports.i18n import (
    Phrase,
    check_locale,
    label,
    month_label,
    optional_label,
    product_label,
    setting_rows,
    setting_value,
)
from reports.kpis import TREND_MONTHS
from reports.management import IDENTIFYING_COLUMNS
from reports.render import EmbeddedFile, check_frame, page_css, publish, render_html
from transforms.ecl import MOVEMENT_LINES
from transforms.months import add_months
from transforms.states import ALL_PRODUCTS

PACK = "regulatory"
TEMPLATE = "regulatory.html.j2"
PDF_VARIANT = "pdf/a-3b"  # keeps the CSV attachments (a-2b would drop them)
CATEGORIES = ("pass", "special_mention", "substandard", "doubtful", "loss")
NPL_CATEGORIES = ("substandard", "doubtful", "loss")
REQUIRED_COLUMNS = {
    "classification": ("month", "regime", "product", "category", "category_order", "accounts", "balance",
                       "allowance"),
    "ratios": ("month", "regime", "product", "on_book_balance", "npl_balance", "npl_ratio", "allowance",
               "provision_coverage", "provision_coverage_min", "provision_coverage_breach", "loan_provision_ratio",
               "loan_provision_ratio_min", "loan_provision_ratio_breach"),
    "us_past_due": ("month", "product", "past_due_30_89_accounts", "past_due_30_89_balance",
                    "past_due_90_accruing_accounts", "past_due_90_accruing_balance", "nonaccrual_accounts",
                    "nonaccrual_balance", "gross_charge_offs", "recoveries", "net_charge_offs"),
    "past_charge_off_point": ("product", "policy_dpd", "accounts", "balance"),
    "charge_offs": ("month", "product", "gross_charge_offs", "recoveries", "net_charge_offs", "nco_rate"),
    "ecl_summary": ("month", "product", "stage", "accounts", "balance", "ead", "ecl", "coverage"),
    "movement": ("product", "stage", "opening", *MOVEMENT_LINES, "closing"),
    "loads": ("file_name", "table_name", "as_of_date", "sha256", "bytes", "rows_in_file", "rows_loaded",
              "rows_quarantined", "run_id"),
}
# frames of the month: rows of other months (when the frame has a month column) are left out
MONTH_FRAMES = ("classification", "ratios", "us_past_due", "ecl_summary", "movement")
DEFINITIONS = ("def.reg.classification", "def.reg.ratios", "def.reg.us_past_due", "def.reg.charge_off_point",
               "def.charge_offs", "def.ecl", "def.reg.csv", "def.money")
# characters that make a spreadsheet read a CSV text cell as a formula (OWASP "CSV injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class RegulatoryPackInput:
    month: date                        # reporting month, first day
    portfolio_name: str
    currency: str                      # ISO 4217, e.g. "CNY"
    regime: str                        # the classification regime in force, e.g. "cn_2023"
    regime_title: str                  # its name as printed, e.g. "金融资产风险分类办法 (2023)"
    classification: pl.DataFrame       # mart.regulatory_classification of the month (products incl. "all")
    ratios: pl.DataFrame               # mart.regulatory_ratios of the month
    us_past_due: pl.DataFrame          # mart.us_past_due of the month
    past_charge_off_point: pl.DataFrame  # product, policy_dpd, accounts, balance: counts only, no account rows
    charge_offs: pl.DataFrame          # mart.delinquency rows (month, product, charge-off columns), up to 13 months
    ecl_summary: pl.DataFrame          # mart.ecl_summary of the month; empty before the first ECL
    movement: pl.DataFrame             # mart.allowance_movement of the month; empty when m−1 had no ECL
    loads: pl.DataFrame                # audit.loads rows of the month (with sha256, bytes, run_id)
    parameters: dict[str, object]      # parameters in force (name -> value or Phrase), printed in the lineage
    parameters_note: Phrase            # where those parameters come from, printed under them
    lineage: dict[str, str]            # extract as_of_date, run id, code version …, printed in the lineage
    percent_decimals: int = field(default=2)  # reports.percent_decimals of the config


# --- tables: one structure for the page and for its CSV ------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column: `key` names it in the CSV and holds its raw value in each row; `kind` says how
    the page prints it (text, code, count, money, amount, rate, flag, date, hash); `display` names
    the row key of the printed text when it differs from the raw value (a product code → its label)."""
    key: str
    header: str
    kind: str
    display: str | None = None
    group: str | None = None  # a header spanning consecutive columns of the same group


@dataclass(frozen=True)
class Table:
    name: str                       # the CSV file stem, e.g. "01_classification"
    title: str
    columns: tuple[Column, ...]
    rows: list[dict]                # raw values by column key; "_class": "", "total" or "subtotal"
    note: str = ""
    css: str = ""                   # extra classes of the <table> (e.g. "compact")
    keep: bool = True               # kept on one page with its heading; False for tables of any length

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def groups(self) -> list[tuple[str | None, int]]:
        """(group header, span) per run of consecutive columns; None for an ungrouped column."""
        out: list[tuple[str | None, int]] = []
        for column in self.columns:
            if column.group is not None and out and out[-1][0] == column.group:
                out[-1] = (column.group, out[-1][1] + 1)
            else:
                out.append((column.group, 1))
        return out


def _csv_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_value(value: object, kind: str = "text") -> str:
    """A raw value as CSV text: decimals exact, ratios at full float precision, ISO dates, true/false,
    '' for none. An amount held as a float (an estimate such as the allowance, a double in the mart)
    is written to the cent: its binary noise (…879999999) is not information."""
    if formatting.is_missing(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        if kind in ("money", "amount"):
            return format(Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP), "f")
        return repr(value)
    if isinstance(value, (int, date)):
        return str(value) if isinstance(value, int) else value.isoformat()
    return _csv_text(str(value))


def table_csv(table: Table) -> bytes:
    """RFC 4180 CSV (UTF-8, CRLF): a header of column keys, then one line per printed row."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.key for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_value(row[c.key], c.kind) for c in table.columns])
    return out.getvalue().encode("utf-8")


# --- input ---------------------------------------------------------------------------------------

def check_input(data: RegulatoryPackInput) -> None:
    """Fails early, naming the frame and column, rather than deep inside a template."""
    if data.month.day != 1:
        raise ValueError(f"month must be the first day of the reporting month, got {data.month}")
    for name, columns in REQUIRED_COLUMNS.items():
        check_frame(name, getattr(data, name), columns, IDENTIFYING_COLUMNS)
    for name in ("classification", "ratios"):
        regimes = sorted(set(getattr(data, name)["regime"].to_list()) - {data.regime})
        if regimes:
            raise ValueError(f"{name} holds regime(s) {', '.join(regimes)}, but the pack names {data.regime}: "
                             "a report must name the regime its figures were classified under")


def _of_month(frame: pl.DataFrame, month: date) -> pl.DataFrame:
    return frame.filter(pl.col("month") == month) if "month" in frame.columns else frame


def _product_rows(frame: pl.DataFrame, locale: str) -> list[dict]:
    """Rows ordered known products first, others alphabetically, `all` last as the total."""
    by_product = {r["product"]: r for r in frame.to_dicts()}
    return [{**by_product[p], "product_label": product_label(p, locale),
             "_class": "total" if p == ALL_PRODUCTS else ""}
            for p in products_total_last(by_product)]


def _sum(values: Iterable[object]) -> object:
    """Σ of amounts; None when any is None (an allowance not yet computed is not zero)."""
    values = list(values)
    if any(formatting.is_missing(v) for v in values):
        return None
    return sum(values, Decimal(0)) if all(isinstance(v, Decimal) for v in values) else math.fsum(values)


# --- the tables ----------------------------------------------------------------------------------

def classification_table(frame: pl.DataFrame, locale: str, currency: str) -> Table:
    """All products: the five categories, the non-performing subtotal and the total."""
    rows = frame.filter(pl.col("product") == ALL_PRODUCTS).sort("category_order").to_dicts()
    total_balance = sum((r["balance"] for r in rows), Decimal(0))
    share = (lambda b: float(b / total_balance)) if total_balance else (lambda b: None)
    out = [{"category": r["category"], "category_label": optional_label(locale, f"reg.category.{r['category']}",
                                                                        r["category"]),
            "accounts": r["accounts"], "balance": r["balance"], "balance_share": share(r["balance"]),
            "allowance": r["allowance"], "_class": ""} for r in rows]
    npl = [r for r in rows if r["category"] in NPL_CATEGORIES]
    for key, members, css in (("npl", npl, "subtotal"), ("total", rows, "total")):
        balance = sum((r["balance"] for r in members), Decimal(0))
        out.append({"category": key, "category_label": label(locale, f"reg.category.{key}"),
                    "accounts": sum(r["accounts"] for r in members), "balance": balance,
                    "balance_share": share(balance), "allowance": _sum(r["allowance"] for r in members),
                    "_class": css})
    return Table("01_classification", label(locale, "reg.classification_title"), (
        Column("category", label(locale, "reg.category"), "text", "category_label"),
        Column("accounts", label(locale, "table.accounts"), "count"),
        Column("balance", label(locale, "reg.balance_ccy", currency=currency), "money"),
        Column("balance_share", label(locale, "reg.balance_share"), "rate"),
        Column("allowance", label(locale, "reg.allowance_ccy", currency=currency), "money"),
    ), out, label(locale, "reg.classification_note"))


def classification_by_product(frame: pl.DataFrame, locale: str, currency: str) -> Table:
    """Balance per category (columns) for each product (rows, `all` last), with the NPL balance and ratio."""
    cells = {(r["product"], r["category"]): r["balance"] for r in frame.to_dicts()}
    categories = [c for c in frame.sort("category_order")["category"].unique(maintain_order=True).to_list()]
    rows = []
    for product in products_total_last(frame["product"].to_list()):
        balances = {c: cells.get((product, c), Decimal(0)) for c in categories}
        total = sum(balances.values(), Decimal(0))
        npl = sum((balances[c] for c in categories if c in NPL_CATEGORIES), Decimal(0))
        rows.append({"product": product, "product_label": product_label(product, locale), **balances,
                     "npl": npl, "total": total, "npl_ratio": float(npl / total) if total else None,
                     "_class": "total" if product == ALL_PRODUCTS else ""})
    return Table("02_classification_by_product", label(locale, "reg.by_product_title"), (
        Column("product", label(locale, "table.product"), "text", "product_label"),
        *(Column(c, optional_label(locale, f"reg.category.{c}", c), "amount") for c in categories),
        Column("npl", label(locale, "reg.category.npl"), "amount"),
        Column("total", label(locale, "reg.category.total"), "amount"),
        Column("npl_ratio", label(locale, "reg.npl_ratio"), "rate"),
    ), rows, label(locale, "reg.whole_units_note", currency=currency), "compact")


def ratios_table(frame: pl.DataFrame, locale: str, currency: str) -> Table:
    pc, lpr = label(locale, "reg.provision_coverage"), label(locale, "reg.loan_provision_ratio")
    return Table("03_ratios", label(locale, "reg.ratios_title"), (
        Column("product", label(locale, "table.product"), "text", "product_label"),
        Column("on_book_balance", label(locale, "reg.on_book_balance"), "amount"),
        Column("npl_balance", label(locale, "reg.npl_balance"), "amount"),
        Column("npl_ratio", label(locale, "reg.npl_ratio"), "rate"),
        Column("allowance", label(locale, "reg.allowance"), "amount"),
        Column("provision_coverage", label(locale, "reg.value"), "rate", group=pc),
        Column("provision_coverage_min", label(locale, "reg.minimum"), "rate", group=pc),
        Column("provision_coverage_breach", label(locale, "reg.status"), "flag", group=pc),
        Column("loan_provision_ratio", label(locale, "reg.value"), "rate", group=lpr),
        Column("loan_provision_ratio_min", label(locale, "reg.minimum"), "rate", group=lpr),
        Column("loan_provision_ratio_breach", label(locale, "reg.status"), "flag", group=lpr),
    ), _product_rows(frame, locale), label(locale, "reg.ratios_note", currency=currency), "compact")


def past_due_table(frame: pl.DataFrame, locale: str, currency: str) -> Table:
    groups = {k: label(locale, f"reg.pd.{k}") for k in ("30_89", "90_accruing", "nonaccrual")}
    return Table("04_past_due", label(locale, "reg.past_due_title"), (
        Column("product", label(locale, "table.product"), "text", "product_label"),
        *(column for key, prefix in (("30_89", "past_due_30_89"), ("90_accruing", "past_due_90_accruing"),
                                     ("nonaccrual", "nonaccrual"))
          for column in (Column(f"{prefix}_accounts", label(locale, "table.accounts"), "count", group=groups[key]),
                         Column(f"{prefix}_balance", label(locale, "reg.balance_ccy", currency=currency), "money",
                                group=groups[key]))),
    ), _product_rows(frame, locale), label(locale, "reg.past_due_note"))


def _charge_off_columns(locale: str, first: Column) -> tuple[Column, ...]:
    return (first,
            Column("gross_charge_offs", label(locale, "kpi.gross_charge_offs"), "money"),
            Column("recoveries", label(locale, "kpi.recoveries"), "money"),
            Column("net_charge_offs", label(locale, "reg.net_charge_offs"), "money"),
            Column("nco_rate", label(locale, "kpi.nco_rate"), "rate"))


def charge_offs_month(frame: pl.DataFrame, month: date, locale: str, currency: str) -> Table:
    return Table("05_charge_offs", label(locale, "reg.charge_offs_month_title", month=month_label(month, locale)),
                 _charge_off_columns(locale, Column("product", label(locale, "table.product"), "text",
                                                    "product_label")),
                 _product_rows(frame.filter(pl.col("month") == month), locale),
                 label(locale, "reg.amounts_note", currency=currency))


def trend_rows(frame: pl.DataFrame, month: date, locale: str) -> list[dict]:
    first = add_months(month, -(TREND_MONTHS - 1))
    rows = frame.filter((pl.col("product") == ALL_PRODUCTS) & pl.col("month").is_between(first, month)).sort("month")
    return [{**r, "month_label": month_label(r["month"], locale), "_class": ""} for r in rows.to_dicts()]


def charge_offs_trend(rows: list[dict], locale: str, currency: str) -> Table:
    return Table("06_charge_offs_trend", label(locale, "reg.charge_offs_trend_title"),
                 _charge_off_columns(locale, Column("month", label(locale, "reg.month"), "date", "month_label")),
                 rows, label(locale, "reg.amounts_note", currency=currency))


def _ticks(months: list[date]) -> list[str]:
    return [f"{m.month:02d}\n{m.year}" if i == 0 or m.month == 1 else f"{m.month:02d}" for i, m in enumerate(months)]


def charge_off_chart(rows: list[dict], locale: str, currency: str) -> Markup | None:
    if len(rows) < 2:
        return None
    return Markup(charts.charge_off_bars(
        "reg-charge-offs", _ticks([r["month"] for r in rows]), [float(r["gross_charge_offs"]) for r in rows],
        [float(r["recoveries"]) for r in rows], [r["nco_rate"] for r in rows],
        (label(locale, "kpi.gross_charge_offs"), label(locale, "kpi.recoveries"), label(locale, "chart.nco_rate")),
        {e: label(locale, f"chart.amount_axis_{e}", currency=currency) for e in (0, 3, 6)},
        label(locale, "chart.nco_axis"), label(locale, "chart.charge_offs_alt")))


def stage_table(frame: pl.DataFrame, locale: str, currency: str) -> Table:
    """Per product (`all` last) its stages 1, 2, 3 and their total; the product named on its first row."""
    cells = {(r["product"], r["stage"]): r for r in frame.to_dicts()}
    rows = []
    for product in products_total_last(frame["product"].to_list()):
        stages = [s for s in STAGES if (product, s) in cells]
        for i, stage in enumerate(stages):
            rows.append({**{k: cells[(product, stage)][k] for k in ("accounts", "balance", "ead", "ecl", "coverage")},
                         "product": product, "product_label": product_label(product, locale) if i == 0 else "",
                         "stage": stage, "stage_label": label(locale, f"ecl.stage.{stage}"),
                         "_class": ("total" if product == ALL_PRODUCTS else "subtotal") if stage == "all" else ""})
    return Table("08_ifrs9_stages", label(locale, "reg.stages_title"), (
        Column("product", label(locale, "table.product"), "text", "product_label"),
        Column("stage", label(locale, "reg.stage"), "text", "stage_label"),
        Column("accounts", label(locale, "table.accounts"), "count"),
        Column("balance", label(locale, "reg.balance_ccy", currency=currency), "money"),
        Column("ead", label(locale, "reg.ead", currency=currency), "money"),
        Column("ecl", label(locale, "reg.ecl", currency=currency), "money"),
        Column("coverage", label(locale, "ecl.coverage"), "rate"),
    ), rows, label(locale, "reg.stages_note"))


def movement_table(frame: pl.DataFrame, locale: str, currency: str) -> Table:
    """Lines (rows) by stage (columns, total last), all products: the shape of the management pack's table."""
    by_stage = {r["stage"]: r for r in frame.filter(pl.col("product") == ALL_PRODUCTS).to_dicts()}
    stages = [s for s in STAGES if s in by_stage]
    rows = [{"line": line, "line_label": label(locale, f"ecl.line.{line}"),
             **{f"stage_{s}": by_stage[s][line] for s in stages},
             "_class": "total" if line in ("opening", "closing") else ""}
            for line in ("opening", *MOVEMENT_LINES, "closing")]
    return Table("09_allowance_movement", label(locale, "reg.movement_title_ccy", currency=currency), (
        Column("line", label(locale, "ecl.line_header"), "text", "line_label"),
        *(Column(f"stage_{s}", label(locale, f"ecl.stage.{s}"), "money") for s in stages),
    ), rows, label(locale, "ecl.movement_note"))


def charge_off_point_table(frame: pl.DataFrame, locale: str, currency: str) -> Table:
    order = products_total_last(frame["product"].to_list())
    rows = [{**r, "product_label": product_label(r["product"], locale),
             "_class": "total" if r["product"] == ALL_PRODUCTS else ""}
            for r in sorted(frame.to_dicts(), key=lambda r: (order.index(r["product"]), r["policy_dpd"]))]
    return Table("07_past_charge_off_point", label(locale, "reg.charge_off_point_title"), (
        Column("product", label(locale, "table.product"), "text", "product_label"),
        Column("policy_dpd", label(locale, "reg.policy_dpd"), "count"),
        Column("accounts", label(locale, "table.accounts"), "count"),
        Column("balance", label(locale, "reg.balance_ccy", currency=currency), "money"),
    ), rows, label(locale, "reg.charge_off_point_note"))


def facts_table(name: str, title: str, pairs: Sequence[tuple[str, str]], locale: str, note: str = "") -> Table:
    return Table(name, title, (Column("item", label(locale, "appendix.item"), "text"),
                               Column("value", label(locale, "appendix.value"), "text")),
                 [{"item": k, "value": v, "_class": ""} for k, v in pairs], note, "facts", keep=len(pairs) <= 25)


def loads_table(loads: pl.DataFrame, locale: str) -> Table:
    rows = [{**r, "_class": ""} for r in loads.sort("as_of_date", "file_name").to_dicts()]
    return Table("11_files_loaded", label(locale, "dq.loads"), (
        Column("file_name", label(locale, "dq.file"), "text"),
        Column("table_name", label(locale, "dq.table"), "code"),
        Column("as_of_date", label(locale, "dq.as_of_date"), "date"),
        Column("rows_in_file", label(locale, "dq.rows_in_file"), "count"),
        Column("rows_loaded", label(locale, "dq.rows_loaded"), "count"),
        Column("rows_quarantined", label(locale, "dq.rows_quarantined"), "count"),
        Column("run_id", label(locale, "reg.run_id"), "code"),
    ), rows, label(locale, "reg.loads_note"), "compact", keep=len(rows) <= 25)


def checksums_table(loads: pl.DataFrame, locale: str) -> Table:
    rows = [{**r, "_class": ""} for r in loads.sort("as_of_date", "file_name").to_dicts()]
    return Table("12_file_checksums", label(locale, "reg.checksums_title"), (
        Column("file_name", label(locale, "dq.file"), "text"),
        Column("bytes", label(locale, "reg.bytes"), "count"),
        Column("sha256", label(locale, "reg.sha256"), "hash"),
    ), rows, "", "compact checksums", keep=len(rows) <= 25)


# --- sentences and the document ------------------------------------------------------------------

def _status(breach: bool | None) -> str:
    return "not_evaluated" if breach is None else "breach" if breach else "met"


def regime_name(data: RegulatoryPackInput, locale: str) -> str:
    """The regime's name in the reader's language, its legal title kept (a regime without a
    translation by its title as configured)."""
    return optional_label(locale, f"reg.regime_name.{data.regime}", data.regime_title)


def key_sentences(data: RegulatoryPackInput, ratios: pl.DataFrame, over_point: pl.DataFrame,
                  ecl_available: bool, locale: str) -> list[dict]:
    """The ratios of all products against their minimums, in words, then each product's breach (a book
    that meets a minimum can hide a product below it); each with its status for styling."""
    pct = lambda v: formatting.percent(v, locale, data.percent_decimals)
    money = lambda v: formatting.money(v, locale, data.currency)
    out = []
    total = ratios.filter(pl.col("product") == ALL_PRODUCTS).to_dicts()
    if total:
        r = total[0]
        out.append({"text": label(locale, "reg.sentence_npl", regime=regime_name(data, locale),
                                  npl=money(r["npl_balance"]),
                                  ratio=pct(r["npl_ratio"]), on_book=money(r["on_book_balance"])), "status": ""})
        for key in ("provision_coverage", "loan_provision_ratio"):
            status = _status(r[f"{key}_breach"])
            out.append({"text": label(locale, f"reg.sentence_{status}", name=label(locale, f"reg.{key}"),
                                      value=pct(r[key]), minimum=pct(r[f"{key}_min"])), "status": status})
    for r in ratios.filter(pl.col("product") != ALL_PRODUCTS).to_dicts():
        for key in ("provision_coverage", "loan_provision_ratio"):
            if r[f"{key}_breach"]:
                out.append({"text": label(locale, "reg.sentence_product_breach", product=product_label(r["product"], locale),
                                          name=label(locale, f"reg.{key}"), value=pct(r[key]),
                                          minimum=pct(r[f"{key}_min"])), "status": "breach"})
    if not ecl_available:
        out.append({"text": label(locale, "reg.sentence_no_ecl"), "status": ""})
    totals = over_point.filter(pl.col("product") == ALL_PRODUCTS)
    source = totals if totals.height else over_point.filter(pl.col("product") != ALL_PRODUCTS)
    accounts = int(source["accounts"].sum() or 0)
    if accounts:
        balance = sum(source["balance"].to_list(), Decimal(0))
        out.append({"text": label(locale, "reg.sentence_over_point", accounts=formatting.accounts(accounts, locale),
                                  balance=money(balance)), "status": "breach"})
    else:
        out.append({"text": label(locale, "reg.sentence_none_over_point"), "status": ""})
    return out


def document_date(month: date) -> date:
    """The last day of the month: the document's fixed date (metadata and attachments), never the clock."""
    return add_months(month, 1) - timedelta(days=1)


def regulatory_context(data: RegulatoryPackInput, locale: str) -> dict[str, object]:
    check_locale(locale)
    check_input(data)
    month = data.month
    frames = {name: _of_month(getattr(data, name), month) for name in MONTH_FRAMES}
    ecl_available = frames["ecl_summary"].height > 0
    trend = trend_rows(data.charge_offs, month, locale)
    pack_title = label(locale, "pack.regulatory")
    month_text = month_label(month, locale)
    regime_text = label(locale, "reg.regime_text", name=regime_name(data, locale), code=data.regime)
    control = [(label(locale, "cover.pack"), pack_title), (label(locale, "cover.month"), month_text),
               (label(locale, "cover.portfolio"), data.portfolio_name),
               (label(locale, "cover.currency"), data.currency), (label(locale, "reg.regime"), regime_text),
               (label(locale, "cover.locale"), label(locale, "locale.name"))]
    lineage = setting_rows(data.lineage, locale)
    parameters = setting_rows(data.parameters, locale)
    tables = {
        "control": facts_table("00_document_control", label(locale, "cover.document_control"), control, locale),
        "classification": classification_table(frames["classification"], locale, data.currency),
        "by_product": classification_by_product(frames["classification"], locale, data.currency),
        "ratios": ratios_table(frames["ratios"], locale, data.currency),
        "past_due": past_due_table(frames["us_past_due"], locale, data.currency),
        "charge_offs": charge_offs_month(data.charge_offs, month, locale, data.currency),
        "trend": charge_offs_trend(trend, locale, data.currency),
        "over_point": (charge_off_point_table(data.past_charge_off_point, locale, data.currency)
                       if data.past_charge_off_point.height else None),
        "stages": stage_table(frames["ecl_summary"], locale, data.currency) if ecl_available else None,
        "movement": movement_table(frames["movement"], locale, data.currency) if frames["movement"].height else None,
        "lineage": facts_table("10_lineage", label(locale, "reg.lineage_title"), lineage, locale),
        "loads": loads_table(data.loads, locale) if data.loads.height else None,
        "checksums": checksums_table(data.loads, locale) if data.loads.height else None,
        "parameters": facts_table("13_parameters", label(locale, "section.parameters"), parameters, locale,
                                  setting_value(data.parameters_note, locale)),
    }
    tables = {k: t for k, t in tables.items() if t is not None}
    return {
        "locale": locale,
        "lang": locale,
        "currency": data.currency,
        "percent_decimals": data.percent_decimals,
        "title": f"{pack_title} · {data.portfolio_name} · {month_text}",
        "document_date": document_date(month).isoformat(),
        "page_css": page_css(locale, f"{pack_title} · {month_text}", data.portfolio_name,
                             label(locale, "reg.confidential")),
        "pack_title": pack_title,
        "portfolio_name": data.portfolio_name,
        "month_label": month_text,
        "regime_text": regime_text,
        "tables": tables,
        "key_sentences": key_sentences(data, frames["ratios"], data.past_charge_off_point, ecl_available, locale),
        "ecl_available": ecl_available,
        "ecl_unavailable": label(locale, "ecl.unavailable", month=month_text),
        "charge_off_chart": charge_off_chart(trend, locale, data.currency),
        "definitions": DEFINITIONS,
        "regime_ranges": optional_label(locale, f"reg.ranges.{data.regime}", ""),
    }


def attachments(context: dict[str, object], month: date) -> list[EmbeddedFile]:
    """Every table of the document as a CSV file, in the order of the page, dated the document date."""
    stamp = datetime.combine(document_date(month), datetime.min.time())
    return [EmbeddedFile(table.file_name, table_csv(table), table.title, stamp)
            for table in context["tables"].values()]


def regulatory_html(data: RegulatoryPackInput, locale: str = "en") -> str:
    return render_html(TEMPLATE, regulatory_context(data, locale))


def render_regulatory_pack(data: RegulatoryPackInput, output_dir: Path, locale: str = "en") -> dict[str, Path]:
    """Renders and writes `<output_dir>/<YYYY-MM>/regulatory_<YYYY-MM>_<locale>.{html,pdf}`.

    The PDF is PDF/A-3b with each table attached as CSV. Returns {"html": path, "pdf": path}.
    Raises ValueError on bad input and reports.render.RenderError (MissingGlyphError,
    ResourceRefusedError) when the PDF cannot be rendered as required; in both cases nothing is written.
    """
    context = regulatory_context(data, locale)
    html = render_html(TEMPLATE, context)
    return publish(html, Path(output_dir), PACK, data.month, locale, pdf_variant=PDF_VARIANT,
                   attachments=attachments(context, data.month))
