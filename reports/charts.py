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
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display, no GUI toolkit; must precede pyplot

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter, PercentFormatter  # noqa: E402
from matplotlib.transforms import Bbox, ScaledTranslation  # noqa: E402

WIDTH_IN = 7.0  # the A4 text width (180 mm) less a little: charts print at 1:1
FONT_FAMILY = ["Noto Sans CJK SC", "DejaVu Sans"]
LINE_COLOURS = ["#e0a100", "#d9541e", "#8c1c13", "#3b6ea5", "#5a8f29"]
INK = "#222222"
GRID = "#d8d8d8"
PAD_IN = 3 / 72  # space between a chart's outermost label and its edge (constrained layout's default)
TITLE_RISE_IN = 5 / 72  # space between a y axis' top end and its title
# a group's tag: `attributes` when it has any, `closed` when it is empty (`<g …/>`); or its end tag
_GROUP_TAG = re.compile(r'<g(?P<attributes>\s[^>]*?)?\s*(?P<closed>/)?>|</g>')
_ONLY_AN_ID = re.compile(r'\s+id="[^"]*"')


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


def _fit(fig: plt.Figure) -> None:
    """Margins that just hold every axis' labels, ticks and legends, `PAD_IN` from the edge.

    What constrained layout gives these one-panel charts, measured in cheap raster passes instead
    of its three full passes (half of a chart's drawing time). Repeated until the margins settle
    (twice as a rule; a legend anchored beyond the axes moves with their width): narrower axes
    can take other tick labels.
    """
    renderer = fig.canvas.get_renderer()
    to_figure = fig.transFigure.inverted()
    pad_x, pad_y = PAD_IN / fig.get_figwidth(), PAD_IN / fig.get_figheight()
    margins: tuple[float, ...] = ()
    for _ in range(5):
        inner = Bbox.union([ax.get_position() for ax in fig.axes])
        outer = Bbox.union([ax.get_tightbbox(renderer) for ax in fig.axes]).transformed(to_figure)
        settled = margins
        margins = (pad_x + inner.x0 - outer.x0, pad_y + inner.y0 - outer.y0,         # left, bottom,
                   1 - pad_x - (outer.x1 - inner.x1), 1 - pad_y - (outer.y1 - inner.y1))  # right, top
        if settled and max(abs(a - b) for a, b in zip(margins, settled)) < 1e-4:
            return
        fig.subplots_adjust(*margins)


def _to_svg(fig: plt.Figure, chart_id: str, alt: str) -> str:
    """The figure as an inline <svg> element: no XML prolog, metadata or namespace URLs, ids prefixed."""
    _fit(fig)
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
    svg = _unwrap_plain_groups(svg)
    prefix = re.sub(r"[^a-z0-9-]", "-", chart_id.lower())
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    attributes = f'role="img" aria-label="{html.escape(alt, quote=True)}" class="chart" id="{prefix}"'
    return svg.replace("<svg ", f"<svg {attributes} ", 1)


def _unwrap_plain_groups(svg: str) -> str:
    """The children of every `<g>` that carries nothing but an id, in its place.

    matplotlib wraps each tick, tick mark and label in such groups: more than half of a chart's
    elements, which style nothing and which WeasyPrint parses, cascades and draws one by one (a
    tenth of a management pack's layout and painting). A group with any other attribute (a
    transform, a clip, a colour) stays. Tags found by a pattern, not a parser: matplotlib escapes
    `<` in text and attribute values, so every `<g` and `</g>` is a tag.
    """
    pieces: list[str] = []
    kept: list[bool] = []
    start = 0
    for tag in _GROUP_TAG.finditer(svg):
        if tag.group(0) == "</g>":
            keep = kept.pop()
        else:
            attributes = tag.group("attributes")
            keep = attributes is not None and not _ONLY_AN_ID.fullmatch(attributes)
            if not tag.group("closed"):
                kept.append(keep)
        before = svg[start:tag.start()]
        pieces.append(before + tag.group(0) if keep else before.rstrip(" \n"))
        start = tag.end()
    return "".join(pieces) + svg[start:]


