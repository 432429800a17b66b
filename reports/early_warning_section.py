"""The early-warning chapter of the management pack (README: early warning: signals, score and back-test).

What the committee asks of an early-warning score: how many accounts below 30 DPD it puts on the
watchlist and how much money they hold, by product and score band; which behaviour signals put them
there (how much more often each fires on the watchlist than on the rest of the book, and the weight
the fitted model gives it); whether the score still separates bad from good accounts out of time
(the back-test of the scores of three months ago, by band, and the Gini against its floor over the
reporting months); what the lender can do about the accounts flagged this month; and which model,
fitted on what, produced the scores.

Inputs are the early-warning marts as the orchestration layer reads them, already aggregated (counts
and sums by product, band, signal and action): no account is ever named, and a frame carrying an
identifier column is refused rather than trusted.
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
from reports.ecl_section import products_total_last
from reports.i18n import label, month_label, product_label
from reports.render import check_frame
from transforms.states import ALL_PRODUCTS

# The vocabulary of transforms.early_warning, repeated here so that rendering a pack does not import
# scikit-learn; tests/reports/test_early_warning_section.py checks the two agree.
BANDS = ("A", "B", "C", "D", "E")
SIGNALS = ("high_utilisation", "utilisation_jump", "min_payments", "recent_cure", "fees_growing",
           "recent_freeze", "cohort_early_default")
HISTORY_FEATURES = ("delinquent_now", "months_delinquent_6m", "was_30_plus_6m")
ACTIONS = ("call_now", "offer_instalments", "reduce_line", "review_cohort", "monitor")
TOP_SIGNALS = 2          # signals named in the summary sentence
RATIO_DECIMALS = 3       # AUC, Gini and KS
# how a month was scored, as its model stored it: the lower edges of bands B–E, the watchlist band's index
SCORED_WITH = tuple(f"band_cut_{band.lower()}" for band in BANDS[1:]) + ("watchlist_band_index",)
COLUMNS = {
    "by_band": ("product", "band", "accounts", "exposure"),
    "signals": ("signal", "watchlist_accounts", "watchlist_share", "rest_share"),
    "coefficients": ("name", "value"),
    "model": ("model_id", "fit_first_month", "fit_last_month", "fit_months", "fit_accounts", "fit_bads",
              "fit_bad_rate", "sklearn_version", *SCORED_WITH),
    "actions": ("product", "action", "action_order", "accounts", "exposure"),
    "backtest": ("month", "scored_month", "accounts", "bads", "bad_rate", "mean_score", "auc", "gini", "ks",
                 "watchlist_accounts", "watchlist_bads", "watchlist_hit_rate", "rest_accounts", "rest_bads",
                 "rest_bad_rate", "watchlist_vs_rest", "watchlist_capture_rate", "gini_floor", "gini_below_floor"),
    "bands": ("month", "scored_month", "band", "accounts", "bads", "bad_rate", "lift", "mean_score",
              "account_share", *SCORED_WITH),
}


@dataclass(frozen=True)
class EarlyWarningInput:
    available: bool               # False while no model could be fitted yet (too few months with a known outcome)
    by_band: pl.DataFrame         # product (incl. "all"), band, accounts, exposure: the scored book of the month
    signals: pl.DataFrame         # signal, watchlist_accounts, watchlist_share, rest_share
    coefficients: pl.DataFrame    # name (signals, bucket-history features, "intercept"), value: this month's model
    model: pl.DataFrame           # one row (or empty): model_id, fit window, fit accounts/bads/bad rate, sklearn_version
    actions: pl.DataFrame         # mart.early_warning_actions of the month: every product × action, zeros included
    backtest: pl.DataFrame        # mart.early_warning_backtest, up to 13 reporting months (may be empty)
    bands: pl.DataFrame           # mart.early_warning_bands of the month (may be empty)
    gini_floor: float             # early_warning.gini_floor in force
    band_cuts: tuple[float, ...]  # configured lower score edges of bands B, C, D, E (before any model)
    watchlist_band: str           # configured: this band and worse form the watchlist (before any model)


def check_early_warning(data: EarlyWarningInput, identifying: Iterable[str]) -> None:
    """Fails early, naming the frame and column, as the pack does for its other frames. A frame with
    no columns at all is an empty mart (the pipeline writes those before a model or a back-test exists)."""
    for name, columns in COLUMNS.items():
        frame = getattr(data, name)
        if frame.width:  # no columns at all: an empty mart, nothing to check
            check_frame(f"early_warning.{name}", frame, columns, identifying)
    if data.model.height > 1:
        raise ValueError(f"early_warning.model must be one row (the month's model), got {data.model.height}")
    if data.watchlist_band not in BANDS:
        raise ValueError(f"early_warning.watchlist_band must be one of {', '.join(BANDS)}, got {data.watchlist_band!r}")
    cuts = tuple(data.band_cuts)
    if len(cuts) != len(BANDS) - 1 or list(cuts) != sorted(set(cuts)) or not all(0 < c < 1 for c in cuts):
        raise ValueError(f"early_warning.band_cuts must be {len(BANDS) - 1} increasing probabilities, got {cuts}")
    if not 0 <= data.gini_floor <= 1:
        raise ValueError(f"early_warning.gini_floor must be in [0, 1], got {data.gini_floor}")


def _ticks(months: list[date]) -> list[str]:
    return [f"{m.month:02d}\n{m.year}" if i == 0 or m.month == 1 else f"{m.month:02d}" for i, m in enumerate(months)]


def _share(part, whole) -> float | None:
    return float(part) / float(whole) if whole else None


def _ratio(value: float | None, locale: str) -> str:
    return formatting.number(value, locale, RATIO_DECIMALS)


def _floor(value: float | None, locale: str) -> str:
    return formatting.number(value, locale, 2)


def _band_list(bands: list[str], locale: str) -> str:
    """`D–E` for a run of bands, `E` for one."""
    if not bands:
        return "–"
    return bands[0] if len(bands) == 1 else label(locale, "ew.band_range", first=bands[0], last=bands[-1])


def scored_with(settings: pl.DataFrame, data: EarlyWarningInput) -> tuple[tuple[float, ...], list[str]]:
    """The band cuts and watchlist bands scores were made with: the stored model's (`SCORED_WITH` on the
    frame's first row), else as configured (before any model).

    Not today's configuration: after a change of `band_cuts` the pack would name bands by cuts that
    made none of them. Not the bands that hold a flagged account either: a month with no account in
    band D called a D-and-worse watchlist "band E"."""
    if settings.height == 0:
        return tuple(data.band_cuts), list(BANDS[BANDS.index(data.watchlist_band):])
    *cuts, index = settings.select(SCORED_WITH).row(0)
    if index is None or None in cuts:
        raise ValueError(f"early warning: a model stored without its score bands ({', '.join(SCORED_WITH)})")
    return tuple(cuts), list(BANDS[int(index):])


def _cut(value: float, locale: str) -> str:
    """A band cut as configured: `2%`, `12.5%`."""
    return formatting.percent(value, locale, 0 if round(value * 100, 6).is_integer() else 1)


def band_names(cuts: tuple[float, ...], locale: str) -> dict[str, str]:
    """Each band with the score range it stands for: `A (< 2%)`, `B (2–5%)` … `E (≥ 20%)`."""
    pct = lambda v: _cut(v, locale)
    edges = [None, *cuts, None]
    out = {}
    for i, band in enumerate(BANDS):
        low, high = edges[i], edges[i + 1]
        if low is None:
            out[band] = label(locale, "ew.band_below", band=band, high=pct(high))
        elif high is None:
            out[band] = label(locale, "ew.band_above", band=band, low=pct(low))
        else:
            out[band] = label(locale, "ew.band_between", band=band, low=pct(low), high=pct(high))
    return out


# --- the watchlist -------------------------------------------------------------------------------

def book_table(by_band: pl.DataFrame, watch: list[str], cuts: tuple[float, ...], locale: str) -> dict | None:
    """Bands down (all five; an absent band is zero), products across (`all` last), accounts and exposure
    per cell; then the watchlist subtotal, the scored book, and the watchlist's share of each column."""
    if by_band.height == 0:
        return None
    products = products_total_last(by_band["product"].to_list())
    cells = {(r["product"], r["band"]): r for r in by_band.to_dicts()}
    zero = {"accounts": 0, "exposure": Decimal(0)}

    def cell(product: str, bands: Iterable[str]) -> dict:
        picked = [cells.get((product, b), zero) for b in bands]
        return {"accounts": sum(c["accounts"] for c in picked),
                "exposure": sum((c["exposure"] for c in picked), Decimal(0))}

    names = band_names(cuts, locale)
    rows = [{"label": names[b], "watchlist": b in watch, "kind": "band", "cells": [cell(p, [b]) for p in products]}
            for b in BANDS]
    watched = [cell(p, watch) for p in products]
    book = [cell(p, BANDS) for p in products]
    rows.append({"label": label(locale, "ew.watchlist_row", bands=_band_list(watch, locale)), "watchlist": True,
                 "kind": "subtotal", "cells": watched})
    rows.append({"label": label(locale, "ew.book_row"), "watchlist": False, "kind": "total", "cells": book})
    shares = [{"accounts": _share(w["accounts"], b["accounts"]), "exposure": _share(w["exposure"], b["exposure"])}
              for w, b in zip(watched, book)]
    return {"products": [product_label(p, locale) for p in products], "rows": rows,
            "share_label": label(locale, "ew.share_row"), "shares": shares,
            # the whole book's figures for the sentences: the `all` column, when the frame has one
            "total": {"accounts": watched[-1]["accounts"], "exposure": watched[-1]["exposure"],
                      "book_accounts": book[-1]["accounts"], "book_exposure": book[-1]["exposure"]}
            if products[-1] == ALL_PRODUCTS else None}


