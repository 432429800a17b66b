"""Chart margins: every label, tick and legend inside the figure, `PAD_IN` from its edges."""

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