def _presentation_attributes(match: re.Match) -> str:
    """`style="fill: #fff; stroke: none"` → ` fill="#fff" stroke="none"`.

    Same rendering, but WeasyPrint's HTML style machinery no longer sees (and warns about)
    SVG-only properties on every chart element.
    """
    declarations = (d.split(":", 1) for d in match.group(1).split(";") if ":" in d)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in declarations)


def _layer(ax: plt.Axes, x: Sequence[float], heights: Sequence[float], bottom: Sequence[float], **style):
    """Bars stacked on `bottom`, the axis held to zero only.

    matplotlib holds an axis to each bar's base: a layer of zeros on top of the tallest stack (no
    balance at 180+ DPD, no fee posted) would end the axis flush with that stack's top."""
    bars = ax.bar(x, heights, bottom=bottom, **style)
    for bar in bars:
        bar.sticky_edges.y[:] = [0.0]
    return bars


def _y_title(ax: plt.Axes, text: str) -> None:
    """The y axis' title level, just above the axis' top end, over the plot (a right-hand axis' title
    ends at its right edge): Chinese set on its side does not read, and no reader has to turn the page."""
    right = ax.yaxis.get_label_position() == "right"
    ax.set_ylabel(text, rotation=0, ha="right" if right else "left", va="bottom")
    rise = ScaledTranslation(0, TITLE_RISE_IN, ax.figure.dpi_scale_trans)
    ax.yaxis.set_label_coords(1.0 if right else 0.0, 1.0, transform=ax.transAxes + rise)


def _style_axes(ax: plt.Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(length=3, width=0.6)


def _finish_rates(fig: plt.Figure, ax: plt.Axes, chart_id: str, alt: str, y_label: str, decimals: int) -> str:
    """A rate axis from zero in percent, the house style and legend, and the SVG."""
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=decimals))
    _y_title(ax, y_label)
    _style_axes(ax)
    _legend(ax)
    return _to_svg(fig, chart_id, alt)


def _legend(ax: plt.Axes) -> None:
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), ncols=1, handlelength=1.6,
              borderaxespad=0.5)


def rate_lines(chart_id: str, months: Sequence[str], series: Mapping[str, Sequence[float | None]],
               y_label: str, alt: str, decimals: int = 1) -> str:
    """Lines of rates (0.031 = 3.1 %) over months; a missing value leaves a gap, not a zero."""
    with matplotlib.rc_context(_rc(chart_id)):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.3))
        x = list(range(len(months)))
        for (name, values), colour in zip(series.items(), LINE_COLOURS):
            y = [float("nan") if v is None else v for v in values]
            ax.plot(x, y, label=name, color=colour, linewidth=1.6, marker="o", markersize=3)
        ax.set_xticks(x, months)
        ax.set_xlim(-0.5, len(months) - 0.5)
        return _finish_rates(fig, ax, chart_id, alt, y_label, decimals)


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
                 colours: Sequence[str], y_labels: Mapping[int, str], alt: str, x_label: str | None = None) -> str:
    """Bars of amounts over months, stacked in the order given (bottom first).

    Amounts are divided by 1, 10^3 or 10^6 to keep ticks short; `y_labels` gives the axis
    label for each exponent (e.g. {0: "Balance (CNY)", 3: "… (CNY thousand)", 6: …}).
    """
    with matplotlib.rc_context(_rc(chart_id)):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.4))
        x = list(range(len(months)))
        totals = [sum(values[i] for values in stacks.values()) for i in x]
        exponent = scale_exponent(max(totals, default=0.0))
        bottom = [0.0] * len(months)
        for (name, values), colour in zip(stacks.items(), colours):
            heights = [v / 10**exponent for v in values]
            _layer(ax, x, heights, bottom, label=name, color=colour, width=0.7, linewidth=0)
            bottom = [b + h for b, h in zip(bottom, heights)]
        ax.set_xticks(x, months)
        ax.set_xlim(-0.6, len(months) - 0.4)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(v)))
        _y_title(ax, y_labels[exponent])
        if x_label:
            ax.set_xlabel(x_label)
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


