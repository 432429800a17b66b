"""The vintage section of the management pack: curves, triangles, lifetime loss, by segment.

Builds plain rows and inline SVG charts from `mart.vintage` and `mart.vintage_lifetime` (rows of
the reporting month). What is shown, so a page stays readable at ~48 cohorts and mob 0..47:
- charts: the cohorts of the last CHART_RECENT_MONTHS months, plus one cohort per quarter before
  (those opened in January, April, July, October); the last RECENT_COHORTS in colour;
- triangles and the lifetime table: the last TABLE_RECENT_MONTHS cohorts plus one per quarter
  before, at most TABLE_MAX_ROWS rows, at the months on book of TABLE_MOBS (and the horizon);
- the lifetime chart: every cohort.
Cells that do not exist (beyond the horizon, before the first loaded month) stay blank, never 0.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from markupsafe import Markup

from reports import charts
from reports.i18n import label
from reports.vintage_insights import (
    OBSERVED,
    RECENT_COHORTS,
    lifetime_by_segment,
    method_label,
    portfolio,
    vintage_sentences,
)
from transforms.months import add_months
from transforms.vintage import MIN_PROJECTION_MOB

CHART_RECENT_MONTHS = 18
TABLE_RECENT_MONTHS = 12
TABLE_MAX_ROWS = 24
QUARTER_MONTHS = (1, 4, 7, 10)
TABLE_MOBS = (0, 1, 2, 3, 4, 5, 6, 9, 12, 18, 24, 36)
HEAT_CLASSES = 8  # vheat-0 (exactly zero) … vheat-7 (the table's highest value)
SEGMENT_TYPES = ("risk_grade", "channel")
MEASURES = ("cum_net_loss_rate", "ever30_rate")


def cohort_text(cohort: date) -> str:
    """`2026-10`: short enough for a table row or a legend, and never read as a day."""
    return f"{cohort.year}-{cohort.month:02d}"


def select_cohorts(cohorts: list[date], month: date, recent_months: int, max_count: int | None = None) -> list[date]:
    """The cohorts opened in the last `recent_months` months up to `month`, plus one per quarter before;
    with `max_count`, the oldest quarterly ones are dropped first."""
    first_recent = add_months(month, -(recent_months - 1))
    recent = [c for c in sorted(set(cohorts)) if first_recent <= c <= month]
    older = [c for c in sorted(set(cohorts)) if c < first_recent and c.month in QUARTER_MONTHS]
    if max_count is not None:
        older = older[max(0, len(older) - max(0, max_count - len(recent))):]
        recent = recent[-max_count:]
    return older + recent


def is_recent(cohort: date, month: date) -> bool:
    return add_months(month, -(RECENT_COHORTS - 1)) <= cohort <= month


def heat_class(value: float | None, top: float) -> str:
    if value is None or value <= 0 or top <= 0:
        return "vheat-0"
    return f"vheat-{min(HEAT_CLASSES - 1, 1 + int(value / top * (HEAT_CLASSES - 1)))}"


def table_mobs(max_mob: int, horizon: int | None) -> list[int]:
    mobs = {m for m in TABLE_MOBS if m <= max_mob}
    if horizon is not None and horizon <= max_mob:
        mobs.add(horizon)
    return sorted(mobs)


def without_projections_from_zero(cells: pl.DataFrame) -> pl.DataFrame:
    """The projected cells of a measure made unknown (null) where the cohort's latest observed value
    of it is zero. The chain ladder keeps a zero at zero (0 × f = 0): a cohort too young to have an
    account 30+ or a loss yet would print and plot as never having one, a forecast no data supports.
    The mart keeps the chain ladder's value; the lifetime table takes Bornhuetter–Ferguson there."""
    latest = (cells.filter(~pl.col("projected")).sort("mob").group_by("cohort_month")
              .agg(pl.col(measure).last().alias(f"{measure}_latest") for measure in MEASURES))
    return (cells.join(latest, on="cohort_month", how="left")
            .with_columns(pl.when(pl.col("projected") & (pl.col(f"{measure}_latest") == 0)).then(None)
                          .otherwise(pl.col(measure)).alias(measure) for measure in MEASURES)
            .drop(f"{measure}_latest" for measure in MEASURES))


