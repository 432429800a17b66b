"""The expected-credit-loss chapter of the management pack (methodology §5).

What the risk committee asks of an allowance: how large it is and how well it covers each stage
and product, why it moved since last month (stage migration, the movement lines as a waterfall),
what it rests on (scenarios, the PD term structure and where its rows came from, LGD and its
source) and whether the month's controls passed. Inputs are the ECL marts as the orchestration
layer reads them, already aggregated: nothing here identifies an account, and a frame that could
(an identifier column) is refused rather than trusted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl
from markupsafe import Markup

from reports import charts, formatting
from reports.i18n import label, month_label, optional_label, product_label, state_labels
from reports.kpis import TREND_MONTHS
from reports.render import check_frame
from reports.roll_rates_section import heat
from transforms.ecl import MIGRATION_FROM, MIGRATION_TO, MOVEMENT_LINES
from transforms.months import add_months
from transforms.states import ALL_PRODUCTS, PRODUCTS

MODES = ("ifrs9", "cecl")
STAGES = ("1", "2", "3", "all")
PD_MONTHS = 12
# markers of PD cells whose transition row is not the product's own (footnoted under the table)
SOURCE_MARKERS = {"portfolio": "†", "assumed_roll_forward": "‡"}
# the stage-`all` transfers are one allowance moved between stages: in and out cancel exactly
TRANSFERS = ("transfers_in", "transfers_out")
SUMMARY_COLUMNS = ("month", "product", "stage", "balance", "ecl", "coverage")
COLUMNS = {
    "summary": SUMMARY_COLUMNS,
    "summary_trend": SUMMARY_COLUMNS,
    "scenarios": ("product", "scenario", "weight", "pd_multiplier", "ecl"),
    "pd_term_structure": ("product", "bucket", "horizon", "cumulative_pd", "row_source"),
    "lgd": ("product", "lgd", "source", "accounts_used", "charged_off_amount", "discounted_recoveries"),
    "stage_migration": ("product", "from_stage", "to_stage", "accounts"),
    "movement": ("product", "stage", "opening", *MOVEMENT_LINES, "closing"),
    "checks": ("check_name", "severity", "passed", "failures"),
}


@dataclass(frozen=True)
class ExpectedLossInput:
    available: bool                  # False in the first loaded month: no transitions before it, no PD
    summary: pl.DataFrame            # mart.ecl_summary of the month (products incl. "all", stages 1/2/3/all)
    summary_trend: pl.DataFrame      # mart.ecl_summary, up to 13 months back (this month included)
    scenarios: pl.DataFrame          # mart.ecl_scenarios of the month
    pd_term_structure: pl.DataFrame  # mart.pd_term_structure of the month
    lgd: pl.DataFrame                # mart.lgd of the month
    stage_migration: pl.DataFrame    # mart.stage_migration of the month; may be empty
    movement: pl.DataFrame           # mart.allowance_movement of the month; empty when m−1 had no ECL
    checks: pl.DataFrame             # mart.ecl_checks of the month
    mode: str                        # "ifrs9" or "cecl" (the ecl regime in force)


def check_expected_loss(data: ExpectedLossInput, identifying: Iterable[str]) -> None:
    """Fails early, naming the frame and column, as the pack does for its other frames; the frames
    are checked even in the first month, so a wiring error shows before the first ECL is due."""
    if data.mode not in MODES:
        raise ValueError(f"expected_loss.mode must be one of {', '.join(MODES)}, got {data.mode!r}")
    for name, columns in COLUMNS.items():
        check_frame(f"expected_loss.{name}", getattr(data, name), columns, identifying)


def products_total_last(products: Iterable[str]) -> list[str]:
    """Known products in their usual order, others alphabetically, then `all`: the total row closes a table."""
    present = set(products)
    known = [p for p in PRODUCTS if p in present]
    others = sorted(present - set(known) - {ALL_PRODUCTS})
    return known + others + ([ALL_PRODUCTS] if ALL_PRODUCTS in present else [])


def _ticks(months: list[date]) -> list[str]:
    return [f"{m.month:02d}\n{m.year}" if i == 0 or m.month == 1 else f"{m.month:02d}" for i, m in enumerate(months)]


def _scaled(amount: Decimal, exponent: int, locale: str, signed: bool) -> str:
    """A chart label in the axis unit: whole units, or thousands/millions to two decimals (so that a
    small line next to a large opening still reads as more than zero)."""
    text = formatting.number(amount.scaleb(-exponent), locale, 2 if exponent else 0)
    return f"+{text}" if signed and amount > 0 and text.strip("0.,") else text


# --- allowance and coverage ----------------------------------------------------------------------

def coverage_table(summary: pl.DataFrame, locale: str) -> dict:
    """Products down, `all` last so the column reads to its total; per stage a balance, ECL and
    coverage cell, so a product's coverage is seen beside the amounts it is a ratio of."""
    cells = {(r["product"], r["stage"]): r for r in summary.to_dicts()}
    empty = {"balance": None, "ecl": None, "coverage": None}
    return {"stages": [label(locale, f"ecl.stage.{s}") for s in STAGES],
            "rows": [{"product": product_label(p, locale), "is_total": p == ALL_PRODUCTS,
                      "cells": [{k: cells.get((p, s), empty)[k] for k in empty} for s in STAGES]}
                     for p in products_total_last(summary["product"].to_list())]}