# --- vintage ---------------------------------------------------------------------------------------

# Highlighted (recent) cohorts, oldest to newest: Okabe–Ito colours, distinct also for colour-blind readers.
RECENT_COLOURS = ["#56b4e9", "#009e73", "#e69f00", "#cc79a7", "#0072b2", "#d55e00"]
OLDER_LIGHT, OLDER_DARK = 0.80, 0.55   # grey levels of the oldest and the newest of the older cohorts


@dataclass(frozen=True)
class Curve:
    """One cohort's line: observed points drawn solid, projected points dashed from the last observed one."""
    label: str
    observed: Sequence[tuple[int, float | None]]
    projected: Sequence[tuple[int, float | None]]
    highlight: bool


def _grey(position: float) -> str:
    """Older cohorts in greys: the oldest lightest (position 0), the newest darkest (position 1)."""
    level = OLDER_LIGHT + (OLDER_DARK - OLDER_LIGHT) * position
    return matplotlib.colors.to_hex((level, level, level))


def _xy(points: Sequence[tuple[int, float | None]]) -> tuple[list[int], list[float]]:
    return [x for x, _ in points], [float("nan") if y is None else y for _, y in points]


def cohort_curves(chart_id: str, curves: Sequence[Curve], x_label: str, y_label: str,
                  legend: Mapping[str, str], alt: str, decimals: int = 1) -> str:
    """Vintage curves by months on book: older cohorts thin and grey (lighter = older), highlighted
    ones coloured and thicker, projected parts dashed. `legend` labels the "older", "observed" and
    "projected" entries; each highlighted curve is labelled with its own name."""
    older = [c for c in curves if not c.highlight]
    recent = [c for c in curves if c.highlight]
    with matplotlib.rc_context(_rc(chart_id)):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.75))
        styles = [(c, _grey(i / max(len(older) - 1, 1)), 0.8, 1) for i, c in enumerate(older)]
        styles += [(c, RECENT_COLOURS[(i - len(recent)) % len(RECENT_COLOURS)], 1.8, 3)
                   for i, c in enumerate(recent)]
        top = 0
        for curve, colour, width, z in styles:
            x, y = _xy(curve.observed)
            ax.plot(x, y, color=colour, linewidth=width, zorder=z, solid_capstyle="round")
            if curve.projected:
                joined = [curve.observed[-1], *curve.projected] if curve.observed else list(curve.projected)
                px, py = _xy(joined)
                ax.plot(px, py, color=colour, linewidth=width, zorder=z, linestyle=(0, (3, 2)))
            top = max([top, *(x for x, _ in (*curve.observed, *curve.projected))])
        handles = [Line2D([], [], color=colour, linewidth=width, label=curve.label)
                   for curve, colour, width, _ in styles if curve.highlight]
        if older:
            handles.append(Line2D([], [], color=_grey(0.5), linewidth=0.8, label=legend["older"]))
        handles += [Line2D([], [], color=INK, linewidth=1.2, label=legend["observed"]),
                    Line2D([], [], color=INK, linewidth=1.2, linestyle=(0, (3, 2)), label=legend["projected"])]
        step = 3 if top <= 24 else 6
        ax.set_xticks(range(0, top + 1, step))
        ax.set_xlim(0, max(top, 1))
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=decimals))
        ax.set_xlabel(x_label)
        _y_title(ax, y_label)
        _style_axes(ax)
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), handlelength=2.2,
                  borderaxespad=0.5)
        return _to_svg(fig, chart_id, alt)


# bar parts of the lifetime chart: (face colour, hatch) per part key
LIFETIME_PARTS = {
    "to_date": ("#12324f", ""),
    "chain_ladder": ("#9ab8d6", "////"),
    "bornhuetter_ferguson": ("#e7b46a", "\\\\\\\\"),
}


