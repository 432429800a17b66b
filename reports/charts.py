"""Small matplotlib charts returned as SVG text to inline in a pack.

Why SVG with text left as text (`svg.fonttype = none`): the chart scales without blur, its
words are selectable and translated like the rest of the page, and they go through the same
fonts and the same missing-glyph check as the body text. Why the fixed hash salt and the id
prefix: matplotlib's ids are content hashes plus a salt, and several charts inline in one
HTML file must neither change between runs nor collide with one another.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")  # no display, no GUI toolkit; must precede pyplot

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, PercentFormatter  # noqa: E402

WIDTH_IN = 7.0  # the A4 text width (180 mm) less a little: charts print at 1:1
FONT_FAMILY = ["Noto Sans CJK SC", "DejaVu Sans"]
LINE_COLOURS = ["#e0a100", "#d9541e", "#8c1c13", "#3b6ea5", "#5a8f29"]
INK = "#222222"
GRID = "#d8d8d8"


def _rc(chart_id: str) -> dict[str, object]:
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": f"riskpack-{chart_id}",
        "font.family": FONT_FAMILY,
        "font.size": 8,
        "axes.edgecolor": "#888888",
        "axes.labelcolor": INK,
        "axes.titlesize": 9,
        "xtick.color": INK,
        "ytick.color": INK,
        "legend.fontsize": 8,
        "legend.frameon": False,
        "path.simplify": False,
        "text.parse_math": False,  # labels are plain text: a "$" in a name is not mathtext
    }


def _to_svg(fig: plt.Figure, chart_id: str, alt: str) -> str:
    """The figure as an inline <svg> element: no XML prolog, metadata or namespace URLs, ids prefixed."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg, count=0)
    svg = re.sub(r'\s+version="1\.1"', "", svg, count=1)
    # matplotlib's <style> holds a `*` rule that would apply to the whole HTML page: drop it and
    # put its two defaults on the root, where SVG inheritance carries them to every shape
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.S)
    svg = svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    svg = re.sub(r'\sstyle="([^"]*)"', _presentation_attributes, svg)
    prefix = re.sub(r"[^a-z0-9-]", "-", chart_id.lower())
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    attributes = f'role="img" aria-label="{html.escape(alt, quote=True)}" class="chart" id="{prefix}"'
    return svg.replace("<svg ", f"<svg {attributes} ", 1)


def _presentation_attributes(match: re.Match) -> str:
    """`style="fill: #fff; stroke: none"` → ` fill="#fff" stroke="none"`.

    Same rendering, but WeasyPrint's HTML style machinery no longer sees (and warns about)
    SVG-only properties on every chart element.
    """
    declarations = (d.split(":", 1) for d in match.group(1).split(";") if ":" in d)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in declarations)


def _style_axes(ax: plt.Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(length=3, width=0.6)


def _legend(ax: plt.Axes) -> None:
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), ncols=1, handlelength=1.6,
              borderaxespad=0.5)


def rate_lines(chart_id: str, months: Sequence[str], series: Mapping[str, Sequence[float | None]],
               y_label: str, alt: str, decimals: int = 1) -> str:
    """Lines of rates (0.031 = 3.1 %) over months; a missing value leaves a gap, not a zero."""
    with matplotlib.rc_context(_rc(chart_id)):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.3), layout="constrained")
        x = list(range(len(months)))
        for (name, values), colour in zip(series.items(), LINE_COLOURS):
            y = [float("nan") if v is None else v for v in values]
            ax.plot(x, y, label=name, color=colour, linewidth=1.6, marker="o", markersize=3)
        ax.set_xticks(x, months)
        ax.set_xlim(-0.5, len(months) - 0.5)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=decimals))
        ax.set_ylabel(y_label)
        _style_axes(ax)
        _legend(ax)
        return _to_svg(fig, chart_id, alt)


def scale_exponent(max_value: float) -> int:
    """0, 3 or 6: the power of ten that keeps tick labels to a few digits."""
    if max_value >= 1e6:
        return 6
    if max_value >= 1e3:
        return 3
    return 0


def _tick(value: float) -> str:
    decimals = 0 if float(value).is_integer() else 1
    return f"{value:,.{decimals}f}"


def stacked_bars(chart_id: str, months: Sequence[str], stacks: Mapping[str, Sequence[float]],
                 colours: Sequence[str], y_labels: Mapping[int, str], alt: str) -> str:
    """Bars of amounts over months, stacked in the order given (bottom first).

    Amounts are divided by 1, 10^3 or 10^6 to keep ticks short; `y_labels` gives the axis
    label for each exponent (e.g. {0: "Balance (CNY)", 3: "… (CNY thousand)", 6: …}).
    """
    with matplotlib.rc_context(_rc(chart_id)):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.4), layout="constrained")
        x = list(range(len(months)))
        totals = [sum(values[i] for values in stacks.values()) for i in x]
        exponent = scale_exponent(max(totals, default=0.0))
        bottom = [0.0] * len(months)
        for (name, values), colour in zip(stacks.items(), colours):
            heights = [v / 10**exponent for v in values]
            ax.bar(x, heights, bottom=bottom, label=name, color=colour, width=0.7, linewidth=0)
            bottom = [b + h for b, h in zip(bottom, heights)]
        ax.set_xticks(x, months)
        ax.set_xlim(-0.6, len(months) - 0.4)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(v)))
        ax.set_ylabel(y_labels[exponent])
        _style_axes(ax)
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.0, 1.0),
                  handlelength=1.2, borderaxespad=0.5)
        return _to_svg(fig, chart_id, alt)


def state_colours(count: int) -> list[str]:
    """A sequential yellow-to-dark-red ramp: worse buckets read darker."""
    cmap = matplotlib.colormaps["YlOrRd"]
    if count <= 1:
        return [matplotlib.colors.to_hex(cmap(0.6))]
    return [matplotlib.colors.to_hex(cmap(0.25 + 0.7 * i / (count - 1))) for i in range(count)]
