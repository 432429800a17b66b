"""Vintage curves by cohort and months on book, and their chain-ladder projection (methodology §3).

Every cohort is followed at the same age, so a cohort that runs worse than its elders at the same
months on book shows it long before its losses are written off; the projection says where an
immature cohort is heading, and is flagged as projected wherever it appears.

Public projection API (long triangles: `origin`, `age`, `value`, optionally grouped by `by`):
- `development_factors(triangle, n_periods=None)` → `age`, `factor` (age → age + 1), volume
  weighted: f_k = Σ_c V(c, k+1) / Σ_c V(c, k) over the origins observed at both ages, or only the
  latest `n_periods` of them. Agrees with chainladder's `Development(average="volume")`.
- `complete_triangle(triangle, factors, horizon)` → `origin`, `age`, `value`, `projected`: observed
  cells unchanged, later cells up to `horizon` projected from each origin's latest value.
"""

from collections.abc import Sequence
from datetime import date

import polars as pl

from transforms.exact import exact_sum
from transforms.states import month_index as month_number
from transforms.states import with_all_products

MONEY = pl.Decimal(18, 2)
EVER_THRESHOLDS = (30, 60, 90)
KEYS = ["product", "segment_type", "segment"]
SEGMENTATIONS = {"all": None, "risk_grade": "risk_grade", "channel": "channel"}
ATOM = ["product", "risk_grade", "channel"]  # what places an account in its segments


class TriangleError(ValueError):
    """A triangle with a gap: a missing cell is an error, not a zero."""


def _check_contiguous(triangle: pl.DataFrame, by: Sequence[str]) -> None:
    spans = triangle.group_by([*by, "origin"]).agg(
        cells=pl.len(), first=pl.col("age").min(), last=pl.col("age").max(), distinct=pl.col("age").n_unique())
    gaps = spans.filter((pl.col("cells") != pl.col("last") - pl.col("first") + 1)
                        | (pl.col("distinct") != pl.col("cells")))
    if gaps.height:
        raise TriangleError(f"triangle has missing or repeated ages for origin(s) {gaps['origin'].to_list()[:5]}")


def development_factors(triangle: pl.DataFrame, n_periods: int | None = None,
                        by: Sequence[str] = ()) -> pl.DataFrame:
    """Volume-weighted age-to-age factors; null where the origins sum to zero at `age`."""
    by = list(by)
    _check_contiguous(triangle, by)
    pairs = triangle.join(triangle.with_columns(pl.col("age") - 1).rename({"value": "next_value"}),
                          on=[*by, "origin", "age"], how="inner")
    if n_periods is not None and n_periods > 0:
        pairs = pairs.filter(pl.col("origin").rank("ordinal", descending=True).over([*by, "age"]) <= n_periods)
    sums = pairs.group_by([*by, "age"]).agg(exact_sum(pl.col("value")).alias("base"),
                                           exact_sum(pl.col("next_value")).alias("developed"))
    return (sums.with_columns(factor=pl.when(pl.col("base") != 0).then(pl.col("developed") / pl.col("base")))
            .select(*by, "age", "factor").sort([*by, "age"]))


def complete_triangle(triangle: pl.DataFrame, factors: pl.DataFrame, horizon: int,
                      by: Sequence[str] = ()) -> pl.DataFrame:
    """Observed cells as they are, and V̂(c, j) = V(c, k_c) · Π_{i=k_c}^{j−1} f_i for k_c < j ≤ horizon.

    Beyond the last age with a factor, development is taken as complete (factor 1, no tail).
    A null factor (the origins summed to zero at that age) makes the projection unknown (null).
    """
    by = list(by)
    _check_contiguous(triangle, by)
    observed = triangle.with_columns(pl.col("value").cast(pl.Float64), projected=pl.lit(False))
    latest = triangle.group_by([*by, "origin"]).agg(last_age=pl.col("age").max(),
                                                   last_value=pl.col("value").sort_by("age").last())
    future = (latest.filter(pl.col("last_age") < horizon)
              .with_columns(age=pl.int_ranges(pl.col("last_age") + 1, horizon + 1)).explode("age"))
    # a factor missing beyond the data is 1; a factor present but undefined (null) poisons the product
    step_factors = factors.select(*by, step_age="age", factor="factor", defined=pl.col("factor").is_not_null())
    projected = (
        future.with_columns(step_age=pl.col("age") - 1)
        .join(step_factors, on=[*by, "step_age"], how="left")
        .with_columns(factor=pl.col("factor").fill_null(1.0),
                      undefined=(pl.col("defined") == False).fill_null(False).cast(pl.Int32))  # noqa: E712
        .sort([*by, "origin", "age"])
        .with_columns(growth=pl.col("factor").cum_prod().over([*by, "origin"]),
                      poisoned=pl.col("undefined").cum_sum().over([*by, "origin"]))
        .select(*by, "origin", "age",
                value=pl.when(pl.col("poisoned") == 0).then(pl.col("last_value").cast(pl.Float64) * pl.col("growth")),
                projected=pl.lit(True))
    )
    return pl.concat([observed.select(*by, "origin", "age", "value", "projected"), projected],
                     how="vertical_relaxed").sort([*by, "origin", "age"])


