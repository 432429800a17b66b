"""The roll-rate section of the management pack: where the book moved this month, and where the
chain says it is heading (methodology §4).

A heat-map of this month's matrix (account and balance shares), cure and roll-forward rates with
their trend, the flow-rate chain into charge-off, and the 12-month Markov projection of
charge-offs. Inputs are the marts as read by the orchestration layer; nothing identifies an account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import matplotlib
import polars as pl
from markupsafe import Markup

from reports import charts, formatting
from reports.i18n import label, state_labels
from reports.kpis import TREND_MONTHS
from transforms.months import add_months
from transforms.states import ALL_PRODUCTS

HEAT = matplotlib.colormaps["YlOrRd"]


@dataclass(frozen=True)
class RollRateInput:
    roll_rates: pl.DataFrame      # mart.roll_rates of the month
    roll_summary: pl.DataFrame    # mart.roll_rate_summary, up to 13 months back
    flow_rates: pl.DataFrame      # mart.flow_rates of the month
    projection: pl.DataFrame      # mart.markov_projection of the month


def heat(rate: float | None) -> dict[str, str]:
    """Cell colours: white for nothing, deepening red with the share; light text on dark cells."""
    if rate is None or rate <= 0:
        return {"background": "#ffffff", "color": "#222222"}
    level = min(max(rate, 0.0), 1.0) ** 0.5  # small shares still show
    return {"background": matplotlib.colors.to_hex(HEAT(0.08 + 0.85 * level)),
            "color": "#ffffff" if level > 0.6 else "#222222"}


def matrix(rates: pl.DataFrame, locale: str, share: str) -> dict:
    """This month's matrix for all products as rows of heat-coloured cells (empty rows left out)."""
    rows = rates.filter(pl.col("product") == ALL_PRODUCTS)
    from_states = [s for s in dict.fromkeys(rows["from_state"].to_list())
                   if rows.filter(pl.col("from_state") == s)["accounts"].sum() > 0]
    to_states = [s for s in dict.fromkeys(rows["to_state"].to_list())
                 if rows.filter(pl.col("to_state") == s)["accounts"].sum() > 0]
    names = state_labels([*from_states, *to_states], locale)
    cells = {(r["from_state"], r["to_state"]): r for r in rows.to_dicts()}
    return {
        "columns": [names[s] for s in to_states],
        "rows": [{"state": names[f],
                  "accounts": int(rows.filter(pl.col("from_state") == f)["accounts"].sum()),
                  "cells": [{"rate": cells[(f, t)][share], "diagonal": f == t, **heat(cells[(f, t)][share])}
                            for t in to_states]}
                 for f in from_states],
    }


def _ticks(months: list[date]) -> list[str]:
    return [f"{m.month:02d}\n{m.year}" if i == 0 or m.month == 1 else f"{m.month:02d}" for i, m in enumerate(months)]


def trend_chart(summary: pl.DataFrame, month: date, locale: str) -> Markup:
    """Roll-forward out of current and 1–29, and cure out of 1–29 and 30–59, over 13 months."""
    window = summary.filter((pl.col("product") == ALL_PRODUCTS)
                            & pl.col("month").is_between(add_months(month, -(TREND_MONTHS - 1)), month))
    months = window["month"].unique().sort().to_list()
    values = {(r["month"], r["from_state"]): r for r in window.to_dicts()}
    names = state_labels(["current", "dpd_1_29", "dpd_30_59"], locale)
    series = {}
    for state, measure in (("current", "roll_forward_rate"), ("dpd_1_29", "roll_forward_rate"),
                           ("dpd_1_29", "cure_rate"), ("dpd_30_59", "cure_rate")):
        if any((m, state) in values for m in months):
            key = "roll.series_roll" if measure == "roll_forward_rate" else "roll.series_cure"
            series[label(locale, key, state=names.get(state, state))] = [
                values.get((m, state), {}).get(measure) for m in months]
    return Markup(charts.rate_lines("roll-trend", _ticks(months), series, label(locale, "roll.rate_axis"),
                                    label(locale, "roll.trend_alt")))


def bucket_rates(summary: pl.DataFrame, month: date, locale: str) -> list[dict]:
    rows = summary.filter((pl.col("product") == ALL_PRODUCTS) & (pl.col("month") == month)
                          & (pl.col("accounts") > 0))
    prior = {r["from_state"]: r for r in summary.filter((pl.col("product") == ALL_PRODUCTS)
                                                       & (pl.col("month") == add_months(month, -1))).to_dicts()}
    names = state_labels(rows["from_state"].to_list(), locale)
    out = []
    for r in rows.to_dicts():
        before = prior.get(r["from_state"], {})
        out.append({**r, "state": names[r["from_state"]],
                    "roll_change": None if before.get("roll_forward_rate") is None or r["roll_forward_rate"] is None
                    else r["roll_forward_rate"] - before["roll_forward_rate"]})
    return out