def lifetime_bars(chart_id: str, ticks: Sequence[str], to_date: Sequence[float | None],
                  remainder: Sequence[float | None], remainder_kind: Sequence[str | None],
                  legend: Mapping[str, str], y_label: str, alt: str, decimals: int = 1) -> str:
    """Per cohort, a bar of the loss to date (solid) topped by the projected remainder to the horizon
    (hatched, its style by the projection method in `remainder_kind`). `legend` maps part keys of
    LIFETIME_PARTS to their labels; a part absent from the bars is left out of the legend."""
    with matplotlib.rc_context({**_rc(chart_id), "hatch.linewidth": 0.6, "hatch.color": "#ffffff"}):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.5))
        x = list(range(len(ticks)))
        base = [0.0 if v is None else v for v in to_date]
        colour, _ = LIFETIME_PARTS["to_date"]
        ax.bar(x, base, color=colour, width=0.72, linewidth=0, label=legend["to_date"])
        for kind in ("chain_ladder", "bornhuetter_ferguson"):
            idx = [i for i in x if remainder_kind[i] == kind and remainder[i] is not None]
            if not idx:
                continue
            face, hatch = LIFETIME_PARTS[kind]
            _layer(ax, idx, [remainder[i] for i in idx], [base[i] for i in idx], color=face, hatch=hatch,
                   width=0.72, linewidth=0, label=legend[kind])
        ax.set_xticks(x, ticks)
        ax.tick_params(axis="x", length=0)
        ax.set_xlim(-0.6, len(ticks) - 0.4)
        return _finish_rates(fig, ax, chart_id, alt, y_label, decimals)


# --- expected credit loss --------------------------------------------------------------------------

TOTAL_COLOUR, UP_COLOUR, DOWN_COLOUR = "#12324f", "#d9541e", "#5a8f29"  # an allowance increase is adverse: red


def waterfall(chart_id: str, names: Sequence[str], bars: Sequence[tuple[float, float]], totals: Sequence[bool],
              value_labels: Sequence[str], x_label: str, alt: str) -> str:
    """A horizontal bridge from an opening to a closing amount, read top to bottom.

    `bars` are (start, end) in the axis unit: totals (`totals[i]`) stand on zero, the lines between
    float from the running level, up in red and down in green, joined by thin connectors. Horizontal
    because the line names (and their Chinese forms) are too long to sit under narrow columns.
    """
    with matplotlib.rc_context(_rc(chart_id)):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.5 + 0.24 * len(names)))
        y = list(range(len(names)))
        colours = [TOTAL_COLOUR if total else UP_COLOUR if end > start else DOWN_COLOUR if end < start else GRID
                   for (start, end), total in zip(bars, totals)]
        ax.barh(y, [end - start for start, end in bars], left=[start for start, _ in bars], color=colours,
                height=0.62, linewidth=0)
        for i in y[:-1]:
            ax.plot([bars[i][1]] * 2, [i + 0.31, i + 0.69], color="#888888", linewidth=0.6)
        ends = [v for bar in bars for v in bar]
        low, high = min(0.0, *ends), max(0.0, *ends)
        pad = (high - low) * 0.01 or 1.0
        for i, ((start, end), text) in enumerate(zip(bars, value_labels)):
            ax.text(max(start, end) + pad, i, text, va="center", ha="left", color=INK)
        ax.set_xlim(low, high + (high - low) * 0.16 + pad)
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.tick_params(axis="y", length=0)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(v)))
        ax.set_xlabel(x_label)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        return _to_svg(fig, chart_id, alt)


def term_structure(chart_id: str, horizons: Sequence[int], series: Mapping[str, Sequence[float | None]],
                   colours: Sequence[str], marker: tuple[int, str] | None, x_label: str, y_label: str,
                   alt: str, decimals: int = 0) -> str:
    """Cumulative rates by months ahead, one line per series; `marker` (month, text) draws a dotted
    reference line, e.g. at the 12 months that bound a stage 1 allowance, named in the legend
    (a label on the plot would collide with the steep early curves)."""
    with matplotlib.rc_context(_rc(chart_id)):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.5))
        for (name, values), colour in zip(series.items(), colours):
            ax.plot(horizons, [float("nan") if v is None else v for v in values], label=name, color=colour,
                    linewidth=1.6)
        if marker is not None:
            month, text = marker
            ax.axvline(month, color="#888888", linewidth=0.8, linestyle=(0, (2, 2)), label=text)
        last = max(horizons)
        step = 3 if last <= 12 else 6
        ax.set_xticks(range(step if horizons[0] > 0 else 0, last + 1, step))
        ax.set_xlim(min(horizons), last)
        ax.set_xlabel(x_label)
        return _finish_rates(fig, ax, chart_id, alt, y_label, decimals)


