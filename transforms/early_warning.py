"""Early warning: behaviour signals and a score for accounts not yet 30 days past due.

Roll rates (§4) show the book moving into 30+ after it happened; these signals look at accounts
that are still current or 1–29 DPD and ask which of them are heading there. Each signal is a
plain rule with configured thresholds, so a collections team can read why an account is on the
watchlist; the score weighs the signals by how well they predicted 30+ in the past.

Time discipline (the whole point of a back-test is that it is honest):
- A month's signals use nothing dated after that month: `signals` cuts its inputs at the month
  and at `lookback_months` before it, so later (or much earlier) data cannot change them.
- The outcome of month m ("bad") is whether the account reaches `bad_dpd` or is charged off in
  m+1..m+horizon; it is null until month m+horizon has been observed.
- The score used in month m is fitted only on months ≤ m − horizon, the latest months whose
  outcome is fully known in m, so scoring never uses an outcome from the future.

Public API:
- `Thresholds`, `ScoreSettings`: the configured parameters (validated on construction).
- `lookback_months(thresholds)`: how many months before m the history must reach;
  `repayment_months(thresholds)`: how many months ending with m the repayments must cover.
- `signals(history, postings, month, thresholds[, cohort_history])` / `signal_panel(history,
  postings, thresholds)`: the population of m (or of every month with a complete lookback) with
  one Boolean column per signal and the bucket-history features (`SIGNAL_COLUMNS`); a large book
  can be taken in parts of its accounts, the cohort shares read from every account.
  `signals_of_months(history, postings, months, thresholds[, cohort_history])`: `signals` of
  several months, their shared rows flagged once.
- `targets(history, horizon, bad_dpd)`: month, account_id, bad (null when not yet known).
- `fit_score(labelled, month, thresholds, settings)` → `Model`, the same as
  `fit_patterns(pattern_counts(labelled, …), …)` or `fit_patterns(month_patterns(labelled), …)`,
  whose counts can be summed over parts of a book and kept from one month's fit to the next;
  `score(frame, model)` adds logit, score, band, watchlist, model_id; `explain(scored, model)`
  gives each feature's contribution; `model_frame(model)` / `model_from_frame(rows)`
  store and restore a model exactly.
- `out_of_time(labelled, months, thresholds, settings)`: each month scored by its own model.
- `backtest(scored, settings)` → (per-month summary, per-month-and-band frame).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import numpy as np
import polars as pl

from transforms.exact import exact_sum
from transforms.months import add_months
from transforms.states import month_index

METHOD_VERSION = "early_warning/1"
SIGNALS = ("high_utilisation", "utilisation_jump", "min_payments", "recent_cure", "fees_growing",
           "recent_freeze", "cohort_early_default")
BUCKET_HISTORY_MONTHS = 6  # the window of the bucket-history features (their names say 6m)
HISTORY_FEATURES = ("delinquent_now", "months_delinquent_6m", "was_30_plus_6m")
FEATURES = (*SIGNALS, *HISTORY_FEATURES)
SIGNAL_COLUMNS = ["month", "account_id", "product", "bucket", "days_past_due", "utilisation",
                  "cohort_early_default_rate", *SIGNALS, "signal_count", "delinquent_now",
                  "months_delinquent_6m", "max_dpd_6m", "was_30_plus_6m"]
BANDS = ("A", "B", "C", "D", "E")
LOAN_PRODUCTS = ("installment", "cash_loan")
HISTORY_COLUMNS = ["month", "account_id", "product", "status", "total_balance", "fee_balance", "credit_limit",
                   "days_past_due", "min_payment_due", "bucket", "cohort_month", "mob", "on_book"]
KEYS = ["month", "account_id"]


class InsufficientHistory(ValueError):
    """The fit window holds too few months, or only one outcome: no model can be fitted."""


@dataclass(frozen=True)
class Thresholds:
    """Signal definitions. Ratios are compared exactly (in integer cents), so a value on the mark fires."""

    bad_dpd: int = 30                    # population: DPD < bad_dpd in m; target: reaching it
    high_utilisation: float = 0.9        # total_balance / credit_limit at or above this
    utilisation_jump: float = 0.3        # utilisation up by at least this (absolute) ...
    utilisation_jump_months: int = 3     # ... against this many months ago
    min_pay_ratio: float = 1.1           # a month's repayments at most this × the minimum due ...
    min_pay_months: int = 3              # ... in each of this many months running (revolving only)
    cure_lookback: int = 3               # a move from DPD > 0 to DPD 0 within this many months (m included)
    fee_growth_months: int = 2           # fee_balance up month on month in each of this many months
    freeze_lookback: int = 3             # status frozen at any month-end of this many months (m included)
    early_default_mob: int = 3           # cohort accounts reaching bad_dpd (or charged off) by this mob ...
    early_default_rate: float = 0.05     # ... as a share of the cohort at or above this ...
    early_default_min_accounts: int = 30  # ... once the cohort has this many accounts (else no signal) ...
    cohort_max_mob: int = 12             # ... flags the cohort's loans while at most this many months on book

    def __post_init__(self):
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.type == "int" and (not isinstance(value, int) or value < 1):
                raise ValueError(f"early warning threshold {field.name} must be a positive integer, got {value!r}")
            if field.type == "float":
                if not (isinstance(value, int | float) and value >= 0):
                    raise ValueError(f"early warning threshold {field.name} must be a number ≥ 0, got {value!r}")
                object.__setattr__(self, field.name, float(value))  # 1 and 1.0: one model id


@dataclass(frozen=True)
class ScoreSettings:
    """How the score is fitted, banded and judged."""

    horizon: int = 3                     # months ahead the target looks (bad in m+1..m+horizon)
    fit_months: int = 12                 # latest months with a known outcome the model is fitted on
    min_fit_months: int = 6              # fewer months than this in the window: no model
    regularisation: float = 1.0          # scikit-learn's C (inverse L2 strength)
    band_cuts: tuple[float, ...] = (0.02, 0.05, 0.10, 0.20)  # lower score edges of bands B, C, D, E
    watchlist_band: str = "D"            # this band and worse form the watchlist
    gini_floor: float = 0.3              # back-test warning below this Gini (demo book: 0.36–0.59)

    def __post_init__(self):
        if min(self.horizon, self.fit_months, self.min_fit_months) < 1 or self.min_fit_months > self.fit_months:
            raise ValueError("horizon, fit_months, min_fit_months must be ≥ 1 and min_fit_months ≤ fit_months")
        cuts = tuple(self.band_cuts)
        if len(cuts) != len(BANDS) - 1 or any(not 0 < c < 1 for c in cuts) or list(cuts) != sorted(set(cuts)):
            raise ValueError(f"band_cuts must be {len(BANDS) - 1} increasing probabilities in (0, 1), got {cuts}")
        object.__setattr__(self, "band_cuts", tuple(float(c) for c in cuts))
        if self.watchlist_band not in BANDS:
            raise ValueError(f"watchlist_band must be one of {BANDS}, got {self.watchlist_band!r}")
        if self.regularisation <= 0 or not 0 <= self.gini_floor <= 1:
            raise ValueError("regularisation must be > 0 and gini_floor in [0, 1]")
        object.__setattr__(self, "regularisation", float(self.regularisation))
        object.__setattr__(self, "gini_floor", float(self.gini_floor))


def lookback_months(thresholds: Thresholds) -> int:
    """Months before m the history must reach for m's signals to be complete.

    The cohort signal reads a cohort from its opening month, and it flags loans up to
    `cohort_max_mob`, so that bound is part of the lookback.
    """
    t = thresholds
    return max(BUCKET_HISTORY_MONTHS - 1, t.utilisation_jump_months, t.min_pay_months, t.cure_lookback,
               t.fee_growth_months, t.freeze_lookback - 1, t.cohort_max_mob)


def row_months(thresholds: Thresholds) -> int:
    """Months ending with m whose account rows m's signals read: each trailing window's months,
    and the month before them where the window's flag compares a month with the one before; the
    month the utilisation jump compares m with. Only the cohort shares read further back
    (`lookback_months`), and only the young loans' rows."""
    t = thresholds
    return max(t.utilisation_jump_months + 1,
               *(w.months + (w.column in COMPARED_WITH_MONTH_BEFORE) for w in _windows(t)))