def trend_chart(trend: pl.DataFrame, month: date, locale: str, currency: str) -> Markup | None:
    """Allowance bars and coverage line over up to 13 months; None until there are two months to compare."""
    rows = (trend.filter((pl.col("product") == ALL_PRODUCTS) & (pl.col("stage") == "all")
                         & pl.col("month").is_between(add_months(month, -(TREND_MONTHS - 1)), month))
            .sort("month"))
    if rows.height < 2:
        return None
    return Markup(charts.amount_bars_with_rate(
        "ecl-trend", _ticks(rows["month"].to_list()), rows["ecl"].cast(pl.Float64).to_list(),
        rows["coverage"].to_list(),
        (label(locale, "ecl.trend_allowance"), label(locale, "ecl.trend_coverage")),
        {e: label(locale, f"ecl.allowance_axis_{e}", currency=currency) for e in (0, 3, 6)},
        label(locale, "ecl.coverage_axis"), label(locale, "ecl.trend_alt")))


# --- stage migration -----------------------------------------------------------------------------

def _ordered(values: Iterable[str], known: list[str]) -> list[str]:
    present = set(values)
    return [v for v in known if v in present] + sorted(present - set(known))


def migration_matrix(migration: pl.DataFrame, locale: str) -> dict | None:
    """Accounts from last month's stage (rows) to this month's stage or exit (columns), all products,
    shaded by the share of the row; None when there is nothing to show (no staging last month)."""
    rows = migration.filter(pl.col("product") == ALL_PRODUCTS)
    if rows.height == 0 or not rows["accounts"].sum():
        return None
    counts = {(r["from_stage"], r["to_stage"]): r["accounts"] for r in rows.to_dicts()}
    from_stages = _ordered(rows["from_stage"].to_list(), MIGRATION_FROM)
    to_stages = _ordered(rows["to_stage"].to_list(), MIGRATION_TO)
    out = []
    for f in from_stages:
        total = sum(counts.get((f, t), 0) for t in to_stages)
        cells = [{"accounts": counts.get((f, t), 0), "diagonal": f == t,
                  **heat(counts.get((f, t), 0) / total if total else None)} for t in to_stages]
        out.append({"stage": label(locale, f"ecl.stage.{f}"), "accounts": total, "cells": cells})
    return {"columns": [label(locale, f"ecl.stage.{t}") for t in to_stages], "rows": out}


# --- allowance movement --------------------------------------------------------------------------

def waterfall_steps(movement: pl.DataFrame, locale: str) -> list[dict]:
    """The stage-`all`, all-products movement as bars: opening from zero, each line floating from the
    running level (in exact decimals, so the last line ends on the closing), closing from zero."""
    row = movement.filter((pl.col("product") == ALL_PRODUCTS) & (pl.col("stage") == "all")).row(0, named=True)
    steps = [{"key": "opening", "amount": row["opening"], "start": Decimal(0), "end": row["opening"], "total": True}]
    level = row["opening"]
    for line in MOVEMENT_LINES:
        steps.append({"key": line, "amount": row[line], "start": level, "end": level + row[line], "total": False})
        level += row[line]
    steps.append({"key": "closing", "amount": row["closing"], "start": Decimal(0), "end": row["closing"], "total": True})
    return [{**s, "label": label(locale, f"ecl.line.{s['key']}")} for s in steps]


def waterfall_chart(steps: list[dict], locale: str, currency: str) -> Markup:
    exponent = charts.scale_exponent(float(max(abs(v) for s in steps for v in (s["start"], s["end"]))))
    unit = Decimal(10) ** exponent
    return Markup(charts.waterfall(
        "ecl-movement", [s["label"] for s in steps],
        [(float(s["start"] / unit), float(s["end"] / unit)) for s in steps], [s["total"] for s in steps],
        [_scaled(s["amount"], exponent, locale, signed=not s["total"]) for s in steps],
        label(locale, f"ecl.allowance_axis_{exponent}", currency=currency), label(locale, "ecl.waterfall_alt")))