# --- what drives it ------------------------------------------------------------------------------

def _over_representation(row: dict) -> float | None:
    """Percentage points by which a signal is more common on the watchlist than on the rest."""
    if row["watchlist_share"] is None:
        return None
    return row["watchlist_share"] - (row["rest_share"] or 0.0)


def signal_rows(signals: pl.DataFrame, coefficients: pl.DataFrame, locale: str) -> dict:
    """The signals, most over-represented on the watchlist first (ties in their usual order), each
    with its share of watchlist and rest accounts and the model's coefficient and odds multiplier; then
    the bucket-history features and the intercept, which carry a coefficient but are not signals."""
    weights = {r["name"]: r["value"] for r in coefficients.to_dicts()}
    known = {r["signal"]: r for r in signals.to_dicts()}
    order = {s: i for i, s in enumerate(SIGNALS)}
    names = sorted(set(known) | ({s for s in weights if s in SIGNALS}),
                   key=lambda s: (-(_over_representation(known[s]) or 0.0) if s in known else 1.0,
                                  order.get(s, len(order)), s))

    def coefficient(name: str) -> dict:
        value = weights.get(name)
        return {"coefficient": value,
                "odds": None if value is None or formatting.is_missing(value) else math.exp(value)}

    rows = [{"name": label(locale, f"ew.signal.{s}") if s in order else s,
             "watchlist_accounts": known.get(s, {}).get("watchlist_accounts"),
             "watchlist_share": known.get(s, {}).get("watchlist_share"),
             "rest_share": known.get(s, {}).get("rest_share"), **coefficient(s)} for s in names]
    history = [{"name": label(locale, f"ew.signal.{f}"), **coefficient(f)} for f in HISTORY_FEATURES if f in weights]
    if "intercept" in weights:
        history.append({"name": label(locale, "ew.signal.intercept"), "coefficient": weights["intercept"],
                        "odds": None})
    return {"signals": rows, "history": history}