def repayment_months(thresholds: Thresholds) -> int:
    """Months ending with m whose repayments m's signals read: only the minimum-payment run
    looks at repayments, each month's against the statement before it."""
    return thresholds.min_pay_months


# --- exact comparisons ------------------------------------------------------------------------------

def _cents(expr: pl.Expr) -> pl.Expr:
    """Money as integer cents. Polars 2.1 rounds a Decimal × Decimal product to the larger scale
    (0.05 × 0.05 = 0.00), so ratios are compared on integers instead."""
    return (expr.cast(pl.Decimal(38, 2)) * 100).cast(pl.Int128)


def _ratio(value: float) -> tuple[pl.Expr, pl.Expr]:
    """A configured ratio as an exact fraction (0.9 → 9/10, the number as written)."""
    fraction = Fraction(str(value))
    return pl.lit(fraction.numerator, dtype=pl.Int128), pl.lit(fraction.denominator, dtype=pl.Int128)


# --- signals ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Window:
    """A trailing-window feature: `aggregate` of `column` over the `months` months ending at m."""

    months: int
    name: str
    column: str
    aggregate: Callable[[pl.Expr], pl.Expr]


def _trailing(frame: pl.DataFrame, months: int, aggregations: dict[str, pl.Expr]) -> pl.DataFrame:
    """Per account and month, aggregations over the rows of the `months` months ending there.

    A window by calendar months, not by rows: a month missing from an account's history is
    absent from the window, never replaced by an older one.
    """
    return (frame.sort("account_id", "month")
            .rolling(index_column="month", period=f"{months}mo", group_by="account_id")
            .agg(**aggregations))


def _cohort_rates(history: pl.DataFrame, within: pl.Expr, thresholds: Thresholds, bad: pl.Expr) -> pl.DataFrame:
    """Early-default share of each loan cohort as known in each month: product, cohort_month, mi,
    cohort_early_default_rate (null below the minimum cohort size) and whether it reaches the mark.

    Numerator: accounts that reached bad_dpd or were charged off at mob ≤ early_default_mob, by m.
    Denominator: accounts of the cohort seen at mob ≤ early_default_mob, by m. A young cohort's
    share is what it shows so far (it can only grow), never a projection. Only rows `within`
    (the month's lookback) are read.
    """
    t = thresholds
    enough = pl.col("seen") >= t.early_default_min_accounts
    rate_num, rate_den = _ratio(t.early_default_rate)
    early = (history.filter(within & pl.col("product").is_in(LOAN_PRODUCTS) & (pl.col("mob") <= t.early_default_mob))
             .with_columns(mi=month_index(pl.col("month"))))
    keys = ["product", "cohort_month"]
    per_account = early.group_by(*keys, "account_id").agg(
        seen=pl.col("mi").min(), went_bad=pl.col("mi").filter(bad).min())
    events = pl.concat([
        per_account.group_by(*keys, mi="seen").agg(seen=pl.len().cast(pl.Int64), bads=pl.lit(0, dtype=pl.Int64)),
        per_account.drop_nulls("went_bad").group_by(*keys, mi="went_bad")
        .agg(seen=pl.lit(0, dtype=pl.Int64), bads=pl.len().cast(pl.Int64)),
    ]).group_by(*keys, "mi").agg(pl.col("seen", "bads").sum())
    grid = (events.select(keys).unique()
            .with_columns(start=month_index(pl.col("cohort_month")))
            .with_columns(mi=pl.int_ranges(pl.col("start"), pl.col("start") + t.cohort_max_mob + 1,
                                           dtype=pl.Int32))
            .explode("mi").drop("start"))
    return (grid.join(events, on=[*keys, "mi"], how="left")
            .with_columns(pl.col("seen", "bads").fill_null(0))
            .sort(*keys, "mi")
            .with_columns(seen=pl.col("seen").cum_sum().over(keys), bads=pl.col("bads").cum_sum().over(keys))
            .with_columns(cohort_early_default_rate=pl.when(enough).then(pl.col("bads") / pl.col("seen")),
                          cohort_hit=enough & (pl.col("bads").cast(pl.Int128) * rate_den
                                               >= rate_num * pl.col("seen").cast(pl.Int128)))
            .select(*keys, "mi", "cohort_early_default_rate", "cohort_hit"))


