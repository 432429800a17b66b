"""How a range of months is cut into the blocks early warning works out together."""

from datetime import date

import pytest

from orchestration.assets.early_warning import block_tables, month_blocks


def test_consecutive_months_in_blocks_of_at_most_the_size():
    months = [date(2024, m, 1) for m in range(1, 8)]
    assert month_blocks(months, 3) == [months[0:3], months[3:6], months[6:7]]
    assert month_blocks(months, 1) == [[m] for m in months]


def test_a_gap_or_a_year_end_and_any_order():
    dec, jan, feb, may = date(2023, 12, 1), date(2024, 1, 1), date(2024, 2, 1), date(2024, 5, 1)
    assert month_blocks([may, jan, dec, feb], 3) == [[dec, jan, feb], [may]]
    assert month_blocks([], 3) == []


def test_a_block_longer_than_the_horizon_or_with_a_gap_is_refused(settings):
    horizon = settings.early_warning[1].horizon
    with pytest.raises(ValueError, match="consecutive months"):
        block_tables(settings, None, [date(2024, m, 1) for m in range(1, horizon + 2)])
    with pytest.raises(ValueError, match="consecutive months"):
        block_tables(settings, None, [date(2024, 1, 1), date(2024, 3, 1)])