def triangle(cells: pl.DataFrame, measure: str, cohorts: list[date], horizon: int | None, month: date) -> dict:
    """Rows of cells (value, projected, heat class) by cohort (oldest first) at the selected mobs."""
    rows = cells.filter(pl.col("cohort_month").is_in(cohorts)).sort("cohort_month", "mob").to_dicts()
    by_cell = {(r["cohort_month"], r["mob"]): r for r in rows}
    mobs = table_mobs(max((r["mob"] for r in rows), default=0), horizon)
    shown = [by_cell[(c, m)] for c in cohorts for m in mobs if (c, m) in by_cell]
    top = max((r[measure] for r in shown if r[measure] is not None), default=0.0)
    out = []
    for cohort in cohorts:
        line = []
        for mob in mobs:
            cell = by_cell.get((cohort, mob))
            if cell is None:
                line.append({"exists": False})
            else:
                line.append({"exists": True, "value": cell[measure], "projected": bool(cell["projected"]),
                             "heat": heat_class(cell[measure], top)})
        out.append({"cohort": cohort_text(cohort), "recent": is_recent(cohort, month), "cells": line})
    return {"mobs": mobs, "rows": out, "top": top,
            "any_projected": any(r["projected"] for r in shown),
            "any_unknown": any(r["projected"] and r[measure] is None for r in shown)}


def curves(cells: pl.DataFrame, measure: str, cohorts: list[date], month: date) -> list[charts.Curve]:
    rows = cells.filter(pl.col("cohort_month").is_in(cohorts)).sort("cohort_month", "mob").to_dicts()
    out = []
    for cohort in cohorts:
        own = [r for r in rows if r["cohort_month"] == cohort]
        out.append(charts.Curve(
            label=cohort_text(cohort),
            observed=[(r["mob"], r[measure]) for r in own if not r["projected"]],
            projected=[(r["mob"], r[measure]) for r in own if r["projected"]],
            highlight=is_recent(cohort, month)))
    return out


def quarter_ticks(cohorts: list[date]) -> list[str]:
    """Bar labels at the quarter months only (`01`, `04` …), with the year under January and under
    the first label, so neighbouring labels never collide."""
    out, labelled = [], False
    for cohort in cohorts:
        if cohort.month not in QUARTER_MONTHS:
            out.append("")
            continue
        out.append(f"{cohort.month:02d}\n{cohort.year}" if cohort.month == 1 or not labelled else f"{cohort.month:02d}")
        labelled = True
    return out


def lifetime_chart(lifetime: pl.DataFrame, locale: str) -> Markup:
    rows = lifetime.sort("cohort_month").to_dicts()
    to_date, remainder, kind = [], [], []
    for r in rows:
        rate, observed = r["lifetime_cum_net_loss_rate"], r["observed_cum_net_loss_rate"]
        if r["method"] == OBSERVED:
            to_date.append(rate if rate is not None else observed)
            remainder.append(None)
            kind.append(None)
        else:
            to_date.append(observed)
            remainder.append(None if rate is None or observed is None else max(rate - observed, 0.0))
            kind.append(r["method"])
    legend = {"to_date": label(locale, "vintage.chart.loss_to_date"),
              "chain_ladder": label(locale, "vintage.chart.remainder", method=method_label("chain_ladder", locale)),
              "bornhuetter_ferguson": label(locale, "vintage.chart.remainder",
                                            method=method_label("bornhuetter_ferguson", locale))}
    ticks = quarter_ticks([r["cohort_month"] for r in rows])
    return Markup(charts.lifetime_bars("vintage-lifetime", ticks, to_date, remainder, kind, legend,
                                       label(locale, "vintage.chart.lifetime_axis"),
                                       label(locale, "vintage.chart.lifetime_alt")))


def segment_label(segment_type: str, segment: str, locale: str) -> str:
    if segment == "(none)":
        return label(locale, "vintage.segment_none")
    if segment_type == "risk_grade":
        return label(locale, "vintage.grade", grade=segment)
    return segment


def _table_caption(every_cohort: bool, locale: str) -> str:
    if every_cohort:
        return label(locale, "vintage.table_cohorts_all", recent=RECENT_COHORTS)
    return label(locale, "vintage.table_cohorts_some", months=TABLE_RECENT_MONTHS, recent=RECENT_COHORTS)


def _reporting_month(frame: pl.DataFrame, name: str, month: date) -> pl.DataFrame:
    rows = frame.filter(pl.col("month") == month)
    if frame.height and not rows.height:
        raise ValueError(f"{name} has no row for {month:%Y-%m}; it must hold the cells of the reporting month")
    return rows