def _months_ending(month: date, months: int) -> pl.Expr:
    """Rows of the `months` calendar months ending with `month`: (month − months, month]."""
    return pl.col("month").is_between(pl.lit(add_months(month, -(months - 1)), dtype=pl.Date),
                                      pl.lit(month, dtype=pl.Date))


def _trailing_at(frame: pl.DataFrame, month: date, windows: Sequence[Window]) -> pl.DataFrame:
    """`_trailing` of every window for one month only: one group-by, each aggregation over the rows
    of its own months (an account on book in `month` has a row in every window)."""
    return frame.filter(_months_ending(month, max(w.months for w in windows))).group_by("account_id").agg(
        **{w.name: w.aggregate(pl.col(w.column).filter(_months_ending(month, w.months))) for w in windows})


def _lagged(months: int, **columns: str) -> dict[str, pl.Expr]:
    """Each column's value in the account's row of `months` months before, null where it has none.

    Over rows sorted by account and month, one per account and month: that row, where there is
    one, is at most `months` rows back (fewer where months are missing), so it is found by looking
    back row by row instead of joining the rows to themselves (the two joins on the account id were
    over a quarter of a month's signals).
    """
    def back(rows: int, column: str) -> pl.Expr:
        found = ((pl.col("account_id").shift(rows) == pl.col("account_id"))
                 & (pl.col("mi").shift(rows) == pl.col("mi") - months))
        return pl.when(found).then(pl.col(column).shift(rows))
    return {name: pl.coalesce([back(rows, column) for rows in range(1, months + 1)])
            for name, column in columns.items()}


# the flags `_flagged_rows` works out against the account's row of the month before (`_lagged(1, …)`)
COMPARED_WITH_MONTH_BEFORE = frozenset({"min_pay_month", "cured_here", "fee_up"})


def _windows(t: Thresholds) -> tuple[Window, ...]:
    return (Window(t.min_pay_months, "min_pay_run", "min_pay_month", pl.Expr.sum),
            Window(t.cure_lookback, "recent_cure", "cured_here", pl.Expr.any),
            Window(t.fee_growth_months, "fee_run", "fee_up", pl.Expr.sum),
            Window(t.freeze_lookback, "recent_freeze", "frozen", pl.Expr.any),
            Window(BUCKET_HISTORY_MONTHS, "months_delinquent_6m", "delinquent", lambda e: e.sum().cast(pl.Int32)),
            Window(BUCKET_HISTORY_MONTHS, "max_dpd_6m", "days_past_due", lambda e: e.max().cast(pl.Int32)))


def _flagged_rows(history: pl.DataFrame, postings: pl.DataFrame, t: Thresholds,
                  read: pl.Expr | None = None, kept: pl.Expr | None = None) -> pl.DataFrame:
    """The history's rows with their month-on-month comparisons and the per-row flags the
    trailing windows aggregate: the comparisons over the rows `read` (all by default), the flags
    on the rows `kept` of those (all by default).

    The history is not copied whole first: on a million-account book each copy of a year of it
    is gigabytes.
    """
    history = history.select(HISTORY_COLUMNS)
    base = (history if read is None else history.filter(read)).with_columns(
        mi=month_index(pl.col("month")), balance=_cents(pl.col("total_balance")), fee=_cents(pl.col("fee_balance")),
        limit=_cents(pl.col("credit_limit")), min_due=_cents(pl.col("min_payment_due"))
    ).drop("fee_balance", "min_payment_due")  # compared in cents from here on
    # by account, then month: sorted by the month first and then, keeping that order, by the id. One
    # sort on both keys took 1.8× as long (0.134 s against 0.075 s for the 1.1 million rows of
    # month 36 of the 200k bench)
    base = base.sort("mi").sort("account_id", maintain_order=True)
    # the rows the lags and windows read (the cohort shares count each account once anyway), sorted:
    # a repeated account and month are neighbours
    if base.select(((pl.col("account_id") == pl.col("account_id").shift(1))
                    & (pl.col("mi") == pl.col("mi").shift(1))).any()).item():
        raise ValueError("history holds an account twice in a month")
    # the month before, and the balance and limit the utilisation jump compares with
    base = base.with_columns(**_lagged(1, prev_dpd="days_past_due", prev_fee="fee", prev_min_due="min_due"),
                             **_lagged(t.utilisation_jump_months, past_balance="balance", past_limit="limit"))

    h = base if kept is None else base.filter(kept)
    repaid = (postings.filter(pl.col("entry_type") == "repayment")
              .group_by("account_id", "month").agg(repaid=_cents(pl.col("amount")).sum()))
    h = (h.join(repaid, on=["account_id", "month"], how="left")
         .with_columns(pl.col("repaid").fill_null(0)))

    pay_num, pay_den = _ratio(t.min_pay_ratio)
    return h.with_columns(
        # the minimum of the statement in m−1's snapshot is what the repayments of m answer; an
        # instalment's "minimum" is the instalment itself, so paying it is no warning there
        min_pay_month=((pl.col("product") == "revolving") & (pl.col("prev_min_due") > 0)
                       & (pl.col("repaid") * pay_den <= pay_num * pl.col("prev_min_due"))).fill_null(False),
        cured_here=((pl.col("prev_dpd") > 0) & (pl.col("days_past_due") == 0)).fill_null(False),
        fee_up=(pl.col("fee") > pl.col("prev_fee")).fill_null(False),
        frozen=pl.col("status") == "frozen",
        delinquent=pl.col("days_past_due") > 0,
    )