def over_represented(signals: pl.DataFrame) -> list[dict]:
    """The signals more common on the watchlist than on the rest, most over-represented first (ties in
    the signals' usual order), at most TOP_SIGNALS."""
    order = {s: i for i, s in enumerate(SIGNALS)}
    rows = [r for r in signals.to_dicts() if (_over_representation(r) or 0.0) > 0]
    rows.sort(key=lambda r: (-_over_representation(r), order.get(r["signal"], len(order)), r["signal"]))
    return rows[:TOP_SIGNALS]


# --- the back-test -------------------------------------------------------------------------------

def latest_backtest(backtest: pl.DataFrame) -> dict | None:
    return backtest.sort("month").row(-1, named=True) if backtest.height else None


def _below_floor(row: dict) -> bool | None:
    if row["gini_below_floor"] is not None:
        return bool(row["gini_below_floor"])
    if row["gini"] is None or row["gini_floor"] is None:
        return None
    return row["gini"] < row["gini_floor"]


def band_backtest(bands: pl.DataFrame, latest: dict, data: EarlyWarningInput, locale: str) -> dict | None:
    """The latest evaluated month by band: accounts, share, bads, bad rate, mean score, lift; the month's total.
    Bands named and flagged as the scored month's model made them."""
    rows = bands.filter((pl.col("month") == latest["month"]) & (pl.col("scored_month") == latest["scored_month"]))
    if rows.height == 0:
        return None
    cuts, watch = scored_with(rows, data)
    order = {b: i for i, b in enumerate(BANDS)}
    names = band_names(cuts, locale)
    out = [{**r, "label": names.get(r["band"], r["band"]), "watchlist": r["band"] in watch}
           for r in sorted(rows.to_dicts(), key=lambda r: order.get(r["band"], len(order)))]
    total = {"label": label(locale, "ew.backtest_total"), "accounts": latest["accounts"], "bads": latest["bads"],
             "bad_rate": latest["bad_rate"], "mean_score": latest["mean_score"], "account_share": 1.0,
             "lift": 1.0 if latest["bad_rate"] else None}
    return {"rows": out, "total": total}