def movement_table(movement: pl.DataFrame, locale: str) -> dict:
    """Lines (rows) by stage (columns, `all` last) for all products; opening and closing as totals."""
    by_stage = {r["stage"]: r for r in movement.filter(pl.col("product") == ALL_PRODUCTS).to_dicts()}
    stages = [s for s in STAGES if s in by_stage]
    return {"stages": [label(locale, f"ecl.stage.{s}") for s in stages],
            "rows": [{"line": label(locale, f"ecl.line.{line}"), "is_total": line in ("opening", "closing"),
                      "values": [by_stage[s][line] for s in stages]}
                     for line in ("opening", *MOVEMENT_LINES, "closing")]}


# --- what the allowance rests on -----------------------------------------------------------------

def scenario_table(scenarios: pl.DataFrame, locale: str) -> dict:
    rows = [{"scenario": optional_label(locale, f"ecl.scenario.{r['scenario']}", r["scenario"]),
             "weight": r["weight"], "pd_multiplier": r["pd_multiplier"], "ecl": r["ecl"],
             "weighted": r["weight"] * r["ecl"]}
            for r in scenarios.filter(pl.col("product") == ALL_PRODUCTS).to_dicts()]
    return {"rows": rows, "weight": math.fsum(r["weight"] for r in rows),
            "weighted": math.fsum(r["weighted"] for r in rows)}


def pd_chart(term: pl.DataFrame, locale: str) -> Markup | None:
    """Cumulative PD by months ahead, one line per bucket (worse buckets darker), all products."""
    rows = term.filter(pl.col("product") == ALL_PRODUCTS).sort("horizon")
    if rows.height == 0:
        return None
    buckets = list(dict.fromkeys(rows["bucket"].to_list()))
    names = state_labels(buckets, locale)
    horizons = rows["horizon"].unique().sort().to_list()
    values = {(r["bucket"], r["horizon"]): r["cumulative_pd"] for r in rows.to_dicts()}
    series = {names[b]: [values.get((b, h)) for h in horizons] for b in buckets}
    return Markup(charts.term_structure(
        "ecl-pd", horizons, series, charts.state_colours(len(buckets)),
        (PD_MONTHS, label(locale, "ecl.pd_12m_marker")) if horizons[-1] >= PD_MONTHS else None,
        label(locale, "ecl.horizon_axis"), label(locale, "ecl.pd_axis"), label(locale, "ecl.pd_alt")))


def pd_table(term: pl.DataFrame, locale: str) -> dict:
    """PD(12) per product (rows, `all` last) and bucket, each cell marked where its row was borrowed
    or assumed: a PD that is not the product's own evidence must not read as if it were."""
    twelve = {(r["product"], r["bucket"]): r for r in term.filter(pl.col("horizon") == PD_MONTHS).to_dicts()}
    buckets = list(dict.fromkeys(term["bucket"].to_list()))
    rows = []
    for product in products_total_last(term["product"].to_list()):
        cells = []
        for bucket in buckets:
            cell = twelve.get((product, bucket), {})
            cells.append({"pd": cell.get("cumulative_pd"), "marker": SOURCE_MARKERS.get(cell.get("row_source"), "")})
        rows.append({"product": product_label(product, locale), "is_total": product == ALL_PRODUCTS, "cells": cells})
    used = {c["marker"] for r in rows for c in r["cells"]}
    names = state_labels(buckets, locale)
    return {"buckets": [names[b] for b in buckets], "rows": rows,
            "footnotes": [label(locale, f"ecl.source.{s}") for s, mark in SOURCE_MARKERS.items() if mark in used]}


def lgd_table(lgd: pl.DataFrame, locale: str) -> list[dict]:
    rows = {r["product"]: r for r in lgd.to_dicts()}
    return [{"product": product_label(p, locale), "is_total": p == ALL_PRODUCTS, "lgd": rows[p]["lgd"],
             "source": label(locale, f"ecl.lgd_source.{rows[p]['source']}"),
             **{k: rows[p][k] for k in ("accounts_used", "charged_off_amount", "discounted_recoveries")}}
            for p in products_total_last(rows)]


def controls(checks: pl.DataFrame, locale: str) -> list[dict]:
    """Each control with its result. The mart's `detail` text is not printed: it is English only and
    may quote account ids (e.g. the accounts without an ECL), which no pack may show."""
    out = []
    for r in checks.to_dicts():
        result = "not_evaluated" if r["passed"] is None else "passed" if r["passed"] else "failed"
        out.append({"check": optional_label(locale, f"ecl.check.{r['check_name']}", r["check_name"]),
                    "severity": optional_label(locale, f"ecl.severity.{r['severity']}", r["severity"]),
                    "result": result,
                    "text": label(locale, f"ecl.result.{result}", count=formatting.number(r["failures"], locale))
                    if result == "failed" else label(locale, f"ecl.result.{result}")})
    return out