def _signal_columns(rows: pl.DataFrame, cohort_history: pl.DataFrame, within: pl.Expr, t: Thresholds) -> pl.DataFrame:
    """`SIGNAL_COLUMNS` of the population in `rows` (flagged rows with their trailing windows),
    the cohort shares counted over the rows of `cohort_history` that are `within` the lookback."""
    bad = (pl.col("days_past_due") >= t.bad_dpd) | (pl.col("status") == "charged_off")
    high_num, high_den = _ratio(t.high_utilisation)
    jump_num, jump_den = _ratio(t.utilisation_jump)
    has_line = pl.col("limit") > 0
    cohort_months = month_index(pl.col("cohort_month"))
    return (
        rows.filter(pl.col("on_book") & (pl.col("days_past_due") < t.bad_dpd))
        .join(_cohort_rates(cohort_history, within, t, bad), on=["product", "cohort_month", "mi"], how="left")
        .with_columns(
            utilisation=pl.when(has_line).then(pl.col("total_balance").cast(pl.Float64)
                                               / pl.col("credit_limit").cast(pl.Float64)),
            high_utilisation=(has_line & (pl.col("balance") * high_den >= high_num * pl.col("limit"))),
            # b/l − b₀/l₀ ≥ j  ⇔  (b·l₀ − b₀·l)·den ≥ num·l·l₀ for positive limits
            utilisation_jump=(has_line & (pl.col("past_limit") > 0)
                              & ((pl.col("balance") * pl.col("past_limit") - pl.col("past_balance") * pl.col("limit"))
                                 * jump_den >= jump_num * pl.col("limit") * pl.col("past_limit"))).fill_null(False),
            min_payments=pl.col("min_pay_run") == t.min_pay_months,
            fees_growing=pl.col("fee_run") == t.fee_growth_months,
            cohort_early_default=(pl.col("product").is_in(LOAN_PRODUCTS)
                                  & (pl.col("mi") - cohort_months <= t.cohort_max_mob)
                                  & pl.col("cohort_hit")).fill_null(False),
            delinquent_now=pl.col("days_past_due") > 0,
            was_30_plus_6m=pl.col("max_dpd_6m") >= t.bad_dpd,
        )
        .with_columns(signal_count=pl.sum_horizontal([pl.col(s).cast(pl.Int32) for s in SIGNALS]).cast(pl.Int32),
                      days_past_due=pl.col("days_past_due").cast(pl.Int32))
        .select(SIGNAL_COLUMNS)
        .sort(KEYS)
    )


def signals(history: pl.DataFrame, postings: pl.DataFrame, month: date, thresholds: Thresholds,
            cohort_history: pl.DataFrame | None = None) -> pl.DataFrame:
    """The early-warning signals of `month` (columns `SIGNAL_COLUMNS`), one row per account on book
    in `month` with DPD < bad_dpd.

    history: core.account_month rows (`HISTORY_COLUMNS`), at least `lookback_months` back (only
    `row_months` ending with `month` when `cohort_history` is given);
    postings: month, account_id, entry_type, amount, at least the `repayment_months` ending with
    `month`. Rows dated after `month`, or before the months each input is read for, are dropped
    first: they cannot influence the result. A signal whose months were never observed (a new
    account, a short history) does not fire.

    cohort_history: when `history` holds only some accounts (a large book taken in parts), the
    rows of every account the cohort early-default shares are counted over (month, account_id,
    product, status, days_past_due, cohort_month, mob; at least the loans up to
    `early_default_mob`); by default `history` itself.
    """
    return signals_of_months(history, postings, [month], thresholds, cohort_history)[month]


def signals_of_months(history: pl.DataFrame, postings: pl.DataFrame, months: Sequence[date], thresholds: Thresholds,
                      cohort_history: pl.DataFrame | None = None) -> dict[date, pl.DataFrame]:
    """`signals` of each of `months`, equal to it month by month, with the flags worked out once.

    A month's flags read only the months its trailing windows and month-on-month comparisons
    read, and its windows are one group-by instead of a rolling pass over every month: the
    nightly job needs one month, and the rolling pass was most of its early-warning time. Months
    near one another (a backfill's block) read mostly the same rows, so their flags are worked out
    together, over the rows any of them reads: a row's flags depend on the row and the months
    just before it only, and a month's windows aggregate only its own months' flags (the
    minimum-payment flag of a month outside one month's repayment window is never in that
    month's window).
    """
    t = thresholds
    windows = _windows(t)
    longest = max(w.months for w in windows)
    within = {month: _months_ending(month, lookback_months(t) + 1) for month in months}
    read = pl.any_horizontal([_months_ending(m, row_months(t)) for m in months])
    kept = pl.any_horizontal([_months_ending(m, longest) for m in months])
    paid = pl.any_horizontal([_months_ending(m, repayment_months(t)) for m in months])
    flagged = _flagged_rows(history, postings.filter(paid), t, read, kept)
    cohorts = history if cohort_history is None else cohort_history
    return {month: _signal_columns(flagged.filter(pl.col("month") == month)
                                   .join(_trailing_at(flagged, month, windows), on="account_id", how="left"),
                                   cohorts, within[month], t)
            for month in months}