def _segment_sums(rows: pl.DataFrame, cell: Sequence[str], **measures: pl.Expr) -> pl.DataFrame:
    """Additive `measures` (counts, sums) of `rows` per segment and `cell`, for every segment a row
    belongs to: (own product, `all`) × (all, grade, channel). Taken per product, grade and channel
    first and only then added into the segments, so no row is copied six times and the sums stay exact."""
    sums = rows.group_by(*ATOM, *cell).agg(**measures)
    frames = [sums.with_columns(segment_type=pl.lit(kind),
                                segment=pl.lit("all") if column is None else pl.col(column).fill_null("(none)"))
              for kind, column in SEGMENTATIONS.items()]
    return with_all_products(pl.concat(frames)).group_by([*KEYS, *cell]).agg(pl.col(list(measures)).sum())


def _grid(cohorts: pl.DataFrame, month: date, observed_from: date) -> pl.DataFrame:
    """Every cell that exists: mob from the first observed month to the cohort's age, no further."""
    age = month_number(pl.lit(month, dtype=pl.Date)) - month_number(pl.col("cohort_month"))
    first = (month_number(pl.lit(observed_from, dtype=pl.Date)) - month_number(pl.col("cohort_month"))).clip(0)
    return cohorts.with_columns(mob=pl.int_ranges(first, age + 1, dtype=pl.Int32)).explode("mob").drop_nulls("mob")