# --- sentences and the chapter -------------------------------------------------------------------

def biggest_line(steps: list[dict]) -> dict | None:
    """The movement line that moved the total allowance most; transfers are left out (they cancel)."""
    lines = [s for s in steps if not s["total"] and s["key"] not in TRANSFERS and s["amount"]]
    return max(lines, key=lambda s: abs(s["amount"])) if lines else None


def sentences(data: ExpectedLossInput, steps: list[dict] | None, checks: list[dict], locale: str,
              currency: str, decimals: int) -> list[str]:
    """The allowance and its change, the line that moved it most, coverage by stage (IFRS 9 only:
    under CECL the stages do not set the measurement) and any failed control."""
    cells = {r["stage"]: r for r in data.summary.filter(pl.col("product") == ALL_PRODUCTS).to_dicts()}
    money = lambda v: formatting.money(v, locale, currency)
    pct = lambda v: formatting.percent(v, locale, decimals)
    total = cells.get("all", {})
    level = {"allowance": label(locale, f"ecl.allowance.{data.mode}"), "amount": money(total.get("ecl")),
             "coverage": pct(total.get("coverage"))}
    out = []
    if steps is None:
        out.append(label(locale, "ecl.sentence_level", **level))
    else:
        opening, closing = steps[0]["amount"], steps[-1]["amount"]
        change = closing - opening
        if not round(change, 2):
            out.append(label(locale, "ecl.sentence_unchanged", **level, opening=money(opening)))
        else:
            out.append(label(locale, "ecl.sentence_change", **level, opening=money(opening),
                             direction=label(locale, "rose" if change > 0 else "fell"), change=money(abs(change)),
                             relative=formatting.change_percent(abs(change) / opening if opening else None,
                                                                locale).lstrip("+")))
        line = biggest_line(steps)
        if line is not None:
            out.append(label(locale, "ecl.sentence_largest", line=line["label"], amount=money(abs(line["amount"])),
                             direction=label(locale, "ecl.added" if line["amount"] > 0 else "ecl.released")))
    if data.mode == "ifrs9":
        out.append(label(locale, "ecl.sentence_stages",
                         **{f"s{s}": pct(cells.get(s, {}).get("coverage")) for s in ("1", "2", "3")}))
    failed = [c["check"] for c in checks if c["result"] == "failed"]
    if failed:
        out.append(label(locale, "ecl.sentence_controls_failed",
                         names=label(locale, "ecl.list_separator").join(failed)))
    return out


def parameters(data: ExpectedLossInput, locale: str, decimals: int) -> list[tuple[str, str]]:
    """The ECL regime and scenario set, shown in the first month so the reader sees what will apply."""
    out = [(label(locale, "ecl.param.mode"), label(locale, f"ecl.mode.{data.mode}"))]
    seen = data.scenarios.select("scenario", "weight", "pd_multiplier").unique(maintain_order=True)
    for r in seen.to_dicts():
        out.append((label(locale, "ecl.param.scenario",
                          name=optional_label(locale, f"ecl.scenario.{r['scenario']}", r["scenario"])),
                    label(locale, "ecl.param.scenario_value", weight=formatting.percent(r["weight"], locale, decimals),
                          multiplier=formatting.number(r["pd_multiplier"], locale, 2))))
    return out


def expected_loss_context(data: ExpectedLossInput, month: date, locale: str, currency: str, decimals: int) -> dict:
    if not data.available:
        return {"available": False, "mode": data.mode, "parameters": parameters(data, locale, decimals),
                "unavailable": label(locale, "ecl.unavailable", month=month_label(month, locale))}
    steps = waterfall_steps(data.movement, locale) if data.movement.height else None
    checks = controls(data.checks, locale)
    return {
        "available": True,
        "mode": data.mode,
        "sentences": sentences(data, steps, checks, locale, currency, decimals),
        "coverage": coverage_table(data.summary, locale),
        "trend_chart": trend_chart(data.summary_trend, month, locale, currency),
        "migration": migration_matrix(data.stage_migration, locale),
        "waterfall": None if steps is None else waterfall_chart(steps, locale, currency),
        "movement": None if steps is None else movement_table(data.movement, locale),
        "scenarios": scenario_table(data.scenarios, locale),
        "pd_chart": pd_chart(data.pd_term_structure, locale),
        "pd_table": pd_table(data.pd_term_structure, locale),
        "lgd": lgd_table(data.lgd, locale),
        "controls": checks,
    }