def signal_panel(history: pl.DataFrame, postings: pl.DataFrame, thresholds: Thresholds) -> pl.DataFrame:
    """`signals` of every month of `history` that has a complete lookback, in one vectorised pass.

    The months of the first `lookback_months` of the history are left out: their signals would be
    computed from months that were never loaded. Each emitted month equals `signals` for it.
    """
    t = thresholds
    windows = _windows(t)
    rows = flagged = _flagged_rows(history, postings, t)
    for months in sorted({w.months for w in windows}):
        rows = rows.join(_trailing(flagged, months, {w.name: w.aggregate(pl.col(w.column))
                                                     for w in windows if w.months == months}),
                         on=["account_id", "month"], how="left")
    panel = _signal_columns(rows, history, pl.lit(True), t)
    if history.is_empty():
        return panel
    return panel.filter(pl.col("month") >= add_months(history["month"].min(), lookback_months(t)))


def targets(history: pl.DataFrame, horizon: int = 3, bad_dpd: int = 30) -> pl.DataFrame:
    """The outcome of each month's population (on book, DPD < bad_dpd): month, account_id, bad.

    bad = DPD ≥ bad_dpd or charged off in any of m+1..m+horizon; an account that closes or leaves
    the book otherwise is not bad. Null while month m+horizon is not in the history (not yet known).
    Rows in no particular order: the outcomes are only ever joined on (month, account_id), and
    sorting a year of the book's rows by them was a third of this function's time.
    """
    h = history.select("month", "account_id", "status", "days_past_due", "on_book").with_columns(
        mi=month_index(pl.col("month")))
    last = h["mi"].max()
    went_bad = (h.filter((pl.col("days_past_due") >= bad_dpd) | (pl.col("status") == "charged_off"))
                .select("account_id", mi=pl.int_ranges(pl.col("mi") - horizon, pl.col("mi"), dtype=pl.Int32))
                .explode("mi").unique().with_columns(hit=pl.lit(True)))
    return (h.filter(pl.col("on_book") & (pl.col("days_past_due") < bad_dpd))
            .join(went_bad, on=["account_id", "mi"], how="left")
            .with_columns(bad=pl.when(pl.col("mi") + horizon <= last).then(pl.col("hit").fill_null(False)))
            .select("month", "account_id", "bad"))


# --- the score --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Model:
    """A fitted score: everything needed to recompute and explain a month's scores from stored rows."""

    month: date                  # the month it scores
    fit_first_month: date        # first and last month of the data it was fitted on
    fit_last_month: date
    fit_months: int              # months with data in that window
    accounts: int                # account-months fitted on
    bads: int
    features: tuple[str, ...]
    coefficients: tuple[float, ...]
    intercept: float
    thresholds: Thresholds
    settings: ScoreSettings
    sklearn_version: str
    method_version: str = METHOD_VERSION

    @property
    def bad_rate(self) -> float:
        return self.bads / self.accounts

    @property
    def model_id(self) -> str:
        """A digest of everything that determines the scores: equal ids, equal scores."""
        content = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        text = json.dumps(content, default=lambda v: v.isoformat() if isinstance(v, date) else dataclasses.asdict(v),
                          sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _fit_window(month: date, settings: ScoreSettings) -> tuple[date, date]:
    """The months a score for `month` is fitted on: m − horizon − fit_months + 1 .. m − horizon
    (the outcome of m − horizon is the latest one complete in m)."""
    last = add_months(month, -settings.horizon)
    return add_months(last, -(settings.fit_months - 1)), last


def _in_fit_window(month: date, settings: ScoreSettings) -> pl.Expr:
    first, last = _fit_window(month, settings)
    return pl.col("month").is_between(pl.lit(first, dtype=pl.Date), pl.lit(last, dtype=pl.Date))


def month_patterns(labelled: pl.DataFrame) -> pl.DataFrame:
    """The account-months with a known outcome as distinct feature patterns per month: month,
    `FEATURES`, accounts, bads. Counts add up: the patterns of parts of a book, summed, are the
    book's; and a month's never change once its outcome is known, so a run over many months
    counts each month once for all the fits whose window holds it."""
    # grouped on the stored values, cast to floats only per pattern: a float copy of every
    # account-month would be the largest frame of the month on a big book
    return labelled.filter(pl.col("bad").is_not_null()).group_by("month", *FEATURES).agg(
        accounts=pl.len().cast(pl.Int64), bads=pl.col("bad").sum().cast(pl.Int64))


def pattern_counts(labelled: pl.DataFrame, month: date, settings: ScoreSettings = ScoreSettings()) -> pl.DataFrame:
    """`month_patterns` of the months `month`'s score is fitted on."""
    return month_patterns(labelled.filter(_in_fit_window(month, settings)))


def fit_patterns(patterns: pl.DataFrame, month: date, thresholds: Thresholds = Thresholds(),
                 settings: ScoreSettings = ScoreSettings()) -> Model:
    """`fit_score` from `pattern_counts` or `month_patterns` (of the whole book, or summed over its
    parts); the patterns of months outside the fit window are left out."""
    first, last = _fit_window(month, settings)
    patterns = patterns.filter(_in_fit_window(month, settings))
    months = patterns["month"].n_unique()
    if months < settings.min_fit_months:
        raise InsufficientHistory(f"early-warning score for {month}: {months} month(s) with a known outcome in "
                                  f"{first}..{last}, {settings.min_fit_months} needed")
    pooled = patterns.group_by(FEATURES).agg(pl.col("accounts", "bads").sum()).sort(FEATURES)
    accounts, bads = int(pooled["accounts"].sum()), int(pooled["bads"].sum())
    if bads == 0 or bads == accounts:
        raise InsufficientHistory(f"early-warning score for {month}: {bads} bad of {accounts} in {first}..{last}; "
                                  "both outcomes are needed")
    x = pooled.select(pl.col(list(FEATURES)).cast(pl.Float64)).to_numpy()
    weights = np.concatenate([pooled["bads"].to_numpy(), (pooled["accounts"] - pooled["bads"]).to_numpy()])
    outcome = np.concatenate([np.ones(len(x)), np.zeros(len(x))])
    keep = weights > 0
    # imported here: scikit-learn takes a second to import, and every riskpack process imports this
    # module (the settings name its thresholds), while only the early-warning step fits
    import sklearn
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=settings.regularisation, solver="lbfgs", tol=1e-10, max_iter=10_000).fit(
        np.vstack([x, x])[keep], outcome[keep], sample_weight=weights[keep].astype(np.float64))
    return Model(month=month, fit_first_month=patterns["month"].min(), fit_last_month=patterns["month"].max(),
                 fit_months=months, accounts=accounts, bads=bads, features=FEATURES,
                 coefficients=tuple(float(c) for c in fitted.coef_[0]), intercept=float(fitted.intercept_[0]),
                 thresholds=thresholds, settings=settings, sklearn_version=sklearn.__version__)


