"""Reporting-month arithmetic: months are keyed by their first day everywhere in riskpack."""

from datetime import date


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (or before) `month`'s month."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)