def _cumulative(grid: pl.DataFrame, events: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Events per cell joined to the grid, then summed over months on book up to each cell."""
    joined = grid.join(events, on=[*KEYS, "cohort_month", "mob"], how="left")
    return joined.with_columns(pl.col(c).fill_null(0) for c in columns).sort([*KEYS, "cohort_month", "mob"]) \
        .with_columns(pl.col(c).cum_sum().over([*KEYS, "cohort_month"]) for c in columns)


def vintage_cells(accounts: pl.DataFrame, delinquent: pl.DataFrame, losses: pl.DataFrame, month: date,
                  observed_from: date) -> pl.DataFrame:
    """Observed vintage cells of the reporting month.

    accounts: account_id, product, risk_grade, channel, cohort_month, original_amount (cohorts ≤ month);
    delinquent: account_id, mob, days_past_due, state, total_balance, receivable (other columns are
      ignored) — the account-months with DPD ≥ 30 or charged off (no other row changes any measure),
      months ≤ month;
    losses: account_id, month (of the posting), entry_type (`charge_off`, `recovery`), amount, months ≤ month.
    Cohorts opened before `observed_from` (the first month loaded) are left-truncated: their cells
    start there, and their running maxima start there too.
    """
    members = accounts.select("account_id", *ATOM, "cohort_month", "original_amount")
    cell = ["cohort_month", "mob"]
    cohorts = _segment_sums(members, ["cohort_month"], cohort_accounts=pl.len().cast(pl.Int64),
                            cohort_amount=pl.col("original_amount").sum()
                            ).with_columns(pl.col("cohort_amount").cast(MONEY))
    grid = _grid(cohorts, month, observed_from)

    worst = pl.col("state") == "charged_off"
    firsts = delinquent.group_by("account_id").agg(
        *(pl.col("mob").filter((pl.col("days_past_due") >= x) | worst).min().alias(f"first{x}")
          for x in EVER_THRESHOLDS))
    reached = members.join(firsts, on="account_id", how="inner")
    ever = grid
    for x in EVER_THRESHOLDS:
        events = _segment_sums(reached.drop_nulls(f"first{x}").with_columns(mob=pl.col(f"first{x}")), cell,
                               **{f"ever{x}_accounts": pl.len().cast(pl.Int64),
                                  f"ever{x}_amount": pl.col("original_amount").sum()})
        ever = _cumulative(ever, events.with_columns(pl.col(f"ever{x}_amount").cast(pl.Float64)),
                           [f"ever{x}_accounts", f"ever{x}_amount"])

    dq30_rows = delinquent.filter((pl.col("days_past_due") >= 30) & pl.col("receivable")).join(members, on="account_id")
    dq30 = _segment_sums(dq30_rows, cell, dq30_balance=pl.col("total_balance").sum()
                         ).with_columns(pl.col("dq30_balance").cast(MONEY))
    loss_rows = losses.join(members, on="account_id").with_columns(
        mob=(month_number(pl.col("month")) - month_number(pl.col("cohort_month"))).cast(pl.Int32))
    flows = _segment_sums(loss_rows, cell,
                          cum_gross_loss=pl.col("amount").filter(pl.col("entry_type") == "charge_off").sum(),
                          cum_recovery=pl.col("amount").filter(pl.col("entry_type") == "recovery").sum()
                          ).with_columns(pl.col("cum_gross_loss", "cum_recovery").cast(MONEY))
    cells = _cumulative(ever, flows, ["cum_gross_loss", "cum_recovery"]).join(
        dq30, on=[*KEYS, "cohort_month", "mob"], how="left")
    amount = pl.col("cohort_amount").cast(pl.Float64)
    return cells.with_columns(
        pl.col("dq30_balance").fill_null(pl.lit(0).cast(MONEY)),
        cum_net_loss=(pl.col("cum_gross_loss") - pl.col("cum_recovery")).cast(MONEY),
    ).with_columns(
        *(pl.col(f"ever{x}_accounts").truediv(pl.col("cohort_accounts")).alias(f"ever{x}_rate") for x in EVER_THRESHOLDS),
        *(pl.col(f"ever{x}_amount").truediv(amount).alias(f"ever{x}_amount_rate") for x in EVER_THRESHOLDS),
        dq30_balance_rate=pl.col("dq30_balance").cast(pl.Float64) / amount,
        cum_net_loss_rate=pl.col("cum_net_loss").cast(pl.Float64) / amount,
        month=pl.lit(month, dtype=pl.Date), projected=pl.lit(False),
    ).select(VINTAGE_COLUMNS)


VINTAGE_COLUMNS = [
    "month", *KEYS, "cohort_month", "mob", "projected", "cohort_accounts", "cohort_amount",
    *(f"ever{x}_accounts" for x in EVER_THRESHOLDS), *(f"ever{x}_rate" for x in EVER_THRESHOLDS),
    *(f"ever{x}_amount_rate" for x in EVER_THRESHOLDS), "dq30_balance", "dq30_balance_rate",
    "cum_gross_loss", "cum_recovery", "cum_net_loss", "cum_net_loss_rate",
]
# projected rate: (cumulative measure, cohort size, the most the rate can be: a count of the cohort's
# accounts cannot pass the cohort itself; a loss can, with interest and fees, pass the amount lent)
PROJECTED_MEASURES = {"ever30_rate": ("ever30_accounts", "cohort_accounts", 1.0),
                      "cum_net_loss_rate": ("cum_net_loss", "cohort_amount", None)}
# A cohort is projected once it is this many months on book. Younger, its handful of early events
# would be multiplied by the largest factors of the chain (a loan 30 days behind at MOB 1, times the
# MOB 1 → 2 factor of some 25 on the demo book, made a one-month-old cohort's ever-30+ rate 163 % at 24).
MIN_PROJECTION_MOB = 3


def _triangle(cells: pl.DataFrame, measure: str) -> pl.DataFrame:
    return cells.select(*KEYS, origin="cohort_month", age="mob", value=pl.col(measure).cast(pl.Float64))


def project(cells: pl.DataFrame, horizon: int, n_periods: int | None) -> pl.DataFrame:
    """Projected cells (after each cohort's age, up to the horizon) of ever-30+ and cum net loss.

    Projected rows carry `ever30_rate` and `cum_net_loss_rate` only; every other measure is null,
    because nothing else was observed or projected there. A cohort younger than
    `MIN_PROJECTION_MOB` gets its projected cells with the rates unknown (null), and a projected
    ever-30+ rate stops at 100 %.
    """
    if cells.height == 0:
        return cells
    cohorts = cells.group_by(*KEYS, "cohort_month").agg(pl.col("cohort_accounts", "cohort_amount").first(),
                                                        old_enough=pl.col("mob").max() >= MIN_PROJECTION_MOB)
    rates = None
    for rate, (measure, size, most) in PROJECTED_MEASURES.items():
        triangle = _triangle(cells, measure)
        completed = complete_triangle(triangle, development_factors(triangle, n_periods, by=KEYS), horizon, by=KEYS)
        value = pl.col("value") / pl.col(size).cast(pl.Float64)
        part = (completed.filter("projected").rename({"origin": "cohort_month", "age": "mob"})
                .join(cohorts, on=[*KEYS, "cohort_month"])
                .with_columns(pl.when("old_enough").then(value if most is None else value.clip(upper_bound=most))
                              .alias(rate))
                .select(*KEYS, "cohort_month", "mob", rate))
        rates = part if rates is None else rates.join(part, on=[*KEYS, "cohort_month", "mob"], how="full",
                                                      coalesce=True)
    projected = (rates.join(cohorts, on=[*KEYS, "cohort_month"])
                 .with_columns(month=cells["month"].first(), projected=pl.lit(True), mob=pl.col("mob").cast(pl.Int32)))
    # the observed frame's (empty) schema types the measures that projected rows leave null
    return pl.concat([cells.clear(), projected], how="diagonal_relaxed").select(VINTAGE_COLUMNS)


def lifetime_loss(cells: pl.DataFrame, horizon: int, n_periods: int | None) -> pl.DataFrame:
    """Cumulative net loss rate per cohort at the horizon, and how it was reached.

    `observed`: the cohort is at or past the horizon. `chain_ladder`: projected from its latest
    loss. `bornhuetter_ferguson`: no loss yet (0 · f stays 0), or younger than `MIN_PROJECTION_MOB`
    (its own loss too thin to multiply), so the still-undeveloped share of the chain-ladder pattern
    (1 − 1/CDF) is filled at the prior rate, the amount-weighted lifetime rate of the cohorts above
    in the same product and segment. Null when there is no prior.
    """
    if cells.height == 0:
        return pl.DataFrame()
    triangle = _triangle(cells, "cum_net_loss")
    factors = development_factors(triangle, n_periods, by=KEYS)
    latest = (cells.sort("mob").group_by([*KEYS, "cohort_month"])
              .agg(pl.col("cohort_accounts", "cohort_amount").first(), observed_mob=pl.col("mob").last(),
                   observed_value=pl.col("cum_net_loss").last().cast(pl.Float64),
                   at_horizon=pl.col("cum_net_loss").filter(pl.col("mob") == horizon).first().cast(pl.Float64)))
    completed = complete_triangle(triangle, factors, horizon, by=KEYS)
    ladder = completed.filter(pl.col("age") == horizon).select(*KEYS, cohort_month="origin", ladder="value")
    # CDF from each cohort's age to the horizon: the chain-ladder growth of a unit value
    unit = latest.select(*KEYS, origin="cohort_month", age="observed_mob", value=pl.lit(1.0))
    cdf = (complete_triangle(unit, factors, horizon, by=KEYS).filter(pl.col("age") == horizon)
           .select(*KEYS, cohort_month="origin", cdf="value"))
    amount = pl.col("cohort_amount").cast(pl.Float64)
    out = (latest.join(ladder, on=[*KEYS, "cohort_month"], how="left").join(cdf, on=[*KEYS, "cohort_month"], how="left")
           .with_columns(method=pl.when(pl.col("observed_mob") >= horizon).then(pl.lit("observed"))
                         .when((pl.col("observed_value") > 0) & pl.col("ladder").is_not_null()
                               & (pl.col("observed_mob") >= MIN_PROJECTION_MOB)).then(pl.lit("chain_ladder"))
                         .otherwise(pl.lit("bornhuetter_ferguson")))
           .with_columns(known=pl.when(pl.col("method") == "observed").then(pl.col("at_horizon"))
                         .when(pl.col("method") == "chain_ladder").then(pl.col("ladder"))))
    known_amount = exact_sum(amount.filter(pl.col("known").is_not_null()))
    prior = out.group_by(KEYS).agg(prior_rate=pl.when(known_amount > 0).then(exact_sum(pl.col("known")) / known_amount))
    developed = pl.when(pl.col("cdf").is_not_null() & (pl.col("cdf") > 0)).then(1 / pl.col("cdf")).otherwise(0.0)
    return (out.join(prior, on=KEYS, how="left")
            .with_columns(lifetime=pl.when(pl.col("method") != "bornhuetter_ferguson").then(pl.col("known"))
                          .otherwise(pl.col("observed_value") + (1 - developed) * pl.col("prior_rate") * amount))
            .select(pl.lit(cells["month"].first()).alias("month"), *KEYS, "cohort_month", "cohort_accounts", "cohort_amount",
                    pl.col("observed_mob").cast(pl.Int32),
                    observed_cum_net_loss_rate=pl.col("observed_value") / amount,
                    lifetime_cum_net_loss_rate=pl.col("lifetime") / amount,
                    horizon=pl.lit(horizon, dtype=pl.Int32), method="method")
            .sort([*KEYS, "cohort_month"]))