def amount_bars_with_rate(chart_id: str, months: Sequence[str], amounts: Sequence[float],
                          rates: Sequence[float | None], legend: tuple[str, str], y_labels: Mapping[int, str],
                          rate_label: str, alt: str, decimals: int = 1) -> str:
    """Amounts as bars (left axis, scaled as in `stacked_bars`) and a rate as a line (right axis, in
    percent from zero): an allowance and its coverage move for different reasons, both matter."""
    with matplotlib.rc_context(_rc(chart_id)):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.3))
        x = list(range(len(months)))
        exponent = scale_exponent(max(amounts, default=0.0))
        bars = ax.bar(x, [a / 10**exponent for a in amounts], color="#9ab8d6", width=0.65, linewidth=0,
                      label=legend[0])
        ax.set_xticks(x, months)
        ax.set_xlim(-0.6, len(months) - 0.4)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(v)))
        _y_title(ax, y_labels[exponent])
        _style_axes(ax)
        right = ax.twinx()
        (line,) = right.plot(x, [float("nan") if r is None else r for r in rates], color=UP_COLOUR,
                             linewidth=1.6, marker="o", markersize=3, label=legend[1])
        right.set_ylim(bottom=0, top=max([r for r in rates if r is not None], default=0.01) * 1.25)
        right.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=decimals))
        _y_title(right, rate_label)
        right.spines[["top", "left"]].set_visible(False)
        right.tick_params(length=3, width=0.6)
        ax.legend([bars, line], list(legend), loc="upper left", bbox_to_anchor=(1.12, 1.0), handlelength=1.6,
                  borderaxespad=0.5)
        return _to_svg(fig, chart_id, alt)


# --- charge-offs, recoveries and overdue cost ------------------------------------------------------

GROSS_COLOUR, RECOVERY_COLOUR = "#9ab8d6", "#5a8f29"
PENALTY_COLOUR, FEE_COLOUR = "#e0a100", "#8c1c13"


def _right_rate_axis(ax: plt.Axes, x: Sequence[int], rates: Sequence[float | None], colour: str, label_text: str,
                     axis_label: str, decimals: int):
    """A rate line on a right-hand axis in percent from zero; returns the line for the legend."""
    right = ax.twinx()
    (line,) = right.plot(x, [float("nan") if r is None else r for r in rates], color=colour, linewidth=1.6,
                         marker="o", markersize=3, label=label_text)
    right.set_ylim(bottom=0, top=max([r for r in rates if r is not None], default=0.01) * 1.25 or 0.01)
    right.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=decimals))
    _y_title(right, axis_label)
    right.spines[["top", "left"]].set_visible(False)
    right.tick_params(length=3, width=0.6)
    return line


def charge_off_bars(chart_id: str, months: Sequence[str], gross: Sequence[float], recoveries: Sequence[float],
                    rates: Sequence[float | None], legend: tuple[str, str, str], y_labels: Mapping[int, str],
                    rate_label: str, alt: str, decimals: int = 1) -> str:
    """Gross charge-offs and recoveries side by side per month (left axis, scaled as in `stacked_bars`)
    and the annualised net charge-off rate as a line (right axis): the amounts and the rate together."""
    with matplotlib.rc_context(_rc(chart_id)):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.3))
        x = list(range(len(months)))
        exponent = scale_exponent(max([*gross, *recoveries], default=0.0))
        unit = 10**exponent
        g = ax.bar([i - 0.19 for i in x], [v / unit for v in gross], width=0.38, color=GROSS_COLOUR, linewidth=0,
                   label=legend[0])
        r = ax.bar([i + 0.19 for i in x], [v / unit for v in recoveries], width=0.38, color=RECOVERY_COLOUR,
                   linewidth=0, label=legend[1])
        ax.set_xticks(x, months)
        ax.set_xlim(-0.6, len(months) - 0.4)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(v)))
        _y_title(ax, y_labels[exponent])
        _style_axes(ax)
        line = _right_rate_axis(ax, x, rates, UP_COLOUR, legend[2], rate_label, decimals)
        ax.legend([g, r, line], list(legend), loc="upper left", bbox_to_anchor=(1.12, 1.0), handlelength=1.6,
                  borderaxespad=0.5)
        return _to_svg(fig, chart_id, alt)


