"""Monthly partitions and the month-to-month dependencies declared to Dagster.

Declaring that a month reads earlier months (the load reads m−1's snapshot, the delinquency
mart m−1's receivables, the pack 13 months of trend) is what lets a UI backfill of any range
compute the same numbers as running the months one by one.
"""

from __future__ import annotations

from datetime import date, datetime

from dagster import MonthlyPartitionsDefinition, TimeWindowPartitionMapping

from orchestration.config import load_settings


def monthly_partitions(first_month: date) -> MonthlyPartitionsDefinition:
    # end_offset=1: the current month is a partition too (month-to-date extracts).
    return MonthlyPartitionsDefinition(start_date=first_month.isoformat(), end_offset=1)


MONTHLY = monthly_partitions(load_settings().first_month)

PREVIOUS_MONTH = TimeWindowPartitionMapping(start_offset=-1, end_offset=-1, allow_nonexistent_upstream_partitions=True)
THIS_AND_PREVIOUS_MONTH = TimeWindowPartitionMapping(start_offset=-1, end_offset=0,
                                                     allow_nonexistent_upstream_partitions=True)
TREND_WINDOW = TimeWindowPartitionMapping(start_offset=-12, end_offset=0, allow_nonexistent_upstream_partitions=True)


def partition_month(key: str) -> date:
    return datetime.strptime(key, "%Y-%m-%d").date()


def partition_key(month: date) -> str:
    return month.strftime("%Y-%m-%d")
