"""Locale number formatting, used as Jinja2 filters.

Why here and not in templates: every number of every pack goes through these few functions,
so rounding (half-up, on exact decimals), separators and the "n/a" of a missing value are the
same everywhere and are tested once. Missing values (None, NaN) print as the locale's "n/a",
never as "None", "nan" or 0.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from reports.i18n import counted, label

CURRENCY_SYMBOLS = {"zh-CN": {"CNY": "¥"}}


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _grouped(value: object, decimals: int) -> str:
    """`1234567.891` → `1,234,567.89` (half-up); both locales group by thousands with `,` and `.`."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = _decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0.00"
    return f"{rounded:,.{decimals}f}"


def number(value: object, locale: str, decimals: int = 0) -> str:
    return label(locale, "na") if is_missing(value) else _grouped(value, decimals)


def accounts(count: int, locale: str) -> str:
    """`1 account`, `1,204 accounts`, `1,204 个账户`: a count of accounts for a sentence."""
    return counted(count, "account", locale, number(count, locale))


def months(count: int, locale: str) -> str:
    """`1 month`, `3 months`, `3 个月`: a count of months for a sentence."""
    return counted(count, "month", locale)


def percent(value: object, locale: str, decimals: int = 2) -> str:
    """A ratio (0.031) as a percentage (`3.10%`)."""
    return label(locale, "na") if is_missing(value) else f"{_grouped(_decimal(value) * 100, decimals)}%"


def money(value: object, locale: str, currency: str, decimals: int = 2) -> str:
    """`CNY 1,234.50` in English; `¥1,234.50` in Chinese for CNY, the ISO code otherwise."""
    if is_missing(value):
        return label(locale, "na")
    text = _grouped(value, decimals)
    symbol = CURRENCY_SYMBOLS.get(locale, {}).get(currency)
    if symbol:
        return f"-{symbol}{text[1:]}" if text.startswith("-") else f"{symbol}{text}"
    return f"{currency} {text}"


def _with_sign(body: str) -> str:
    return body if body.startswith("-") or _decimal(body.replace(",", "")) == 0 else f"+{body}"


def change_pp(value: object, locale: str, decimals: int = 2) -> str:
    """A change of a rate in percentage points: 0.004 → `+0.40 pp`."""
    if is_missing(value):
        return label(locale, "na")
    body = _with_sign(_grouped(_decimal(value) * 100, decimals))
    return f"{body} {label(locale, 'pp')}" if locale == "en" else f"{body}{label(locale, 'pp')}"


def change_percent(value: object, locale: str, decimals: int = 1) -> str:
    """A relative change: 0.0523 → `+5.2%`."""
    if is_missing(value):
        return label(locale, "na")
    return f"{_with_sign(_grouped(_decimal(value) * 100, decimals))}%"