def flow_chain(flows: pl.DataFrame, locale: str) -> dict:
    rows = flows.filter(pl.col("product") == ALL_PRODUCTS)
    states = [s for s in rows["from_bucket"].to_list() + rows["to_bucket"].to_list() if s != "net_flow_to_loss"]
    names = state_labels(list(dict.fromkeys(states)), locale)
    links = [{**r, "from": names[r["from_bucket"]], "to": names[r["to_bucket"]]}
             for r in rows.filter(pl.col("to_bucket") != "net_flow_to_loss").to_dicts()]
    net = rows.filter(pl.col("to_bucket") == "net_flow_to_loss")["flow_rate"]
    return {"links": links, "net": net[0] if net.len() else None}


def projection(projected: pl.DataFrame, locale: str, currency: str) -> dict:
    """Cumulative balance and accounts reaching charge-off, month by month, for all products."""
    rows = projected.filter((pl.col("product") == ALL_PRODUCTS) & (pl.col("state") == "charged_off")
                            & (pl.col("step") > 0)).sort("step")
    steps = rows["step"].to_list()
    chart = charts.stacked_bars(
        "charge-off-projection", [str(s) for s in steps], {label(locale, "roll.projected_charge_offs"):
                                                         rows["balance"].to_list()},
        charts.state_colours(1), {e: label(locale, f"chart.balance_axis_{e}", currency=currency) for e in (0, 3, 6)},
        label(locale, "roll.projection_alt"), x_label=label(locale, "ecl.horizon_axis"))
    last = rows.tail(1).to_dicts()
    return {"chart": Markup(chart), "months": steps[-1] if steps else 0,
            "balance": last[0]["balance"] if last else None, "accounts": last[0]["accounts"] if last else None}


def biggest_move(rates: list[dict]) -> dict | None:
    """The bucket whose roll-forward rate changed most against the prior month."""
    moved = [r for r in rates if r["roll_change"] is not None]
    return max(moved, key=lambda r: abs(r["roll_change"])) if moved else None


def driving_move(rates: list[dict], direction: float) -> dict | None:
    """The bucket whose roll-forward change moved the most balance the way `direction` goes (the
    change × the bucket's balance): a wide swing in a thin late bucket moves less money than a small
    one in the current book, and it is the money that moves the delinquency rate."""
    moved = [r for r in rates if r["roll_change"] is not None and r["roll_change"] * direction > 0]
    return max(moved, key=lambda r: abs(r["roll_change"]) * float(r["balance"])) if moved else None


def move_words(move: dict, locale: str, decimals: int) -> dict[str, str]:
    """A bucket's roll-forward move as a sentence's fields: state, direction, change, value."""
    return {"state": move["state"], "direction": label(locale, "rose" if move["roll_change"] > 0 else "fell"),
            "change": formatting.change_pp(abs(move["roll_change"]), locale, decimals).lstrip("+"),
            "value": formatting.percent(move["roll_forward_rate"], locale, decimals)}


def roll_rate_context(data: RollRateInput, month: date, locale: str, currency: str, decimals: int) -> dict:
    if data.roll_rates.filter(pl.col("accounts") > 0).height == 0:
        return {"has_transitions": False}  # the first month loaded: no m−1, nothing to chart
    rates = bucket_rates(data.roll_summary, month, locale)
    move = biggest_move(rates)
    sentences = []
    if move is not None:
        sentences.append(label(locale, "roll.sentence_move", **move_words(move, locale, decimals)))
    impossible = sum(r["impossible_moves"] for r in rates)
    if impossible:
        sentences.append(label(locale, "roll.sentence_impossible", accounts=formatting.accounts(impossible, locale)))
    return {
        "has_transitions": True,
        "account_matrix": matrix(data.roll_rates, locale, "account_rate"),
        "balance_matrix": matrix(data.roll_rates, locale, "balance_rate"),
        "bucket_rates": rates,
        "trend_chart": trend_chart(data.roll_summary, month, locale),
        "flows": flow_chain(data.flow_rates, locale),
        "projection": projection(data.projection, locale, currency),
        "sentences": sentences,
    }
