"""The management pack of one month (reports.md): cover, executive summary and KPIs, portfolio and
concentration (when mart.concentration is given), delinquency by bucket with trend, vintage analysis (when the vintage frames are given), charge-offs,
recoveries and overdue cost (when the overdue marts are given), expected credit loss (when the ECL
marts are given), early warning (when the early-warning marts are given), data quality and
reconciliation, methodology appendix.

Input is plain values and Polars frames read by the orchestration layer; nothing here touches
the warehouse, the network or the clock. No customer or account identifier is in the input,
and none is added: every figure shown is an aggregate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
from markupsafe import Markup

from reports import charts, formatting
from reports.concentration_section import (
    ConcentrationInput,
    check_concentration,
    concentration_context,
)
from reports.early_warning_section import (
    EarlyWarningInput,
    check_early_warning,
    early_warning_context,
)
from reports.ecl_section import (
    ExpectedLossInput,
    check_expected_loss,
    expected_loss_context,
)
from reports.i18n import (
    Phrase,
    check_locale,
    label,
    month_label,
    product_label,
    setting_rows,
    setting_value,
    state_labels,
)
from reports.kpis import TREND_MONTHS, dq_contributions, kpis, main_driver
from reports.overdue_section import OverdueInput, check_overdue, overdue_context
from reports.render import check_frame, page_css, publish, render_html
from reports.roll_rates_section import (
    RollRateInput,
    bucket_rates,
    driving_move,
    move_words,
    roll_rate_context,
)
from reports.vintage_insights import LIFETIME_COLUMNS, VINTAGE_COLUMNS
from reports.vintage_section import vintage_context
from transforms.months import add_months
from transforms.states import ALL_PRODUCTS, PRODUCTS, TERMINAL_STATES
from transforms.vintage import MIN_PROJECTION_MOB

PACK = "management"
TEMPLATE = "management.html.j2"
REQUIRED_COLUMNS = {
    "delinquency": ("month", "product", "accounts_on_book", "receivable_balance", "dq30_balance",
                    "dq90_balance", "dq30_rate", "dq60_rate", "dq90_rate", "gross_charge_offs",
                    "recoveries", "net_charge_offs", "nco_rate"),
    "delinquency_by_state": ("month", "product", "state", "state_order", "accounts", "balance"),
    "loads": ("file_name", "table_name", "as_of_date", "rows_in_file", "rows_loaded", "rows_quarantined"),
    "quarantine_summary": ("file_name", "reason", "rows"),
    "rollforward": ("product", "accounts_checked", "accounts_with_break", "break_amount"),
}
OPTIONAL_COLUMNS = {"vintage": VINTAGE_COLUMNS, "vintage_lifetime": LIFETIME_COLUMNS}
# Columns that would carry a customer or account identifier (or a raw ledger line holding one):
# the pack refuses frames that have them, so an identifier cannot be printed by a later change.
IDENTIFYING_COLUMNS = frozenset({"account_id", "customer_id", "raw_text"})
DEFINITIONS = ("def.states", "def.on_book", "def.dq_rates", "def.charge_offs", "def.money")
VINTAGE_DEFINITIONS = ("def.vintage",)
DEFINITION_VALUES = {"min_mob": MIN_PROJECTION_MOB}  # the figures the definitions name, from the code that uses them
EXPECTED_LOSS_DEFINITIONS = ("def.ecl",)
OVERDUE_DEFINITIONS = ("def.overdue",)
EARLY_WARNING_DEFINITIONS = ("def.early_warning",)
CONCENTRATION_DEFINITIONS = ("def.concentration",)
CONTENTS = (("summary", "section.summary"), ("kpis", "section.kpis"),
            ("delinquency", "section.delinquency"), ("data-quality", "section.data_quality"),
            ("appendix", "section.appendix"))
VINTAGE_CONTENTS = ("vintage", "section.vintage")  # after delinquency, before data quality
ROLL_RATE_CONTENTS = ("roll-rates", "section.roll_rates")
EXPECTED_LOSS_CONTENTS = ("expected-loss", "section.expected_loss")  # the last chapter before data quality
OVERDUE_CONTENTS = ("overdue", "section.overdue")  # after vintage, before expected credit loss
EARLY_WARNING_CONTENTS = ("early-warning", "section.early_warning")  # after expected credit loss, before data quality
CONCENTRATION_CONTENTS = ("concentration", "section.concentration")  # after the KPIs, before delinquency


@dataclass(frozen=True)
class ManagementPackInput:
    month: date                         # reporting month, first day
    portfolio_name: str
    currency: str                       # ISO 4217, e.g. "CNY"
    delinquency: pl.DataFrame           # mart.delinquency, months <= month (up to 13 back), products incl. "all"
    delinquency_by_state: pl.DataFrame  # mart.delinquency_by_state, same months
    loads: pl.DataFrame                 # audit.loads rows of this month
    quarantine_summary: pl.DataFrame    # file_name, reason, rows (this month)
    rollforward: pl.DataFrame           # product, accounts_checked, accounts_with_break, break_amount
    vanished_accounts: int
    parameters: dict[str, object]       # parameters in force (name -> value or Phrase), printed in the appendix
    parameters_note: Phrase             # where those parameters come from, printed under them
    lineage: dict[str, str]             # extract as_of_date, run id, code version …, printed on the cover
    percent_decimals: int = field(default=2)  # reports.percent_decimals of the config
    vintage: pl.DataFrame | None = None           # mart.vintage rows of this month (every product, segment, cell)
    vintage_lifetime: pl.DataFrame | None = None  # mart.vintage_lifetime rows of this month
    roll_rates: RollRateInput | None = None       # the roll-rate marts of this month (13 months of summary)
    expected_loss: ExpectedLossInput | None = None  # the ECL marts of this month (13 months of summary)
    overdue: OverdueInput | None = None  # mart.overdue_cost and mart.recovery_curve of this month
    early_warning: EarlyWarningInput | None = None  # the early-warning marts of this month (13 months of back-test)
    concentration: ConcentrationInput | None = None  # mart.concentration of this month and the month before


def check_input(data: ManagementPackInput) -> None:
    """Fails early, naming the frame and column, rather than deep inside a template."""
    if data.month.day != 1:
        raise ValueError(f"month must be the first day of the reporting month, got {data.month}")
    optional = {name: columns for name, columns in OPTIONAL_COLUMNS.items() if getattr(data, name) is not None}
    for name, columns in {**REQUIRED_COLUMNS, **optional}.items():
        check_frame(name, getattr(data, name), columns, IDENTIFYING_COLUMNS)
    if data.expected_loss is not None:
        check_expected_loss(data.expected_loss, IDENTIFYING_COLUMNS)
    if data.overdue is not None:
        check_overdue(data.overdue, IDENTIFYING_COLUMNS)
    if data.early_warning is not None:
        check_early_warning(data.early_warning, IDENTIFYING_COLUMNS)
    if data.concentration is not None:
        check_concentration(data.concentration, IDENTIFYING_COLUMNS)


def ordered_products(products: Iterable[str]) -> list[str]:
    """`all` first, then the known products in their usual order, then any other alphabetically."""
    present = set(products)
    known = [p for p in (ALL_PRODUCTS, *PRODUCTS) if p in present]
    return known + sorted(present - set(known))


def trend_months(delinquency: pl.DataFrame, month: date) -> list[date]:
    first = add_months(month, -(TREND_MONTHS - 1))
    months = delinquency.filter(pl.col("month").is_between(first, month))["month"].unique().sort()
    return months.to_list()


def _tick(month: date, first: bool) -> str:
    return f"{month.month:02d}\n{month.year}" if first or month.month == 1 else f"{month.month:02d}"


def chart_svgs(data: ManagementPackInput, locale: str, months: list[date]) -> dict[str, Markup]:
    ticks = [_tick(m, i == 0) for i, m in enumerate(months)]
    totals = data.delinquency.filter(pl.col("product") == ALL_PRODUCTS)
    by_month = {row["month"]: row for row in totals.to_dicts()}
    rates = {label(locale, f"chart.dq{x}"): [by_month.get(m, {}).get(f"dq{x}_rate") for m in months]
             for x in (30, 60, 90)}
    states = (data.delinquency_by_state.filter((pl.col("product") == ALL_PRODUCTS)
                                               & pl.col("month").is_in(months))
              .select("state", "state_order").unique().sort("state_order")["state"].to_list())
    past_due = [s for s in states if s != "current" and s not in TERMINAL_STATES]
    names = state_labels(states, locale)
    balances = {(r["month"], r["state"]): float(r["balance"])
                for r in data.delinquency_by_state.filter(pl.col("product") == ALL_PRODUCTS).to_dicts()}
    stacks = {names[s]: [balances.get((m, s), 0.0) for m in months] for s in past_due}
    return {
        "rates": Markup(charts.rate_lines("dq-rates", ticks, rates, label(locale, "chart.rate_axis"),
                                          label(locale, "chart.rates_alt"))),
        "balance": Markup(charts.stacked_bars("past-due-balance", ticks, stacks,
                                              charts.state_colours(len(past_due)),
                                              {e: label(locale, f"chart.balance_axis_{e}", currency=data.currency)
                                               for e in (0, 3, 6)},
                                              label(locale, "chart.balance_alt"))),
    }


def state_tables(by_state: pl.DataFrame, month: date, locale: str) -> list[dict]:
    """Per product (all first): accounts, balance and share of the on-book balance per bucket,
    the on-book total, then the absorbing states (shown, with no share: they are off book)."""
    rows = by_state.filter(pl.col("month") == month).sort("product", "state_order")
    names = state_labels(rows["state"].unique().to_list(), locale)
    tables = []
    for product in ordered_products(rows["product"].unique().to_list()):
        states = rows.filter(pl.col("product") == product).to_dicts()
        on_book = [r for r in states if r["state"] not in TERMINAL_STATES]
        off_book = [r for r in states if r["state"] in TERMINAL_STATES]
        book_balance = sum((r["balance"] for r in on_book), Decimal(0))
        share = (lambda b: b / book_balance) if book_balance else (lambda b: None)
        out = [{"state": names[r["state"]], "accounts": r["accounts"], "balance": r["balance"],
                "share": share(r["balance"]), "terminal": False, "is_total": False} for r in on_book]
        out.append({"state": "", "accounts": sum(r["accounts"] for r in on_book), "balance": book_balance,
                    "share": share(book_balance), "terminal": False, "is_total": True})
        out += [{"state": names[r["state"]], "accounts": r["accounts"], "balance": r["balance"],
                 "share": None, "terminal": True, "is_total": False} for r in off_book]
        tables.append({"product": product_label(product, locale), "rows": out})
    return tables


def rates_by_product(delinquency: pl.DataFrame, month: date, locale: str) -> list[dict]:
    rows = {r["product"]: r for r in delinquency.filter(pl.col("month") == month).to_dicts()}
    order = ordered_products(rows)
    order = [p for p in order if p != ALL_PRODUCTS] + ([ALL_PRODUCTS] if ALL_PRODUCTS in rows else [])
    return [{**rows[p], "product": product_label(p, locale), "is_total": p == ALL_PRODUCTS} for p in order]


def data_quality(data: ManagementPackInput, locale: str) -> dict[str, list[dict]]:
    rollforward = {r["product"]: r for r in data.rollforward.to_dicts()}
    order = [p for p in ordered_products(rollforward) if p != ALL_PRODUCTS]
    order += [ALL_PRODUCTS] if ALL_PRODUCTS in rollforward else []
    return {
        "loads": data.loads.sort("as_of_date", "file_name").to_dicts(),
        "quarantine": data.quarantine_summary.sort("file_name", "rows", "reason",
                                                   descending=[False, True, False]).to_dicts(),
        "rollforward": [{**rollforward[p], "product": product_label(p, locale), "is_total": p == ALL_PRODUCTS}
                        for p in order],
    }


def vanished_checked(data: ManagementPackInput) -> bool:
    """Whether the vanished-accounts check ran: it compares the month with the one before, so in a
    first month loaded its zero is no finding."""
    return data.delinquency.filter(pl.col("month") == add_months(data.month, -1)).height > 0


def _moved(change: object, decimals: int) -> bool:
    """False when the change prints as zero at the displayed precision."""
    return change is not None and round(float(change) * 100, decimals) != 0


def summary_sentences(data: ManagementPackInput, locale: str) -> list[str]:
    """What moved most this month, in a few plain sentences (numbers as printed in the tables)."""
    d = data.percent_decimals
    cur = data.currency
    by_key = {k.key: k for k in kpis(data.delinquency, data.month)}
    pct = lambda v: formatting.percent(v, locale, d)
    pp = lambda v: formatting.change_pp(v, locale, d)
    out = []

    dq30, dq90 = by_key["dq30_rate"], by_key["dq90_rate"]
    if dq30.prior is None:
        out.append(label(locale, "summary.first_month"))
    elif dq30.value is not None:
        if _moved(dq30.change, d):
            products = [p for p in ordered_products(data.delinquency["product"].to_list()) if p != ALL_PRODUCTS]
            driver = main_driver(dq_contributions(data.delinquency, data.month, 30, products), dq30.change)
            driver_text = "" if driver is None else label(
                locale, "summary.driver", product=product_label(driver.product, locale),
                product_change=pp(driver.rate_change))
            out.append(label(locale, "summary.dq30_moved", direction=label(locale, "rose" if dq30.change > 0 else "fell"),
                             change=pp(abs(dq30.change)).lstrip("+"), value=pct(dq30.value), driver=driver_text))
            out.extend(_roll_driver(data, locale, dq30.change))
        else:
            out.append(label(locale, "summary.dq30_flat", value=pct(dq30.value)))
    if dq90.value is not None and _moved(dq90.change, d):
        out.append(label(locale, "summary.dq90_moved", direction=label(locale, "rose" if dq90.change > 0 else "fell"),
                         change=pp(abs(dq90.change)).lstrip("+"), value=pct(dq90.value)))

    receivable, accounts = by_key["receivable_balance"], by_key["accounts_on_book"]
    value, count = formatting.money(receivable.value, locale, cur), formatting.number(accounts.value, locale)
    if receivable.change is None or not _moved(receivable.change, 1):
        out.append(label(locale, "summary.receivable_level", value=value, accounts=count))
    else:
        out.append(label(locale, "summary.receivable", direction=label(locale, "grew" if receivable.change > 0 else "shrank"),
                         change=formatting.change_percent(abs(receivable.change), locale).lstrip("+"),
                         value=value, accounts=count))

    row = data.delinquency.filter((pl.col("month") == data.month) & (pl.col("product") == ALL_PRODUCTS)).row(0, named=True)
    amounts = {"amount": formatting.money(row["net_charge_offs"], locale, cur),
               "gross": formatting.money(row["gross_charge_offs"], locale, cur),
               "recoveries": formatting.money(row["recoveries"], locale, cur)}
    if row["nco_rate"] is None:
        out.append(label(locale, "summary.nco_no_rate", **amounts))
    else:
        out.append(label(locale, "summary.nco", rate=pct(row["nco_rate"]), **amounts))

    if data.loads.height:
        quarantined = int(data.loads["rows_quarantined"].sum())
        breaks = _break_accounts(data.rollforward)
        if quarantined or breaks or data.vanished_accounts:
            out.append(label(locale, "summary.data_issues", quarantined=formatting.number(quarantined, locale),
                             breaks=formatting.number(breaks, locale),
                             vanished=formatting.number(data.vanished_accounts, locale)))
        else:
            out.append(label(locale, "summary.data_clean" if vanished_checked(data) else "summary.data_clean_first",
                             files=formatting.number(data.loads.height, locale)))
    return out


def _roll_driver(data: ManagementPackInput, locale: str, dq_change: float) -> list[str]:
    """Why the 30+ rate moved: the bucket whose roll-forward change moved the most balance the same way
    (none in the first month of transitions, or when no such move shows at the printed precision)."""
    if data.roll_rates is None:
        return []
    move = driving_move(bucket_rates(data.roll_rates.roll_summary, data.month, locale), dq_change)
    if move is None or not _moved(move["roll_change"], data.percent_decimals):
        return []
    return [label(locale, "summary.roll_driver", **move_words(move, locale, data.percent_decimals))]


def _break_accounts(rollforward: pl.DataFrame) -> int:
    total = rollforward.filter(pl.col("product") == ALL_PRODUCTS)
    source = total if total.height else rollforward
    return int(source["accounts_with_break"].sum() or 0)


def contents(with_vintage: bool, with_roll_rates: bool = False,
             with_expected_loss: bool = False, with_overdue: bool = False,
             with_early_warning: bool = False, with_concentration: bool = False) -> tuple[tuple[str, str], ...]:
    """The contents list, with the optional chapters after delinquency: roll rates, vintage,
    charge-offs/recoveries and overdue cost, expected credit loss (reports.md's order), then early warning;
    portfolio and concentration comes before delinquency, right after the KPIs."""
    extra = ((ROLL_RATE_CONTENTS,) if with_roll_rates else ()) + ((VINTAGE_CONTENTS,) if with_vintage else ())
    extra += (OVERDUE_CONTENTS,) if with_overdue else ()
    extra += (EXPECTED_LOSS_CONTENTS,) if with_expected_loss else ()
    extra += (EARLY_WARNING_CONTENTS,) if with_early_warning else ()
    at = [anchor for anchor, _ in CONTENTS].index("delinquency")
    before = (CONCENTRATION_CONTENTS,) if with_concentration else ()
    return (*CONTENTS[:at], *before, CONTENTS[at], *extra, *CONTENTS[at + 1:])


def management_context(data: ManagementPackInput, locale: str) -> dict[str, object]:
    check_locale(locale)
    check_input(data)
    vintage = vintage_context(data.vintage, data.vintage_lifetime, data.month, locale, data.percent_decimals)
    roll = (None if data.roll_rates is None else
            roll_rate_context(data.roll_rates, data.month, locale, data.currency, data.percent_decimals))
    ecl = (None if data.expected_loss is None else
           expected_loss_context(data.expected_loss, data.month, locale, data.currency, data.percent_decimals))
    overdue = (None if data.overdue is None else
               overdue_context(data.overdue, data.delinquency, data.month, locale, data.currency,
                               data.percent_decimals))
    early_warning = (None if data.early_warning is None else
                     early_warning_context(data.early_warning, data.month, locale, data.currency,
                                           data.percent_decimals))
    concentration = (None if data.concentration is None else
                     concentration_context(data.concentration, data.month, locale, data.currency,
                                           data.percent_decimals))
    pack_title = label(locale, "pack.management")
    month_text = month_label(data.month, locale)
    document_date = (add_months(data.month, 1) - timedelta(days=1)).isoformat()
    return {
        "locale": locale,
        "lang": locale,
        "currency": data.currency,
        "percent_decimals": data.percent_decimals,
        "title": f"{pack_title} · {data.portfolio_name} · {month_text}",
        "document_date": document_date,
        "page_css": page_css(locale, f"{pack_title} · {month_text}", data.portfolio_name,
                             label(locale, "confidential")),
        "pack_title": pack_title,
        "portfolio_name": data.portfolio_name,
        "month_label": month_text,
        "document_control": [
            (label(locale, "cover.pack"), pack_title),
            (label(locale, "cover.month"), month_text),
            (label(locale, "cover.portfolio"), data.portfolio_name),
            (label(locale, "cover.currency"), data.currency),
            (label(locale, "cover.locale"), label(locale, "locale.name")),
            *setting_rows(data.lineage, locale),
        ],
        "contents": contents(vintage is not None, roll is not None, ecl is not None, overdue is not None,
                             early_warning is not None, concentration is not None),
        "summary": summary_sentences(data, locale),
        "kpis": kpis(data.delinquency, data.month),
        "rates_by_product": rates_by_product(data.delinquency, data.month, locale),
        "charts": chart_svgs(data, locale, trend_months(data.delinquency, data.month)),
        "state_tables": state_tables(data.delinquency_by_state, data.month, locale),
        **data_quality(data, locale),
        "vintage": vintage,
        "roll": roll,
        "ecl": ecl,
        "overdue": overdue,
        "early_warning": early_warning,
        "concentration": concentration,
        "vanished_accounts": data.vanished_accounts,
        "vanished_checked": vanished_checked(data),
        "definitions": (DEFINITIONS + (CONCENTRATION_DEFINITIONS if concentration is not None else ())
                        + (VINTAGE_DEFINITIONS if vintage is not None else ())
                        + (OVERDUE_DEFINITIONS if overdue is not None else ())
                        + (EXPECTED_LOSS_DEFINITIONS if ecl is not None else ())
                        + (EARLY_WARNING_DEFINITIONS if early_warning is not None else ())),
        "definition_values": DEFINITION_VALUES,
        "parameters": setting_rows(data.parameters, locale),
        "parameters_note": setting_value(data.parameters_note, locale),
    }


def management_html(data: ManagementPackInput, locale: str = "en") -> str:
    return render_html(TEMPLATE, management_context(data, locale))


def render_management_pack(data: ManagementPackInput, output_dir: Path, locale: str = "en") -> dict[str, Path]:
    """Renders and writes `<output_dir>/<YYYY-MM>/management_<YYYY-MM>_<locale>.{html,pdf}`.

    Returns {"html": path, "pdf": path}. Raises ValueError on bad input and
    reports.render.RenderError (MissingGlyphError, ResourceRefusedError) when the PDF cannot be
    rendered as required; in both cases nothing is written.
    """
    return publish(management_html(data, locale), Path(output_dir), PACK, data.month, locale)
