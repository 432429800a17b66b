"""The portfolio and concentration chapter of the management pack (reports.md: portfolio and
concentration by product, risk grade and region).

What the committee asks of the book's make-up: which products carry the balance and how their
shares moved since last month, how the balance spreads over the risk grades and how delinquent each
grade is, and whether a few regions hold too much of it (the ten largest regions, the rest in one
row). A region holding more than CONCENTRATION_LIMIT of the balance is called out.

Input is mart.concentration as the orchestration layer reads it, already aggregated (the month
and the month before); the chapter shows product `all`. A frame with an identifier column is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl
from markupsafe import Markup

from reports import charts, formatting
from reports.i18n import NO_REGION, label, month_label, product_label, region_label
from reports.render import check_frame
from transforms.months import add_months
from transforms.states import ALL_PRODUCTS, PRODUCTS

COLUMNS = ("month", "product", "dimension", "segment", "accounts", "balance", "balance_share", "dq30_balance",
           "dq30_rate")
DIMENSIONS = ("product", "risk_grade", "region")
GRADES = ("A", "B", "C", "D", "E")
TOP_REGIONS = 10              # regions listed one by one; the rest are summed into one row
CONCENTRATION_LIMIT = 0.25    # a region above this share of the balance is called out


@dataclass(frozen=True)
class ConcentrationInput:
    concentration: pl.DataFrame  # mart.concentration of the month and the month before (every product × dimension)


def check_concentration(data: ConcentrationInput, identifying: Iterable[str]) -> None:
    """Fails early, naming the frame and column, as the pack does for its other frames."""
    check_frame("concentration.concentration", data.concentration, COLUMNS, identifying)


def _rate(part: Decimal, whole: Decimal) -> float | None:
    return float(part / whole) if whole else None


def _summed(rows: list[dict], **extra) -> dict:
    """Accounts, balance and 30+ balance summed; the share as the sum of the shares shown, the rate recomputed."""
    balance = sum((r["balance"] for r in rows), Decimal(0))
    dq30 = sum((r["dq30_balance"] for r in rows), Decimal(0))
    shares = [r["balance_share"] for r in rows if r["balance_share"] is not None]
    return {"accounts": sum(r["accounts"] for r in rows), "balance": balance, "dq30_balance": dq30,
            "balance_share": sum(shares) if shares else None, "dq30_rate": _rate(dq30, balance), **extra}


def _rows(frame: pl.DataFrame, month: date, dimension: str) -> list[dict]:
    return frame.filter((pl.col("month") == month) & (pl.col("product") == ALL_PRODUCTS)
                        & (pl.col("dimension") == dimension)).to_dicts()


def product_rows(frame: pl.DataFrame, month: date, locale: str) -> list[dict]:
    """Each product's balance and share with the change in share since the month before; the total last."""
    rows = {r["segment"]: r for r in _rows(frame, month, "product") if r["segment"] != ALL_PRODUCTS}
    prior = {r["segment"]: r["balance_share"] for r in _rows(frame, add_months(month, -1), "product")}
    known = [p for p in PRODUCTS if p in rows]
    order = known + sorted(set(rows) - set(known))
    out = []
    for p in order:
        share, before = rows[p]["balance_share"], prior.get(p)
        change = None if share is None or before is None else share - before
        out.append({**rows[p], "label": product_label(p, locale), "share_change": change, "is_total": False})
    if out:
        out.append(_summed([rows[p] for p in order], label=product_label(ALL_PRODUCTS, locale), share_change=None,
                           is_total=True))
    return out


def grade_rows(frame: pl.DataFrame, month: date) -> list[dict]:
    """Grades A–E in order (any other grade after them, alphabetically), then the total."""
    rows = {r["segment"]: r for r in _rows(frame, month, "risk_grade")}
    order = [g for g in GRADES if g in rows] + sorted(set(rows) - set(GRADES))
    out = [{**rows[g], "label": g, "is_total": False} for g in order]
    if out:
        out.append(_summed([rows[g] for g in order], label=None, is_total=True))
    return out


