"""The charge-off, recovery and overdue-cost chapter of the management pack (methodology §7).

What the committee asks of the back end of the book: how much was charged off and recovered month
by month, how much of a charged-off amount comes back and how fast (the recovery curve by months
since charge-off, per charge-off cohort), and what delinquency costs the customer: penalty
interest and late fees posted by bucket (the "snowball" that grows with days past due), unpaid
fees as a share of the balance, the accounts whose unpaid fees exceed 10 % of principal, and the
account actions of the month (freezes, cures).

Inputs are the marts as the orchestration layer reads them, already aggregated; the charge-off
trend comes from the pack's own mart.delinquency frame, so its figures are the KPI table's.
A frame with an identifier column is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl
from markupsafe import Markup

from reports import charts, formatting
from reports.ecl_section import products_total_last
from reports.i18n import label, month_label, product_label, state_labels
from reports.kpis import TREND_MONTHS
from reports.render import check_frame
from transforms.months import add_months
from transforms.states import ALL_PRODUCTS

COLUMNS = {
    "overdue_cost": ("month", "product", "bucket", "bucket_order", "accounts", "total_balance", "penalty_interest",
                     "late_fees", "fee_balance", "fee_share", "fees_over_10pct_principal", "freezes", "cures"),
    "recovery_curve": ("month", "product", "charge_off_month", "months_since", "accounts", "charged_off_amount",
                       "cumulative_recoveries", "recovery_rate"),
}
SUMMED = ("accounts", "total_balance", "penalty_interest", "late_fees", "fee_balance", "fees_over_10pct_principal",
          "freezes", "cures")
CHART_COHORTS = 6    # charge-off cohorts drawn as lines and listed in the table (the most recent)
BUCKET = re.compile(r"^dpd_(\d+)_(\d+|plus)$")
COMPARE_AGE = 6      # months since charge-off at which the sentence compares the latest cohort with the average


@dataclass(frozen=True)
class OverdueInput:
    overdue_cost: pl.DataFrame     # mart.overdue_cost of the month (products incl. "all", one row per bucket)
    recovery_curve: pl.DataFrame   # mart.recovery_curve of the month (products incl. "all", cohort × months since)


def check_overdue(data: OverdueInput, identifying: Iterable[str]) -> None:
    """Fails early, naming the frame and column, as the pack does for its other frames."""
    for name, columns in COLUMNS.items():
        check_frame(f"overdue.{name}", getattr(data, name), columns, identifying)


def _ticks(months: list[date]) -> list[str]:
    return [f"{m.month:02d}\n{m.year}" if i == 0 or m.month == 1 else f"{m.month:02d}" for i, m in enumerate(months)]


def _share(part: Decimal, whole: Decimal) -> float | None:
    return float(part / whole) if whole else None


def _totals(rows: list[dict]) -> dict:
    out = {k: sum((r[k] for r in rows), Decimal(0) if isinstance(rows[0][k], Decimal) else 0) for k in SUMMED}
    return {**out, "fee_share": _share(out["fee_balance"], out["total_balance"])}


# --- charge-offs and recoveries ------------------------------------------------------------------

def charge_off_trend(delinquency: pl.DataFrame, month: date, locale: str, currency: str) -> dict:
    """Gross charge-offs, recoveries, net and the NCO rate of all products, up to 13 months."""
    first = add_months(month, -(TREND_MONTHS - 1))
    rows = (delinquency.filter((pl.col("product") == ALL_PRODUCTS) & pl.col("month").is_between(first, month))
            .sort("month").to_dicts())
    chart = None
    if len(rows) >= 2:
        chart = Markup(charts.charge_off_bars(
            "overdue-charge-offs", _ticks([r["month"] for r in rows]), [float(r["gross_charge_offs"]) for r in rows],
            [float(r["recoveries"]) for r in rows], [r["nco_rate"] for r in rows],
            (label(locale, "kpi.gross_charge_offs"), label(locale, "kpi.recoveries"), label(locale, "chart.nco_rate")),
            {e: label(locale, f"chart.amount_axis_{e}", currency=currency) for e in (0, 3, 6)},
            label(locale, "chart.nco_axis"), label(locale, "chart.charge_offs_alt")))
    return {"rows": [{**r, "month_label": month_label(r["month"], locale)} for r in rows], "chart": chart}


# --- recovery curve ------------------------------------------------------------------------------

def average_curve(curve: pl.DataFrame) -> list[tuple[int, float | None]]:
    """Per months since charge-off k, the sum over ages j ≤ k of the month's recoveries at j as a share
    of the amount charged off, each over the cohorts observed at j (amount weighted: a large cohort
    counts for its amount, not as one of many).

    Why added up month by month, not Σ cumulative recoveries / Σ amount at each age: the cohorts
    observed thin out with age, and the oldest ones alone at the tail made a cumulative curve fall
    (27 % → 24 % in the demo's last months) where nothing was given back. Where the same cohorts are
    observed at every age up to k, the two are equal. Unknown from an age whose cohorts charged off
    nothing."""
    steps = (curve.sort("charge_off_month", "months_since")
             .with_columns(recovered=pl.col("cumulative_recoveries")
                           - pl.col("cumulative_recoveries").shift(1, fill_value=0).over("charge_off_month"))
             .group_by("months_since").agg(pl.col("recovered").sum(), pl.col("charged_off_amount").sum())
             .sort("months_since"))
    out: list[tuple[int, float | None]] = []
    total: float | None = 0.0
    for step in steps.to_dicts():  # one row per age: at most the months of history
        rate = _share(step["recovered"], step["charged_off_amount"])
        total = None if total is None or rate is None else total + rate
        out.append((step["months_since"], total))
    return out


def recovery_context(frame: pl.DataFrame, locale: str) -> dict | None:
    curve = frame.filter(pl.col("product") == ALL_PRODUCTS).sort("charge_off_month", "months_since")
    if curve.height == 0:
        return None
    cohorts = curve["charge_off_month"].unique().sort().to_list()
    drawn = cohorts[-CHART_COHORTS:]
    lines = {month_label(c, locale): [(r["months_since"], r["recovery_rate"])
                                      for r in curve.filter(pl.col("charge_off_month") == c).to_dicts()]
             for c in drawn}
    average = average_curve(curve)
    chart = Markup(charts.recovery_curves(
        "recovery-curve", lines, (label(locale, "overdue.average_curve"), average) if len(cohorts) > 1 else None,
        label(locale, "overdue.months_since_axis"), label(locale, "overdue.recovery_axis"),
        label(locale, "overdue.recovery_alt")))
    latest = curve.sort("months_since").group_by("charge_off_month", maintain_order=True).last()
    table = [{**r, "cohort": month_label(r["charge_off_month"], locale)}
             for r in latest.sort("charge_off_month", descending=True).head(CHART_COHORTS).to_dicts()]
    return {"chart": chart, "rows": table, "cohorts": len(cohorts), "shown": len(drawn),
            "average": dict(average), "curve": curve}


def recovery_sentence(recovery: dict | None, locale: str, decimals: int) -> str | None:
    """The latest cohort to reach COMPARE_AGE months (or the oldest age seen) against the average there."""
    if recovery is None:
        return None
    curve = recovery["curve"]
    age = min(COMPARE_AGE, int(curve["months_since"].max()))
    at_age = curve.filter(pl.col("months_since") == age).sort("charge_off_month")
    if at_age.height == 0:
        return None
    latest = at_age.row(-1, named=True)
    pct = lambda v: formatting.percent(v, locale, decimals)
    values = {"cohort": month_label(latest["charge_off_month"], locale), "age": formatting.months(age, locale),
              "rate": pct(latest["recovery_rate"])}
    if at_age.height > 1:
        return label(locale, "overdue.sentence_recovery", **values, average=pct(recovery["average"].get(age)))
    return label(locale, "overdue.sentence_recovery_single", **values)


# --- overdue cost --------------------------------------------------------------------------------

def bucket_rows(cost: pl.DataFrame, locale: str) -> list[dict]:
    rows = cost.filter(pl.col("product") == ALL_PRODUCTS).sort("bucket_order").to_dicts()
    names = state_labels([r["bucket"] for r in rows], locale)
    return [{**r, "label": names[r["bucket"]]} for r in rows]


def product_rows(cost: pl.DataFrame, locale: str) -> list[dict]:
    """Each product's buckets summed (`all` last), fee share recomputed from the sums."""
    out = []
    for product in products_total_last(cost["product"].to_list()):
        rows = cost.filter(pl.col("product") == product).to_dicts()
        out.append({**_totals(rows), "product": product_label(product, locale), "is_total": product == ALL_PRODUCTS})
    return out


def bucket_tick(bucket: str, name: str) -> str:
    """A short tick for the chart: the DPD range ("30–59", "180+") under an axis titled in days past
    due; M-names ("M2") and non-bucket states keep their display label. Eight full labels
    ("30–59 DPD", "逾期 30–59 天") do not fit side by side."""
    match = BUCKET.match(bucket)
    if match is None or name.startswith("M"):
        return name
    lo, hi = match.groups()
    return f"{lo}+" if hi == "plus" else f"{lo}–{hi}"


def snowball_chart(rows: list[dict], locale: str, currency: str) -> Markup:
    return Markup(charts.cost_by_bucket(
        "overdue-snowball", [bucket_tick(r["bucket"], r["label"]) for r in rows], [float(r["penalty_interest"]) for r in rows],
        [float(r["late_fees"]) for r in rows], [r["fee_share"] for r in rows],
        (label(locale, "overdue.penalty_interest"), label(locale, "overdue.late_fees"),
         label(locale, "overdue.fee_share_line")),
        {e: label(locale, f"chart.amount_axis_{e}", currency=currency) for e in (0, 3, 6)},
        label(locale, "overdue.fee_share_axis"), label(locale, "overdue.snowball_alt"),
        x_label=label(locale, "overdue.bucket_axis")))


def cost_sentences(buckets: list[dict], total: dict, locale: str, currency: str, decimals: int) -> list[str]:
    money = lambda v: formatting.money(v, locale, currency)
    pct = lambda v: formatting.percent(v, locale, decimals)
    shares = [r for r in buckets if not formatting.is_missing(r["fee_share"])]
    out = []
    if shares:
        top = max(shares, key=lambda r: r["fee_share"])
        out.append(label(locale, "overdue.sentence_snowball", penalty=money(total["penalty_interest"]),
                         fees=money(total["late_fees"]), top_share=pct(top["fee_share"]), bucket=top["label"],
                         book_share=pct(total["fee_share"])))
    out.append(label(locale, "overdue.sentence_actions",
                     over=formatting.accounts(total["fees_over_10pct_principal"], locale),
                     freezes=formatting.accounts(total["freezes"], locale),
                     cures=formatting.accounts(total["cures"], locale)))
    return out


def overdue_context(data: OverdueInput, delinquency: pl.DataFrame, month: date, locale: str, currency: str,
                    decimals: int) -> dict:
    cost = data.overdue_cost.filter(pl.col("month") == month)
    buckets = bucket_rows(cost, locale)
    total = _totals(buckets) if buckets else None
    recovery = recovery_context(data.recovery_curve.filter(pl.col("month") == month), locale)
    sentences = cost_sentences(buckets, total, locale, currency, decimals) if total else []
    recovered = recovery_sentence(recovery, locale, decimals)
    if recovered:
        sentences.append(recovered)
    if recovery is not None:
        recovery = {k: v for k, v in recovery.items() if k not in ("curve", "average")}
    return {
        "sentences": sentences,
        "charge_offs": charge_off_trend(delinquency, month, locale, currency),
        "recovery": recovery,
        "buckets": buckets,
        "total": total,
        "snowball": snowball_chart(buckets, locale, currency) if buckets else None,
        "products": product_rows(cost, locale) if cost.height else [],
        "chart_cohorts": CHART_COHORTS,
    }