def _check_unique(frame: pl.DataFrame, name: str, keys: list[str]) -> None:
    if frame.select(keys).is_duplicated().any():
        raise ValueError(f"{name} holds more than one row per {', '.join(keys)}")


def vintage_context(vintage: pl.DataFrame | None, lifetime: pl.DataFrame | None, month: date,
                    locale: str, decimals: int) -> dict | None:
    """Everything the template's vintage section shows; None when neither frame is given."""
    if vintage is None and lifetime is None:
        return None
    keys = ["product", "segment_type", "segment", "cohort_month"]
    cells = None if vintage is None else without_projections_from_zero(
        portfolio(_reporting_month(vintage, "vintage", month)))
    totals = None if lifetime is None else portfolio(_reporting_month(lifetime, "vintage_lifetime", month))
    if cells is not None:
        _check_unique(cells, "vintage", [*keys, "mob"])
    if totals is not None:
        _check_unique(totals, "vintage_lifetime", keys)
    horizon = None
    if totals is not None and totals.height:
        horizon = int(totals["horizon"].max())
    elif cells is not None and cells.filter("projected").height:
        horizon = int(cells.filter("projected")["mob"].max())
    out: dict[str, object] = {"sentences": vintage_sentences(cells, totals, month, locale, decimals),
                              "horizon": horizon, "table_caption": "", "min_mob": MIN_PROJECTION_MOB}

    out["curves"] = None
    if cells is not None and cells.height:
        cohorts = cells["cohort_month"].unique().to_list()
        shown = select_cohorts(cohorts, month, CHART_RECENT_MONTHS)
        caption = "vintage.chart_cohorts_all" if len(shown) == len(set(cohorts)) else "vintage.chart_cohorts_some"
        legend = {k: label(locale, f"vintage.chart.{k}") for k in ("older", "observed", "projected")}
        starts = cells.filter(~pl.col("projected")).group_by("cohort_month").agg(pl.col("mob").min())
        truncated = starts.filter(pl.col("cohort_month").is_in(shown) & (pl.col("mob") > 0)).height > 0
        out["curves"] = {
            "caption": label(locale, caption, months=CHART_RECENT_MONTHS, recent=RECENT_COHORTS),
            "truncated_note": label(locale, "vintage.truncated_note") if truncated else None,
            **{measure: Markup(charts.cohort_curves(
                f"vintage-{measure.replace('_', '-')}", curves(cells, measure, shown, month),
                label(locale, "vintage.chart.mob_axis"), label(locale, f"vintage.chart.{measure}_axis"), legend,
                label(locale, f"vintage.chart.{measure}_alt"))) for measure in MEASURES},
        }
        table_cohorts = select_cohorts(cohorts, month, TABLE_RECENT_MONTHS, TABLE_MAX_ROWS)
        out["table_caption"] = _table_caption(len(table_cohorts) == len(set(cohorts)), locale)
        out["triangles"] = [{"measure": m, **triangle(cells, m, table_cohorts, horizon, month)} for m in MEASURES]
    else:
        table_cohorts = []
        out["triangles"] = []

    out["lifetime"] = None
    if totals is not None and totals.height:
        if not table_cohorts:
            cohorts = totals["cohort_month"].unique().to_list()
            table_cohorts = select_cohorts(cohorts, month, TABLE_RECENT_MONTHS, TABLE_MAX_ROWS)
            out["table_caption"] = _table_caption(len(table_cohorts) == len(set(cohorts)), locale)
        rows = totals.filter(pl.col("cohort_month").is_in(table_cohorts)).sort("cohort_month").to_dicts()
        segments = []
        for segment_type in SEGMENT_TYPES:
            found = lifetime_by_segment(_reporting_month(lifetime, "vintage_lifetime", month), segment_type)
            if found:
                segments.append({"type": segment_type, "rows": [
                    {**vars(s), "segment": segment_label(segment_type, s.segment, locale)} for s in found]})
        out["lifetime"] = {
            "chart": lifetime_chart(totals, locale),
            "rows": [{"cohort": cohort_text(r["cohort_month"]), "amount": r["cohort_amount"],
                      "observed_mob": r["observed_mob"], "observed_rate": r["observed_cum_net_loss_rate"],
                      "lifetime_rate": r["lifetime_cum_net_loss_rate"], "method": method_label(r["method"], locale),
                      "projected": r["method"] != OBSERVED} for r in rows],
            "segments": segments,
        }
    out["empty"] = out["curves"] is None and out["lifetime"] is None
    return out