def region_rows(frame: pl.DataFrame, month: date, locale: str) -> list[dict]:
    """The TOP_REGIONS largest regions by balance, one row for the other regions, one for accounts with no
    region recorded (when there are any), then the total. Each row has a `kind`: region, other, none, total."""
    rows = _rows(frame, month, "region")
    named = sorted((r for r in rows if r["segment"] != NO_REGION), key=lambda r: (-r["balance"], r["segment"]))
    top, rest = named[:TOP_REGIONS], named[TOP_REGIONS:]
    out = [{**r, "label": region_label(r["segment"], locale), "kind": "region"} for r in top]
    if rest:
        out.append(_summed(rest, label=label(locale, "conc.other_regions", count=len(rest)), kind="other"))
    unknown = [r for r in rows if r["segment"] == NO_REGION]
    if unknown:
        out.append(_summed(unknown, label=label(locale, "conc.region_none"), kind="none"))
    if rows:
        out.append(_summed(rows, label=label(locale, "conc.total"), kind="total"))
    return out


def grade_chart(grades: list[dict], locale: str, decimals: int) -> Markup | None:
    shown = [r for r in grades if not r["is_total"]]
    if not shown:
        return None
    return Markup(charts.share_bars_by_rate(
        "concentration-grades", [label(locale, "conc.grade_tick", grade=r["label"]) for r in shown],
        [r["balance_share"] for r in shown], [r["dq30_rate"] for r in shown],
        [label(locale, "conc.bar_label", share=formatting.percent(r["balance_share"], locale, decimals),
               rate=formatting.percent(r["dq30_rate"], locale, decimals)) for r in shown],
        label(locale, "conc.share_axis"), label(locale, "conc.rate_axis"), label(locale, "conc.grade_chart_alt")))


def concentration_sentences(grades: list[dict], regions: list[dict], locale: str, currency: str,
                            decimals: int) -> list[dict]:
    """The largest region's share (and the top ten's), the grade with the highest 30+ rate, and a warning when
    one region holds more than CONCENTRATION_LIMIT of the balance. Each is {"text", "warning"}."""
    pct = lambda v: formatting.percent(v, locale, decimals)
    out = []
    named = [r for r in regions if r["kind"] == "region" and r["balance_share"] is not None]
    if named:
        top = named[0]
        top_share = sum(r["balance_share"] for r in named)
        # every region named and every account placed: "the 8 largest together hold 100%" says nothing
        whole = not any(r["kind"] in ("other", "none") for r in regions)
        out.append({"text": label(locale, "conc.sentence_region_all" if whole else "conc.sentence_region",
                                  region=top["label"], share=pct(top["balance_share"]),
                                  amount=formatting.money(top["balance"], locale, currency), count=len(named),
                                  top_share=pct(top_share)),
                    "warning": False})
    rated = [r for r in grades if not r["is_total"] and r["dq30_rate"] is not None]
    worst = max(rated, key=lambda r: r["dq30_rate"], default=None)
    if worst is not None and worst["dq30_rate"] > 0:
        out.append({"text": label(locale, "conc.sentence_grade", grade=worst["label"], rate=pct(worst["dq30_rate"]),
                                  share=pct(worst["balance_share"])),
                    "warning": False})
    elif worst is not None:  # "grade A has the highest rate, 0.00%" would single out a grade for nothing
        out.append({"text": label(locale, "conc.sentence_grade_none"), "warning": False})
    over = [r for r in named if r["balance_share"] > CONCENTRATION_LIMIT]
    for r in over:
        out.append({"text": label(locale, "conc.sentence_warning", region=r["label"], share=pct(r["balance_share"]),
                                  limit=formatting.percent(CONCENTRATION_LIMIT, locale, 0)),
                    "warning": True})
    return out


def concentration_context(data: ConcentrationInput, month: date, locale: str, currency: str,
                          decimals: int) -> dict:
    frame = data.concentration
    products = product_rows(frame, month, locale)
    grades = grade_rows(frame, month)
    regions = region_rows(frame, month, locale)
    return {
        "sentences": concentration_sentences(grades, regions, locale, currency, decimals),
        "products": products,
        "grades": grades,
        "regions": regions,
        "chart": grade_chart(grades, locale, decimals),
        "prior_month": month_label(add_months(month, -1), locale),
        "top_regions": TOP_REGIONS,
        "every_region_listed": not any(r["kind"] == "other" for r in regions),
        "empty": not (products or grades or regions),
    }