def cost_by_bucket(chart_id: str, buckets: Sequence[str], penalty: Sequence[float], fees: Sequence[float],
                   fee_share: Sequence[float | None], legend: tuple[str, str, str], y_labels: Mapping[int, str],
                   rate_label: str, alt: str, decimals: int = 0, x_label: str | None = None) -> str:
    """The overdue "snowball": penalty interest and late fees posted this month, stacked per
    delinquency bucket (left axis), with unpaid fees as a share of the bucket's balance (right axis)."""
    with matplotlib.rc_context(_rc(chart_id)):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.4))
        x = list(range(len(buckets)))
        exponent = scale_exponent(max([p + f for p, f in zip(penalty, fees)], default=0.0))
        unit = 10**exponent
        p_bars = ax.bar(x, [v / unit for v in penalty], width=0.62, color=PENALTY_COLOUR, linewidth=0,
                        label=legend[0])
        f_bars = _layer(ax, x, [v / unit for v in fees], [v / unit for v in penalty], width=0.62,
                        color=FEE_COLOUR, linewidth=0, label=legend[1])
        ax.set_xticks(x, buckets)
        ax.tick_params(axis="x", length=0)
        ax.set_xlim(-0.6, len(buckets) - 0.4)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(v)))
        _y_title(ax, y_labels[exponent])
        if x_label:
            ax.set_xlabel(x_label)
        _style_axes(ax)
        line = _right_rate_axis(ax, x, fee_share, "#3b6ea5", legend[2], rate_label, decimals)
        ax.legend([f_bars, p_bars, line], [legend[1], legend[0], legend[2]], loc="upper left",
                  bbox_to_anchor=(1.12, 1.0), handlelength=1.6, borderaxespad=0.5)
        return _to_svg(fig, chart_id, alt)


def recovery_curves(chart_id: str, curves: Mapping[str, Sequence[tuple[int, float | None]]],
                    average: tuple[str, Sequence[tuple[int, float | None]]] | None, x_label: str, y_label: str,
                    alt: str, decimals: int = 0) -> str:
    """Cumulative recovery rate by months since charge-off, one coloured line per charge-off cohort
    (oldest first), and optionally the amount-weighted average of every cohort as a dashed grey line."""
    if len(curves) > len(RECENT_COLOURS):
        raise ValueError(f"at most {len(RECENT_COLOURS)} cohorts fit one recovery chart, got {len(curves)}")
    with matplotlib.rc_context(_rc(chart_id)):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.5))
        top = 1
        if average is not None:
            name, points = average
            xs, ys = _xy(points)
            ax.plot(xs, ys, color="#777777", linewidth=1.4, linestyle=(0, (4, 2)), label=name, zorder=2)
            top = max([top, *xs])
        for (name, points), colour in zip(curves.items(), RECENT_COLOURS[-len(curves):] if curves else []):
            xs, ys = _xy(points)
            ax.plot(xs, ys, color=colour, linewidth=1.6, marker="o", markersize=2.5, label=name, zorder=3)
            top = max([top, *xs])
        step = 1 if top <= 12 else 3 if top <= 36 else 6
        ax.set_xticks(range(0, top + 1, step))
        ax.set_xlim(0, top)
        ax.set_xlabel(x_label)
        return _finish_rates(fig, ax, chart_id, alt, y_label, decimals)


# --- early warning ---------------------------------------------------------------------------------

GINI_COLOUR, FLOOR_COLOUR, BELOW_COLOUR = "#3b6ea5", "#777777", "#8c1c13"


