"""What the vintage curves say, in figures and in a few sentences (methodology §3).

Pure functions on the `mart.vintage` and `mart.vintage_lifetime` frames of one reporting month,
apart from the templates so the arithmetic is tested on hand-made frames:

- `cohorts_above_average`: each recent cohort's ever-30+ rate at its latest observed months on book
  (mob) against the amount-weighted average of the other cohorts observed at that same mob. Only
  cohorts observed from mob 0 are benchmarks: a cohort opened before the first loaded month is
  left-truncated, its running maximum started late and its ever-rates read too low.
- `highest_lifetime`: the cohort with the highest lifetime cumulative net loss rate.
- `lifetime_by_segment`: lifetime loss rates averaged per segment, weighted by cohort amount.

Averages are `math.fsum` over rows in a fixed order (never a parallel group-by sum, whose last
digits vary from run to run), so the sentences and tables are byte-identical on rerender.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl

from reports import formatting
from reports.i18n import label, month_label
from transforms.months import add_months

ALL = "all"
RECENT_COHORTS = 6      # cohort months counted as "recent" (highlighted, compared with their elders)
TOP_COHORTS = 3         # at most this many cohorts named as running worse than average
OBSERVED = "observed"   # vintage_lifetime.method of a cohort already at or past the horizon

# the columns the pack reads (the marts hold more)
VINTAGE_COLUMNS = ("month", "product", "segment_type", "segment", "cohort_month", "mob", "projected",
                   "cohort_amount", "ever30_rate", "cum_net_loss_rate")
LIFETIME_COLUMNS = ("month", "product", "segment_type", "segment", "cohort_month", "cohort_amount",
                    "observed_mob", "observed_cum_net_loss_rate", "lifetime_cum_net_loss_rate", "horizon", "method")


def portfolio(frame: pl.DataFrame, product: str = ALL) -> pl.DataFrame:
    """The rows of one product (default: all products) and no segmentation."""
    return frame.filter((pl.col("product") == product) & (pl.col("segment_type") == ALL))


def weighted_average(pairs: Iterable[tuple[float | None, object]]) -> float | None:
    """Σ value·weight / Σ weight over the pairs with a value; None when no weight is left."""
    kept = [(float(v), float(w)) for v, w in pairs if not formatting.is_missing(v) and w]
    total = math.fsum(w for _, w in kept)
    return math.fsum(v * w for v, w in kept) / total if total else None


@dataclass(frozen=True)
class CohortGap:
    cohort_month: date
    mob: int               # the cohort's latest observed months on book
    rate: float            # its rate there
    benchmark: float       # amount-weighted average of the other cohorts observed at that mob
    peers: int             # how many cohorts make the benchmark
    gap: float             # rate − benchmark (a difference of rates: percentage points)


def cohorts_above_average(cells: pl.DataFrame, month: date, measure: str = "ever30_rate",
                          recent: int = RECENT_COHORTS, top: int = TOP_COHORTS) -> list[CohortGap]:
    """The recent cohorts (opened in the `recent` months up to `month`) whose `measure` at their
    latest observed mob is above the benchmark of that mob, worst first, at most `top`.

    `cells`: one product and segment (e.g. `portfolio(vintage)`); projected cells are ignored.
    """
    observed = (cells.filter(~pl.col("projected") & pl.col(measure).is_not_null())
                .select("cohort_month", "mob", "cohort_amount", measure).sort("cohort_month", "mob"))
    by_cohort: dict[date, dict[int, dict]] = {}
    for row in observed.to_dicts():
        by_cohort.setdefault(row["cohort_month"], {})[row["mob"]] = row
    from_start = [c for c, mobs in by_cohort.items() if 0 in mobs]  # not left-truncated
    first_recent = add_months(month, -(recent - 1))
    gaps = []
    for cohort, mobs in by_cohort.items():
        if not first_recent <= cohort <= month:
            continue
        mob = max(mobs)
        peers = [by_cohort[c][mob] for c in from_start if c != cohort and mob in by_cohort[c]]
        benchmark = weighted_average((p[measure], p["cohort_amount"]) for p in peers)
        if benchmark is None:
            continue
        rate = float(mobs[mob][measure])
        gaps.append(CohortGap(cohort, mob, rate, benchmark, len(peers), rate - benchmark))
    worse = sorted((g for g in gaps if g.gap > 0), key=lambda g: (-g.gap, g.cohort_month))
    return worse[:top]


@dataclass(frozen=True)
class CohortLifetime:
    cohort_month: date
    rate: float            # lifetime cumulative net loss rate at the horizon
    horizon: int
    method: str
    observed_mob: int      # the age its projection starts from (a projection from two months is a guess)
    average: float | None  # amount-weighted lifetime rate of all cohorts with one


def highest_lifetime(lifetime: pl.DataFrame) -> CohortLifetime | None:
    """The cohort with the highest lifetime rate (the latest cohort on a tie); None without any rate.

    `lifetime`: one product and segment (e.g. `portfolio(vintage_lifetime)`).
    """
    rows = lifetime.filter(pl.col("lifetime_cum_net_loss_rate").is_not_null()).sort("cohort_month").to_dicts()
    if not rows:
        return None
    worst = max(reversed(rows), key=lambda r: r["lifetime_cum_net_loss_rate"])
    average = weighted_average((r["lifetime_cum_net_loss_rate"], r["cohort_amount"]) for r in rows)
    return CohortLifetime(worst["cohort_month"], float(worst["lifetime_cum_net_loss_rate"]), int(worst["horizon"]),
                          worst["method"], int(worst["observed_mob"]), average)


@dataclass(frozen=True)
class SegmentLifetime:
    segment: str
    cohorts: int                  # cohorts with a lifetime rate
    amount: Decimal               # Σ cohort_amount of those cohorts
    lifetime_rate: float | None   # amount-weighted lifetime rate
    projected_share: float | None  # share of that amount whose lifetime rate is projected, not observed
    relative: float | None        # lifetime_rate / the portfolio's (same product, no segmentation)


def lifetime_by_segment(lifetime: pl.DataFrame, segment_type: str, product: str = ALL) -> list[SegmentLifetime]:
    """Per segment of `segment_type` (sorted by name): lifetime rates averaged over cohorts, weighted by
    cohort amount; cohorts without a lifetime rate (not projectable) are left out of every column."""
    known = lifetime.filter((pl.col("product") == product) & pl.col("lifetime_cum_net_loss_rate").is_not_null())
    reference = weighted_average((r["lifetime_cum_net_loss_rate"], r["cohort_amount"])
                                 for r in known.filter(pl.col("segment_type") == ALL).sort("cohort_month").to_dicts())
    rows = known.filter(pl.col("segment_type") == segment_type).sort("segment", "cohort_month").to_dicts()
    segments: dict[str, list[dict]] = {}
    for row in rows:
        segments.setdefault(row["segment"], []).append(row)
    out = []
    for segment, cohorts in segments.items():
        amount = sum((Decimal(r["cohort_amount"]) for r in cohorts), Decimal(0))
        rate = weighted_average((r["lifetime_cum_net_loss_rate"], r["cohort_amount"]) for r in cohorts)
        projected = sum((Decimal(r["cohort_amount"]) for r in cohorts if r["method"] != OBSERVED), Decimal(0))
        out.append(SegmentLifetime(segment, len(cohorts), amount, rate,
                                   float(projected / amount) if amount else None,
                                   rate / reference if rate is not None and reference else None))
    return out


# --- sentences -----------------------------------------------------------------------------------

def method_label(method: str, locale: str, observed_mob: int | None = None) -> str:
    """`Chain ladder` in a table; in a sentence (with the age the projection starts from) `projected by
    chain ladder from 7 months of history`; an unknown method as it is."""
    try:
        if observed_mob is None:
            return label(locale, f"vintage.method.{method}")
        return label(locale, f"vintage.how.{method}", age=formatting.months(observed_mob, locale))
    except KeyError:
        return method


def _shows(value: float, decimals: int) -> bool:
    """False when a difference of rates prints as zero points at the displayed precision."""
    return round(value * 100, decimals) != 0


def vintage_sentences(cells: pl.DataFrame | None, lifetime: pl.DataFrame | None, month: date,
                      locale: str, decimals: int = 2) -> list[str]:
    """Which recent cohorts run worse than their elders at the same age, and which cohort has the
    highest lifetime loss. `cells` and `lifetime`: one product and segment, the reporting month."""
    def pct(value: float | None) -> str:
        return formatting.percent(value, locale, decimals)

    out = []
    if cells is not None and cells.height:
        worse = [g for g in cohorts_above_average(cells, month) if _shows(g.gap, decimals)]
        if worse:
            items = label(locale, "vintage.list_separator").join(
                label(locale, "vintage.gap_item", cohort=month_label(g.cohort_month, locale), rate=pct(g.rate),
                      age=formatting.months(g.mob, locale), benchmark=pct(g.benchmark),
                      gap=formatting.change_pp(g.gap, locale, decimals).lstrip("+"))
                for g in worse)
            out.append(label(locale, "vintage.worse_than_average", count=RECENT_COHORTS, items=items))
        else:
            out.append(label(locale, "vintage.none_worse", count=RECENT_COHORTS))
    if lifetime is not None and lifetime.height:
        worst = highest_lifetime(lifetime)
        if worst is None:
            out.append(label(locale, "vintage.no_lifetime"))
        else:
            out.append(label(locale, "vintage.highest_lifetime", cohort=month_label(worst.cohort_month, locale),
                             rate=pct(worst.rate), horizon=formatting.number(worst.horizon, locale),
                             method=method_label(worst.method, locale, worst.observed_mob), average=pct(worst.average)))
    return out