def fit_score(labelled: pl.DataFrame, month: date, thresholds: Thresholds = Thresholds(),
              settings: ScoreSettings = ScoreSettings()) -> Model:
    """Logistic regression of `bad` on the features, fitted for scoring `month`.

    labelled: signal rows (`FEATURES`, month) with `bad` (from `targets`). Only months
    m − horizon − fit_months + 1 .. m − horizon with a known outcome are used: the outcome of
    m − horizon is the latest one complete in m. The account-months are collapsed into their
    distinct feature patterns (bads and goods as weights): the same optimum as one row per
    account-month, found in any row order with the same bits, and fast on a large book.
    """
    return fit_patterns(pattern_counts(labelled, month, settings), month, thresholds, settings)


def _logits(frame: pl.DataFrame, model: Model) -> np.ndarray:
    """Every row's logit, intercept first and then each coefficient × feature in the model's order,
    one rounded operation at a time (NumPy). The same sum as a Polars expression came out with a
    different last digit depending on how the frame's columns lay in memory, so two runs on the
    same data stored scores that differed in their 16th digit."""
    features = frame.select(pl.col(f).cast(pl.Float64) for f in model.features).to_numpy()
    logits = np.full(frame.height, model.intercept)
    for column, coefficient in enumerate(model.coefficients):
        logits = logits + coefficient * features[:, column]
    return logits


def band_expr(score: pl.Expr, cuts: Sequence[float]) -> pl.Expr:
    """A (best) … E (worst): the band whose lower cut the score reaches."""
    index = pl.sum_horizontal([(score >= cut).cast(pl.Int32) for cut in cuts])
    return index.replace_strict(list(range(len(BANDS))), list(BANDS), return_dtype=pl.String)


def score(frame: pl.DataFrame, model: Model) -> pl.DataFrame:
    """The frame (signal rows) with logit, score (probability of bad), band, watchlist, model_id.

    Computed from the stored coefficients, not from a scikit-learn object, so a model restored
    from its rows gives the same scores. Bands use the model's fixed probability cuts: band E
    means the same risk in every month, and the watchlist is as long as the risk, not a quota.
    """
    missing = [f for f in model.features if f not in frame.columns]
    if missing:
        raise ValueError(f"score: missing feature column(s) {missing}")
    cuts = model.settings.band_cuts
    watch = BANDS.index(model.settings.watchlist_band)
    logits = _logits(frame, model)
    return (frame.with_columns(logit=pl.Series(logits), score=pl.Series(1.0 / (1.0 + np.exp(-logits))))
            .with_columns(band=band_expr(pl.col("score"), cuts))
            .with_columns(watchlist=pl.col("band").is_in(BANDS[watch:]), model_id=pl.lit(model.model_id)))


def explain(scored: pl.DataFrame, model: Model) -> pl.DataFrame:
    """Each feature's part of an account's logit (coefficient × value): month, account_id, feature,
    value, coefficient, contribution; the intercept is a row of its own (value 1)."""
    long = scored.select(*KEYS, *[pl.col(f).cast(pl.Float64) for f in model.features]).unpivot(
        index=KEYS, variable_name="feature", value_name="value")
    coefficients = pl.DataFrame({"feature": ["intercept", *model.features],
                                 "coefficient": [model.intercept, *model.coefficients]})
    intercept = scored.select(*KEYS, feature=pl.lit("intercept"), value=pl.lit(1.0))
    return (pl.concat([intercept, long]).join(coefficients, on="feature", how="left")
            .with_columns(contribution=pl.col("value") * pl.col("coefficient"))
            .sort(*KEYS, "feature"))


MODEL_COLUMNS = {"month": pl.Date, "model_id": pl.String, "method_version": pl.String, "sklearn_version": pl.String,
                 "fit_first_month": pl.Date, "fit_last_month": pl.Date, "fit_months": pl.Int32,
                 "fit_accounts": pl.Int64, "fit_bads": pl.Int64, "fit_bad_rate": pl.Float64,
                 "kind": pl.String, "name": pl.String, "value": pl.Float64}


