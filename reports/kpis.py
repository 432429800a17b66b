"""Key indicators with their changes, and the sentences of the executive summary.

Pure functions on the `mart.delinquency` frame, apart from the templates so the arithmetic
is tested on hand-computed numbers. Conventions: a rate's change is a difference (printed in
percentage points); an amount's or count's change is relative; a change against a month that
is not in the data is None ("n/a"), never 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl

from transforms.months import add_months
from transforms.states import ALL_PRODUCTS

RATE, MONEY, COUNT = "rate", "money", "count"
TREND_MONTHS = 13  # months every trend of a pack shows: the month and the 12 before it
KPI_COLUMNS: tuple[tuple[str, str], ...] = (
    ("receivable_balance", MONEY),
    ("accounts_on_book", COUNT),
    ("dq30_rate", RATE),
    ("dq90_rate", RATE),
    ("gross_charge_offs", MONEY),
    ("recoveries", MONEY),
    ("nco_rate", RATE),
)


@dataclass(frozen=True)
class Kpi:
    key: str            # the mart column, also the label key `kpi.<key>`
    kind: str           # RATE, MONEY or COUNT
    value: object       # this month
    prior: object       # m−1, None when m−1 is not in the data
    change: object      # vs m−1: difference for rates, relative for amounts and counts
    year_ago: object    # m−12
    change_year: object


def _row(delinquency: pl.DataFrame, month: date, product: str) -> dict | None:
    rows = delinquency.filter((pl.col("month") == month) & (pl.col("product") == product)).to_dicts()
    if len(rows) > 1:
        raise ValueError(f"delinquency holds {len(rows)} rows for {month:%Y-%m} / {product!r}; expected one")
    return rows[0] if rows else None


def change(kind: str, value: object, prior: object) -> object:
    """Difference for rates, relative change otherwise; None when either side is missing
    or the relative base is zero."""
    if value is None or prior is None:
        return None
    if kind == RATE:
        return value - prior
    if prior == 0:
        return None
    return (Decimal(value) - Decimal(prior)) / Decimal(prior)


def kpis(delinquency: pl.DataFrame, month: date, product: str = ALL_PRODUCTS) -> list[Kpi]:
    current = _row(delinquency, month, product)
    if current is None:
        raise ValueError(f"delinquency has no row for {month:%Y-%m} / {product!r}: nothing to report")
    prior = _row(delinquency, add_months(month, -1), product) or {}
    year_ago = _row(delinquency, add_months(month, -12), product) or {}
    out = []
    for key, kind in KPI_COLUMNS:
        value = current[key]
        out.append(Kpi(key, kind, value, prior.get(key), change(kind, value, prior.get(key)),
                       year_ago.get(key), change(kind, value, year_ago.get(key))))
    return out


@dataclass(frozen=True)
class Contribution:
    product: str
    contribution: float   # this product's part of the change of the all-product rate
    rate_change: float | None


def dq_contributions(delinquency: pl.DataFrame, month: date, threshold: int,
                     products: Sequence[str]) -> list[Contribution]:
    """Split the change of the all-product dq rate into exact per-product parts.

    The all-product rate is Σ_p B_p / R (B_p: product p's dq balance, R: all receivable), so
    its change is Σ_p (B_p(m)/R(m) − B_p(m−1)/R(m−1)) with nothing left over. Empty when m−1
    is missing.
    """
    prior_month = add_months(month, -1)
    total_now, total_before = _row(delinquency, month, ALL_PRODUCTS), _row(delinquency, prior_month, ALL_PRODUCTS)
    if not total_now or not total_before or not total_now["receivable_balance"] or not total_before["receivable_balance"]:
        return []
    out = []
    for product in products:
        now, before = _row(delinquency, month, product), _row(delinquency, prior_month, product)
        if not now or not before:
            continue
        part_now = now[f"dq{threshold}_balance"] / total_now["receivable_balance"]
        part_before = before[f"dq{threshold}_balance"] / total_before["receivable_balance"]
        out.append(Contribution(product, float(part_now - part_before),
                                change(RATE, now[f"dq{threshold}_rate"], before[f"dq{threshold}_rate"])))
    return out


def main_driver(contributions: Sequence[Contribution], total_change: float) -> Contribution | None:
    """The product that moved the rate most in the direction it moved; None for one product or no move."""
    same_way = [c for c in contributions if c.contribution * total_change > 0]
    if len(contributions) < 2 or not same_way or total_change == 0:
        return None
    return max(same_way, key=lambda c: abs(c.contribution))