def backtest_facts(latest: dict, locale: str, decimals: int) -> list[tuple[str, str]]:
    pct = lambda v: formatting.percent(v, locale, decimals)
    number = lambda v: formatting.number(v, locale)
    below = _below_floor(latest)
    floor = _floor(latest["gini_floor"], locale)
    gini = _ratio(latest["gini"], locale)
    return [
        (label(locale, "ew.fact.evaluated"), label(locale, "ew.fact.evaluated_value",
                                                   scored=month_label(latest["scored_month"], locale),
                                                   month=month_label(latest["month"], locale))),
        (label(locale, "ew.fact.accounts"), label(locale, "ew.fact.accounts_value", accounts=number(latest["accounts"]),
                                                  bads=number(latest["bads"]), rate=pct(latest["bad_rate"]))),
        (label(locale, "ew.fact.auc"), _ratio(latest["auc"], locale)),
        (label(locale, "ew.fact.gini"), label(locale, "ew.fact.gini_below" if below else "ew.fact.gini_value",
                                              gini=gini, floor=floor)),
        (label(locale, "ew.fact.ks"), _ratio(latest["ks"], locale)),
        (label(locale, "ew.fact.hit_rate"), label(locale, "ew.fact.hit_rate_value",
                                                  rate=pct(latest["watchlist_hit_rate"]),
                                                  bads=number(latest["watchlist_bads"]),
                                                  accounts=number(latest["watchlist_accounts"]))),
        (label(locale, "ew.fact.rest_rate"), label(locale, "ew.fact.hit_rate_value",
                                                   rate=pct(latest["rest_bad_rate"]), bads=number(latest["rest_bads"]),
                                                   accounts=number(latest["rest_accounts"]))),
        (label(locale, "ew.fact.vs_rest"), formatting.number(latest["watchlist_vs_rest"], locale, 1)
         + ("" if formatting.is_missing(latest["watchlist_vs_rest"]) else "×")),
        (label(locale, "ew.fact.capture"), pct(latest["watchlist_capture_rate"])),
    ]