def model_frame(model: Model) -> pl.DataFrame:
    """The model as rows (`MODEL_COLUMNS`): one per term (kind `intercept`, `coefficient`), per setting
    (kind `setting`; `watchlist_band` as its index in A…E, `band_cut_<band>` the band's lower edge)
    and per signal threshold (kind `threshold`). Floats survive a DOUBLE column bit for bit."""
    s = model.settings
    terms = [("intercept", "intercept", model.intercept),
             *(("coefficient", f, c) for f, c in zip(model.features, model.coefficients)),
             *(("setting", f"band_cut_{band}", cut) for band, cut in zip(BANDS[1:], s.band_cuts)),
             ("setting", "watchlist_band", float(BANDS.index(s.watchlist_band))),
             *(("setting", f.name, float(getattr(s, f.name))) for f in dataclasses.fields(s)
               if f.name not in ("band_cuts", "watchlist_band")),
             *(("threshold", f.name, float(getattr(model.thresholds, f.name)))
               for f in dataclasses.fields(model.thresholds))]
    header = {"month": model.month, "model_id": model.model_id, "method_version": model.method_version,
              "sklearn_version": model.sklearn_version, "fit_first_month": model.fit_first_month,
              "fit_last_month": model.fit_last_month, "fit_months": model.fit_months,
              "fit_accounts": model.accounts, "fit_bads": model.bads, "fit_bad_rate": model.bad_rate}
    return pl.DataFrame([{**header, "kind": k, "name": n, "value": v} for k, n, v in terms], schema=MODEL_COLUMNS)


def model_from_frame(rows: pl.DataFrame) -> Model:
    """The model stored by `model_frame` (one model's rows), identical to the one stored."""
    if rows["model_id"].n_unique() != 1:
        raise ValueError("model_from_frame: rows of exactly one model expected")
    head = rows.row(0, named=True)
    values = {(k, n): v for k, n, v in rows.select("kind", "name", "value").iter_rows()}
    # a warehouse returns rows in any order: the method version fixes the features' order
    order = {f: i for i, f in enumerate(FEATURES)}
    coefficients = (rows.filter(pl.col("kind") == "coefficient")
                    .with_columns(position=pl.col("name").replace_strict(order, default=None, return_dtype=pl.Int32)))
    if coefficients["position"].null_count():
        raise ValueError(f"model_from_frame: unknown feature(s) for {METHOD_VERSION}")
    coefficients = coefficients.sort("position")

    def typed(cls, kind: str, **extra):
        fields = {f.name: (int if f.type == "int" else float)(values[(kind, f.name)])
                  for f in dataclasses.fields(cls) if (kind, f.name) in values and f.name not in extra}
        return cls(**fields, **extra)

    settings = typed(ScoreSettings, "setting",
                     band_cuts=tuple(values[("setting", f"band_cut_{band}")] for band in BANDS[1:]),
                     watchlist_band=BANDS[int(values[("setting", "watchlist_band")])])
    model = Model(month=head["month"], fit_first_month=head["fit_first_month"],
                  fit_last_month=head["fit_last_month"], fit_months=head["fit_months"],
                  accounts=head["fit_accounts"], bads=head["fit_bads"],
                  features=tuple(coefficients["name"]), coefficients=tuple(coefficients["value"]),
                  intercept=values[("intercept", "intercept")], thresholds=typed(Thresholds, "threshold"),
                  settings=settings, sklearn_version=head["sklearn_version"], method_version=head["method_version"])
    if model.model_id != head["model_id"]:
        raise ValueError(f"model_from_frame: rows do not reproduce model {head['model_id']}")
    return model


def out_of_time(labelled: pl.DataFrame, months: Iterable[date], thresholds: Thresholds = Thresholds(),
                settings: ScoreSettings = ScoreSettings()) -> tuple[pl.DataFrame, list[Model]]:
    """Each month scored by the model fitted for it (months ≤ m − horizon), with its outcome.

    Returns the scored rows of every month that could be fitted (with `bad`, null where not yet
    known) and those months' models; a month without enough history to fit is left out, and its
    absence from the models says so.
    """
    scored, models = [], []
    for month in sorted(set(months)):
        try:
            model = fit_score(labelled, month, thresholds, settings)
        except InsufficientHistory:
            continue
        models.append(model)
        scored.append(score(labelled.filter(pl.col("month") == month), model))
    if not scored:
        return pl.DataFrame(), models
    return pl.concat(scored), models


# --- back-test --------------------------------------------------------------------------------------