def gini_trend(chart_id: str, months: Sequence[str], gini: Sequence[float | None], floor: Sequence[float | None],
               below: Sequence[bool], legend: tuple[str, str, str], y_label: str, alt: str) -> str:
    """The back-test Gini by month as a line, the floor in force each month as a dashed line, and the
    months below the floor marked by a larger dark-red point (named in the legend only when present).
    The axis starts at zero (lower if a Gini is negative) so a fall reads at its true size."""
    with matplotlib.rc_context(_rc(chart_id)):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.2))
        x = list(range(len(months)))
        values = [float("nan") if v is None else v for v in gini]
        ax.plot(x, values, color=GINI_COLOUR, linewidth=1.6, marker="o", markersize=3, label=legend[0], zorder=3)
        ax.plot(x, [float("nan") if v is None else v for v in floor], color=FLOOR_COLOUR, linewidth=1.2,
                linestyle=(0, (4, 2)), label=legend[1], zorder=2)
        marked = [i for i in x if below[i] and gini[i] is not None]
        if marked:
            ax.plot(marked, [gini[i] for i in marked], linestyle="none", marker="o", markersize=6,
                    color=BELOW_COLOUR, label=legend[2], zorder=4)
        known = [v for v in (*gini, *floor) if v is not None]
        ax.set_ylim(bottom=min([0.0, *known]), top=max([0.1, *known]) * 1.25)
        ax.set_xticks(x, months)
        ax.set_xlim(-0.5, len(months) - 0.5)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.1f}"))
        _y_title(ax, y_label)
        _style_axes(ax)
        _legend(ax)
        return _to_svg(fig, chart_id, alt)


# --- portfolio and concentration -------------------------------------------------------------------

RATE_CMAP = "YlOrRd"


def share_bars_by_rate(chart_id: str, ticks: Sequence[str], shares: Sequence[float | None],
                       rates: Sequence[float | None], bar_labels: Sequence[str], x_label: str, rate_label: str,
                       alt: str) -> str:
    """Horizontal bars of balance shares (first tick on top), each coloured by its rate on a yellow-to-red
    scale from zero (a colour bar reads the scale; a missing rate is grey) and labelled at its end with
    `bar_labels` (share and rate as printed in the tables)."""
    with matplotlib.rc_context(_rc(chart_id)):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.35 * len(ticks) + 0.75))
        y = list(range(len(ticks)))
        known = [r for r in rates if r is not None]
        top_rate = max(known, default=0.0) or 0.01
        norm = matplotlib.colors.Normalize(vmin=0.0, vmax=top_rate)
        cmap = matplotlib.colormaps[RATE_CMAP]
        colours = ["#bbbbbb" if r is None else cmap(0.15 + 0.85 * norm(r)) for r in rates]
        widths = [0.0 if s is None else s for s in shares]
        ax.barh(y, widths, color=colours, height=0.62, edgecolor="#888888", linewidth=0.4)
        for yi, width, text in zip(y, widths, bar_labels):
            ax.annotate(text, (width, yi), xytext=(3, 0), textcoords="offset points", va="center", ha="left",
                        fontsize=7.5, color=INK, bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none"})
        ax.set_yticks(y, ticks)
        ax.invert_yaxis()
        ax.set_xlim(0, max([*widths, 0.01]) * 1.45)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel(x_label)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(length=3, width=0.6)
        ax.tick_params(axis="y", length=0)
        mappable = matplotlib.cm.ScalarMappable(
            norm=norm, cmap=matplotlib.colors.ListedColormap([cmap(0.15 + 0.85 * i / 255) for i in range(256)]))
        bar = fig.colorbar(mappable, ax=ax, fraction=0.04, pad=0.02, aspect=12)
        bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
        bar.ax.tick_params(labelsize=7, length=2, width=0.5)
        bar.outline.set_linewidth(0.4)
        bar.ax.set_title(rate_label, fontsize=7.5, loc="left", pad=4)  # horizontal: CJK does not read rotated
        return _to_svg(fig, chart_id, alt)