def backtest_trend(backtest: pl.DataFrame, locale: str) -> list[dict]:
    return [{**r, "month_label": month_label(r["month"], locale), "scored_label": month_label(r["scored_month"], locale),
             "below": _below_floor(r)} for r in backtest.sort("month").to_dicts()]


def gini_chart(backtest: pl.DataFrame, locale: str) -> Markup | None:
    """The Gini of each reporting month's back-test with the floor dashed; None below two points."""
    rows = backtest.filter(pl.col("gini").is_not_null()).sort("month").to_dicts()
    if len(rows) < 2:
        return None
    return Markup(charts.gini_trend(
        "early-warning-gini", _ticks([r["month"] for r in rows]), [r["gini"] for r in rows],
        [r["gini_floor"] for r in rows], [bool(_below_floor(r)) for r in rows],
        (label(locale, "ew.chart.gini"), label(locale, "ew.chart.floor"), label(locale, "ew.chart.below")),
        label(locale, "ew.chart.gini_axis"), label(locale, "ew.chart.gini_alt")))


# --- actions and the model -----------------------------------------------------------------------

def action_table(actions: pl.DataFrame, locale: str) -> dict | None:
    """Actions down (in their order of urgency), products across (`all` last): accounts and exposure;
    a closing row sums each column to the watchlist."""
    if actions.height == 0:
        return None
    products = products_total_last(actions["product"].to_list())
    cells = {(r["product"], r["action"]): r for r in actions.to_dicts()}
    ordered = (actions.select("action", "action_order").unique().sort("action_order", "action")["action"].to_list())
    zero = {"accounts": 0, "exposure": Decimal(0)}

    def name(action: str) -> str:
        return label(locale, f"ew.action.{action}") if action in ACTIONS else action

    rows = [{"label": name(a), "cells": [{k: cells.get((p, a), zero)[k] for k in zero} for p in products]}
            for a in ordered]
    total = [{"accounts": sum(r["cells"][i]["accounts"] for r in rows),
              "exposure": sum((r["cells"][i]["exposure"] for r in rows), Decimal(0))} for i in range(len(products))]
    meanings = [(name(a), label(locale, f"ew.action_meaning.{a}")) for a in ordered if a in ACTIONS]
    return {"products": [product_label(p, locale) for p in products], "rows": rows, "total": total,
            "meanings": meanings}


def model_facts(model: pl.DataFrame, data: EarlyWarningInput, band_cuts: tuple[float, ...], watch: list[str],
                locale: str, decimals: int) -> list[tuple[str, str]]:
    cuts = label(locale, "ew.list_separator").join(label(locale, "ew.cut", band=b, cut=_cut(c, locale))
                                                   for b, c in zip(BANDS[1:], band_cuts))
    settings = [(label(locale, "ew.fact.band_cuts"), cuts),
                (label(locale, "ew.fact.watchlist"), label(locale, "ew.fact.watchlist_value",
                                                           bands=_band_list(watch, locale))),
                (label(locale, "ew.fact.floor"), _floor(data.gini_floor, locale))]
    if model.height == 0:
        return settings
    m = model.row(0, named=True)
    number = lambda v: formatting.number(v, locale)
    return [
        (label(locale, "ew.fact.model_id"), str(m["model_id"])),
        (label(locale, "ew.fact.window"), label(locale, "ew.fact.window_value",
                                                first=month_label(m["fit_first_month"], locale),
                                                last=month_label(m["fit_last_month"], locale),
                                                months=number(m["fit_months"]))),
        (label(locale, "ew.fact.fit_accounts"), label(locale, "ew.fact.fit_accounts_value",
                                                      accounts=number(m["fit_accounts"]), bads=number(m["fit_bads"]),
                                                      rate=formatting.percent(m["fit_bad_rate"], locale, decimals))),
        (label(locale, "ew.fact.library"), f"scikit-learn {m['sklearn_version']}"),
        *settings,
    ]


# --- the words -----------------------------------------------------------------------------------

def _in_sentence(name: str, locale: str) -> str:
    """A table label inside an English sentence starts in lower case (`high utilisation`); an acronym stays."""
    if locale == "en" and len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


