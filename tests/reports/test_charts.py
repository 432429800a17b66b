"""Chart margins (every label, tick and legend inside the figure, `PAD_IN` from its edges) and limits."""

import re

import matplotlib.pyplot as plt
import pytest
from matplotlib.transforms import Bbox

from reports import charts


def _outer(fig: plt.Figure) -> Bbox:
    renderer = fig.canvas.get_renderer()
    return Bbox.union([ax.get_tightbbox(renderer) for ax in fig.axes])


def test_fit_holds_labels_and_an_outside_legend_on_both_axes():
    fig, ax = plt.subplots(figsize=(charts.WIDTH_IN, 2.3))
    ax.plot(range(13), [i * 12_345.0 for i in range(13)], label="a rather long legend entry, in full")
    ax.set_xticks(range(13), [f"2026-{m:02d}" for m in range(1, 14)])
    ax.set_ylabel("Balance (CNY thousand)")
    right = ax.twinx()
    right.plot(range(13), [i / 100 for i in range(13)])
    right.set_ylabel("Coverage")
    ax.legend(loc="upper left", bbox_to_anchor=(1.12, 1.0))
    width, height = fig.bbox.width, fig.bbox.height
    assert _outer(fig).x1 > width   # as drawn, the legend would be cut off at the right edge

    charts._fit(fig)
    outer, pad = _outer(fig), charts.PAD_IN * fig.dpi
    assert (fig.get_figwidth(), fig.get_figheight()) == (charts.WIDTH_IN, 2.3)   # prints at 1:1
    for edge, expected in ((outer.x0, pad), (outer.x1, width - pad), (outer.y0, pad), (outer.y1, height - pad)):
        assert edge == pytest.approx(expected, abs=1.0)   # within a pixel, on every side
    plt.close(fig)


def _extent(path: str) -> tuple[float, float]:
    """A path's top and bottom in SVG units (y grows downwards)."""
    ys = [float(y) for y in re.findall(r"[ML] [\d.]+ ([\d.]+)", path)]
    return min(ys), max(ys)


STACKS_WITH_AN_EMPTY_TOP = {
    # the 180+ layer is empty in the demo book (charged off at 180): its tallest stack reached the frame
    "stacked_bars": lambda: charts.stacked_bars(
        "chart", ["09", "10"], {"1-29": [30.0, 10.0], "30-59": [21.5, 5.0], "180+": [0.0, 0.0]},
        ["#fed976", "#fd8d3c", "#bd0026"], {0: "Balance", 3: "Balance (thousand)", 6: "Balance (million)"}, "alt"),
    # the oldest cohort: the largest loss to date, nothing left to project
    "lifetime_bars": lambda: charts.lifetime_bars(
        "chart", ["2024-01", "2026-01"], [0.04, 0.01], [0.0, 0.012], ["chain_ladder", "chain_ladder"],
        {"to_date": "To date", "chain_ladder": "Projected"}, "Loss rate", "alt"),
    # no fee posted in the bucket with the most penalty interest
    "cost_by_bucket": lambda: charts.cost_by_bucket(
        "chart", ["1-29", "30-59"], [5_000.0, 2_000.0], [0.0, 1_000.0], [0.01, 0.02],
        ("Penalty interest", "Late fees", "Unpaid fees"), {0: "CNY", 3: "CNY thousand", 6: "CNY million"},
        "Share", "alt"),
}


@pytest.mark.parametrize("chart", STACKS_WITH_AN_EMPTY_TOP)
def test_stacked_bars_leave_headroom_above_the_tallest_stack_when_its_top_layer_is_empty(chart):
    svg = STACKS_WITH_AN_EMPTY_TOP[chart]()
    clip = re.search(r'<clipPath id="[^"]+">\s*<rect x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)"', svg)
    area_top, height = map(float, clip.groups())   # the plot area, to which every bar is clipped
    area_bottom = area_top + height
    bars = [_extent(d) for d in re.findall(r'<path d="([^"]+)"\s+clip-path="[^"]+"\s+fill="#', svg)]
    tallest, lowest = min(top for top, _ in bars), max(bottom for _, bottom in bars)
    assert lowest == pytest.approx(area_bottom)   # the axis still starts at zero
    assert tallest - area_top > 0.03 * (area_bottom - area_top)


def test_groups_that_carry_only_an_id_give_way_to_their_children():
    svg = ('<svg><g id="figure_1">\n <g id="patch_1">\n  <path d="M 0 0"/>\n </g>\n'
           ' <g clip-path="url(#p1)">\n  <g id="text_1">\n   <text x="1">a</text>\n  </g>\n </g>\n'
           ' <g id="line2d_9"/>\n <g>\n  <use x="2"/>\n </g>\n</g>\n</svg>')
    assert charts._unwrap_plain_groups(svg) == (
        '<svg>\n  <path d="M 0 0"/>\n <g clip-path="url(#p1)">\n   <text x="1">a</text>\n </g>\n'
        '  <use x="2"/>\n</svg>')


def test_a_chart_keeps_only_the_groups_that_style_what_they_hold():
    svg = charts.cost_by_bucket(
        "chart", ["1-29", "30-59"], [5_000.0, 2_000.0], [1_000.0, 1_000.0], [0.01, 0.02],
        ("Penalty interest", "Late fees", "Unpaid fees"), {0: "CNY", 3: "CNY thousand", 6: "CNY million"},
        "Share", "alt")
    groups = re.findall(r"<g\b[^>]*>", svg)
    assert groups and all(re.search(r'\s(?!id=)[\w-]+="', tag) for tag in groups)
    assert svg.count("<g") == svg.count("</g>") + sum(tag.endswith("/>") for tag in groups)