def backtest(scored: pl.DataFrame, settings: ScoreSettings = ScoreSettings()) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Out-of-time discrimination and calibration, per month whose outcome is known.

    scored: month, score, band, watchlist, bad (rows with a null `bad` are left out). Returns
    (summary, bands):
    - summary per month: accounts, bads, bad_rate, mean_score (predicted bad rate), auc (rank
      based, ties counted half: the Mann–Whitney U over bads × goods), gini = 2·auc − 1,
      ks = max |TPR − FPR| over the distinct scores, the watchlist's accounts, bads and hit rate
      against the rest of the book (watchlist_vs_rest = hit rate / rest bad rate), the share of
      bads it caught, and gini_below_floor (null where gini is undefined: one outcome only).
    - bands per month and band A…E (every band, even empty): accounts, bads, bad_rate, lift
      (band bad rate / the month's bad rate), mean_score, account_share.
    """
    known = scored.filter(pl.col("bad").is_not_null()).select(
        "month", pl.col("score").cast(pl.Float64), "band", "watchlist", pl.col("bad").cast(pl.Boolean))
    bad, good = pl.col("bad"), ~pl.col("bad")
    ks = (known.group_by("month", "score").agg(bads=bad.sum(), goods=good.sum())
          .sort(["month", "score"], descending=[False, True])
          .with_columns(tpr=pl.col("bads").cum_sum().over("month") / pl.col("bads").sum().over("month"),
                        fpr=pl.col("goods").cum_sum().over("month") / pl.col("goods").sum().over("month"))
          .group_by("month").agg(ks=(pl.col("tpr") - pl.col("fpr")).abs().max()))
    n_bad, n_good = bad.sum().cast(pl.Float64), good.sum().cast(pl.Float64)
    rank_sum = pl.col("rank").filter(bad).sum()
    watch, rest = pl.col("watchlist"), ~pl.col("watchlist")

    def rate(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
        return pl.when(denominator > 0).then(numerator / denominator)

    summary = (
        known.with_columns(rank=pl.col("score").rank("average").over("month"))
        .group_by("month").agg(
            accounts=pl.len().cast(pl.Int64), bads=bad.sum().cast(pl.Int64),
            mean_score=exact_sum(pl.col("score")) / pl.len(),
            auc=pl.when((n_bad > 0) & (n_good > 0))
            .then((rank_sum - n_bad * (n_bad + 1) / 2) / (n_bad * n_good)),
            watchlist_accounts=watch.sum().cast(pl.Int64), watchlist_bads=(watch & bad).sum().cast(pl.Int64),
            rest_accounts=rest.sum().cast(pl.Int64), rest_bads=(rest & bad).sum().cast(pl.Int64))
        .join(ks, on="month", how="left")
        .with_columns(
            bad_rate=pl.col("bads") / pl.col("accounts"), gini=2 * pl.col("auc") - 1,
            ks=pl.when(pl.col("auc").is_not_null()).then(pl.col("ks")),
            watchlist_hit_rate=rate(pl.col("watchlist_bads"), pl.col("watchlist_accounts")),
            rest_bad_rate=rate(pl.col("rest_bads"), pl.col("rest_accounts")),
            watchlist_capture_rate=rate(pl.col("watchlist_bads"), pl.col("bads")))
        .with_columns(watchlist_vs_rest=rate(pl.col("watchlist_hit_rate"), pl.col("rest_bad_rate")),
                      gini_floor=pl.lit(settings.gini_floor),
                      gini_below_floor=pl.col("gini") < settings.gini_floor)
        .select("month", "accounts", "bads", "bad_rate", "mean_score", "auc", "gini", "ks", "watchlist_accounts",
                "watchlist_bads", "watchlist_hit_rate", "rest_accounts", "rest_bads", "rest_bad_rate",
                "watchlist_vs_rest", "watchlist_capture_rate", "gini_floor", "gini_below_floor")
        .sort("month"))

    grid = known.select("month").unique().join(pl.DataFrame({"band": list(BANDS)}), how="cross")
    per_band = known.group_by("month", "band").agg(accounts=pl.len().cast(pl.Int64), bads=bad.sum().cast(pl.Int64),
                                                  mean_score=exact_sum(pl.col("score")) / pl.len())
    order = {b: i for i, b in enumerate(BANDS)}
    bands = (grid.join(per_band, on=["month", "band"], how="left")
             .with_columns(pl.col("accounts", "bads").fill_null(0))
             .join(summary.select("month", month_accounts="accounts", month_bad_rate="bad_rate"), on="month")
             .with_columns(bad_rate=rate(pl.col("bads"), pl.col("accounts")))
             .with_columns(lift=rate(pl.col("bad_rate"), pl.col("month_bad_rate")),
                           account_share=pl.col("accounts") / pl.col("month_accounts"),
                           band_order=pl.col("band").replace_strict(order, return_dtype=pl.Int32))
             .sort("month", "band_order")
             .select("month", "band", "accounts", "bads", "bad_rate", "lift", "mean_score", "account_share"))
    return summary, bands


# --- what the lender can do ---------------------------------------------------------------------

# first rule that holds names the account's action (the most urgent first)
ACTIONS = (
    ("call_now", "already 1–29 days past due: call before it reaches 30"),
    ("offer_instalments", "paying little more than the minimum or fees growing: offer an instalment plan"),
    ("reduce_line", "line nearly full or filling fast: reduce or freeze the undrawn line (revolving)"),
    ("review_cohort", "its cohort defaults early: review the cohort's underwriting and contact early"),
    ("monitor", "flagged by the score alone: monitor and re-score next month"),
)


def actions(scored: pl.DataFrame) -> pl.DataFrame:
    """Watchlist accounts counted by the action the lender could take, per product and `all`.

    scored: mart.early_warning rows of a month (watchlist, the signals, delinquent_now, product,
    total_balance). Each watchlist account gets exactly one action, the first of `ACTIONS` whose
    rule holds, so the counts add up to the watchlist. Output: product, action, action_order,
    accounts, exposure (Σ total_balance).
    """
    flagged = scored.filter(pl.col("watchlist").fill_null(False))
    action = (pl.when(pl.col("delinquent_now")).then(pl.lit("call_now"))
              .when(pl.col("min_payments") | pl.col("fees_growing")).then(pl.lit("offer_instalments"))
              .when((pl.col("high_utilisation") | pl.col("utilisation_jump")) & (pl.col("product") == "revolving"))
              .then(pl.lit("reduce_line"))
              .when(pl.col("cohort_early_default")).then(pl.lit("review_cohort"))
              .otherwise(pl.lit("monitor")))
    flagged = flagged.with_columns(action=action)  # before `all` replaces the product the rules read
    both = pl.concat([flagged, flagged.with_columns(product=pl.lit("all"))])
    counts = both.group_by("product", "action").agg(accounts=pl.len().cast(pl.Int64),
                                                    exposure=pl.col("total_balance").sum().cast(pl.Decimal(18, 2)))
    order = pl.DataFrame({"action": [a for a, _ in ACTIONS], "action_order": list(range(1, len(ACTIONS) + 1))},
                         schema={"action": pl.String, "action_order": pl.Int32})
    products = pl.DataFrame({"product": [*scored["product"].unique().sort().to_list(), "all"]})
    return (products.join(order, how="cross").join(counts, on=["product", "action"], how="left")
            .with_columns(pl.col("accounts").fill_null(0), pl.col("exposure").fill_null(pl.lit(0).cast(pl.Decimal(18, 2))))
            .select("product", "action", "action_order", "accounts", "exposure")
            .sort("product", "action_order"))
