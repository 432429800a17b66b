"""The roll-rate section on a small hand-made month: matrix, rates, flows, projection, sentences."""

from datetime import date

import polars as pl
import pytest

from reports.roll_rates_section import (
    RollRateInput,
    biggest_move,
    heat,
    roll_rate_context,
)
from tests.frames import snapshot as snap
from transforms.roll_rates import (
    flow_rates,
    markov_projection,
    pooled_matrix,
    roll_summary,
    transitions,
)

EDGES = (0, 1, 30, 60, 90, 120, 150, 180)
APR, MAY = date(2024, 4, 1), date(2024, 5, 1)
MONEY = pl.Decimal(18, 2)




MARCH = snap([("a", "revolving", "current", True, "100"), ("b", "revolving", "current", True, "100"),
              ("c", "revolving", "dpd_1_29", True, "100"), ("d", "installment", "dpd_1_29", True, "100")])
APRIL = snap([("a", "revolving", "current", True, "100"), ("b", "revolving", "current", True, "100"),
              ("c", "revolving", "current", True, "100"), ("d", "installment", "dpd_30_59", True, "100")])
MAY_BOOK = snap([("a", "revolving", "dpd_1_29", True, "100"), ("b", "revolving", "current", True, "100"),
                 ("c", "revolving", "current", True, "100"), ("d", "installment", "dpd_60_89", True, "100")])


@pytest.fixture
def data():
    april, may = transitions(MARCH, APRIL, APR, EDGES), transitions(APRIL, MAY_BOOK, MAY, EDGES)
    summary = pl.concat([roll_summary(april, EDGES, 180), roll_summary(may, EDGES, 180)])
    no_charge_offs = pl.DataFrame(schema={"product": pl.String, "amount": MONEY})
    pooled = pooled_matrix(pl.concat([april, may]), MAY, 6)
    projection, _ = markov_projection(pooled, MAY_BOOK, MAY, EDGES, 12)
    return RollRateInput(may, summary, flow_rates(APRIL, MAY_BOOK, no_charge_offs, MAY, EDGES, 180), projection)


def test_context_by_hand(data):
    context = roll_rate_context(data, MAY, "en", "CNY", 2)
    matrix = context["account_matrix"]
    # May's population: a, b, c current in April (3), d at 30–59 (1); empty rows and columns left out
    assert [r["accounts"] for r in matrix["rows"]] == [3, 1]
    current_row = matrix["rows"][0]
    rates = {column: cell["rate"] for column, cell in zip(matrix["columns"], current_row["cells"])}
    assert sorted(v for v in rates.values() if v) == pytest.approx([1 / 3, 2 / 3])
    buckets = {r["from_state"]: r for r in context["bucket_rates"]}
    # current → worse: 0 of 3 in April (a, b stay; c was not current), 1 of 3 in May (a)
    assert buckets["current"]["roll_forward_rate"] == pytest.approx(1 / 3)
    assert buckets["current"]["roll_change"] == pytest.approx(1 / 3)
    assert buckets["dpd_30_59"]["roll_forward_rate"] == 1.0
    assert context["sentences"] == ["The roll-forward rate of Current rose 33.33 pp to 33.33%, the largest move of "
                                    "any bucket."]
    assert roll_rate_context(data, MAY, "zh-CN", "CNY", 2)["sentences"] == [
        "正常的恶化率上升 33.33个百分点，至 33.33%，为各逾期档中变动最大。"]  # numbers a space apart, as elsewhere
    # a cure is 回正 (as in the overdue chapter); 回收 is what comes back after a charge-off, in the same pack
    chinese = roll_rate_context(data, MAY, "zh-CN", "CNY", 2)["trend_chart"]
    assert "回正率" in chinese and "回收" not in chinese
    assert context["flows"]["links"][0]["flow_rate"] == pytest.approx(100 / 300)
    assert context["projection"]["months"] == 12
    assert 'class="chart"' in context["trend_chart"] and 'class="chart"' in context["projection"]["chart"]
    assert ">Months ahead</text>" in context["projection"]["chart"]  # bars 1 … 12 say what they count


def test_biggest_move_picks_the_largest_absolute_change():
    rows = [{"state": "a", "roll_change": 0.01}, {"state": "b", "roll_change": -0.05}, {"state": "c", "roll_change": None}]
    assert biggest_move(rows)["state"] == "b"
    assert biggest_move([{"state": "x", "roll_change": None}]) is None


def test_heat_scales_with_the_share():
    assert heat(None)["background"] == "#ffffff" and heat(0.0)["background"] == "#ffffff"
    assert heat(0.9)["color"] == "#ffffff" and heat(0.05)["color"] == "#222222"
    assert heat(0.2)["background"] != heat(0.8)["background"]


def test_first_month_without_transitions_builds_no_charts(data):
    empty = RollRateInput(data.roll_rates.clear(), data.roll_summary.clear(), data.flow_rates.clear(),
                          data.projection)
    assert roll_rate_context(empty, MAY, "en", "CNY", 2) == {"has_transitions": False}