def sentences(data: EarlyWarningInput, book: dict | None, watch: list[str], latest: dict | None, locale: str,
              currency: str, decimals: int) -> list[dict]:
    """Two or three sentences: the watchlist against the book, the signals most over-represented on it,
    the latest back-test's Gini against the floor (a warning when below). Each is {"text", "warning"}."""
    pct = lambda v: formatting.percent(v, locale, decimals)
    money = lambda v: formatting.money(v, locale, currency)
    number = lambda v: formatting.number(v, locale)
    bands = _band_list(watch, locale)
    out = []
    total = None if book is None else book["total"]
    if total is not None:
        if total["accounts"]:
            out.append(label(locale, "ew.sentence_watchlist", accounts=formatting.accounts(total["accounts"], locale),
                             bands=bands,
                             share=pct(_share(total["accounts"], total["book_accounts"])),
                             book=number(total["book_accounts"]), exposure=money(total["exposure"]),
                             exposure_share=pct(_share(total["exposure"], total["book_exposure"])),
                             book_exposure=money(total["book_exposure"])))
        else:
            out.append(label(locale, "ew.sentence_no_watchlist", bands=bands, book=number(total["book_accounts"])))
    top = over_represented(data.signals)
    if top:
        items = [label(locale, "ew.signal_item", name=_in_sentence(label(locale, f"ew.signal.{r['signal']}")
                                                                  if r["signal"] in SIGNALS else r["signal"], locale),
                       watch=pct(r["watchlist_share"]), rest=pct(r["rest_share"])) for r in top]
        key = "ew.sentence_signals" if len(items) > 1 else "ew.sentence_signal"
        out.append(label(locale, key, items=label(locale, "ew.and").join(items)))
    elif data.signals.height and total is not None and total["accounts"]:
        out.append(label(locale, "ew.sentence_no_signal"))
    out = [{"text": s, "warning": False} for s in out]
    if latest is None:
        out.append({"text": label(locale, "ew.no_backtest"), "warning": False})
    elif latest["gini"] is None:
        out.append({"text": label(locale, "ew.sentence_no_gini", scored=month_label(latest["scored_month"], locale)),
                    "warning": False})
    else:
        values = {"scored": month_label(latest["scored_month"], locale), "gini": _ratio(latest["gini"], locale),
                  "floor": _floor(latest["gini_floor"], locale), "hit": pct(latest["watchlist_hit_rate"]),
                  "rest": pct(latest["rest_bad_rate"])}
        below = bool(_below_floor(latest))
        out.append({"text": label(locale, "ew.sentence_gini_below" if below else "ew.sentence_gini", **values),
                    "warning": below})
    return out


def early_warning_context(data: EarlyWarningInput, month: date, locale: str, currency: str, decimals: int) -> dict:
    if not data.available:
        return {"available": False, "unavailable": label(locale, "ew.unavailable", month=month_label(month, locale))}
    by_band = data.by_band.filter(pl.col("band").is_not_null()) if data.by_band.height else data.by_band
    cuts, watch = scored_with(data.model, data)
    book = book_table(by_band, watch, cuts, locale)
    latest = latest_backtest(data.backtest)
    return {
        "available": True,
        "sentences": sentences(data, book, watch, latest, locale, currency, decimals),
        "watchlist_bands": _band_list(watch, locale),
        "book": book,
        "signals": signal_rows(data.signals, data.coefficients, locale) if data.signals.height
        or data.coefficients.height else None,
        "latest": None if latest is None else {
            "scored": month_label(latest["scored_month"], locale), "month": month_label(latest["month"], locale),
            "bands": band_backtest(data.bands, latest, data, locale) if data.bands.height else None,
            "facts": backtest_facts(latest, locale, decimals), "below": bool(_below_floor(latest))},
        "trend": backtest_trend(data.backtest, locale),
        "gini_chart": gini_chart(data.backtest, locale) if data.backtest.height else None,
        "actions": action_table(data.actions, locale),
        "model": model_facts(data.model, data, cuts, watch, locale, decimals),
    }
