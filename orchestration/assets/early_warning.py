"""Early warning (README: early warning): each month's signals for accounts below 30 DPD, a score
fitted only on months whose outcome is known, and the out-of-time back-test of the month whose
outcome has just become known. All of it computed by `transforms.early_warning`."""


import importlib
import threading
from collections.abc import Callable, Sequence
from datetime import date
from itertools import pairwise

import duckdb
import polars as pl
from dagster import (
    AssetDep,
    AssetExecutionContext,
    AssetKey,
    MaterializeResult,
    TimeWindowPartitionMapping,
)

from orchestration import steps
from orchestration.assets.ingest import LEDGER
from orchestration.assets.metadata import configuration, preview
from orchestration.assets.monthly import monthly_asset
from orchestration.config import Settings
from orchestration.partitions import partition_month
from orchestration.resources import RiskpackSettings
from orchestration.warehouse import WriteBehind, connect, frame, one
from transforms.early_warning import (
    FEATURES,
    KEYS,
    LOAN_PRODUCTS,
    SIGNAL_COLUMNS,
    InsufficientHistory,
    actions,
    backtest,
    fit_patterns,
    lookback_months,
    model_frame,
    month_patterns,
    repayment_months,
    row_months,
    score,
    signals_of_months,
    targets,
)
from transforms.months import add_months

EARLY_WARNING = AssetKey.from_user_string(steps.EARLY_WARNING)
SCORE_COLUMNS = ("score", "band", "watchlist", "model_id")


ACCOUNTS_PER_PART = 250_000
# what `transforms.early_warning.fit_patterns` imports to fit the score
FIT_MODULE = "sklearn.linear_model"


def parts(accounts: int) -> int:
    """How many parts the month's accounts are taken in: the history of a quarter of a million
    accounts is about a gigabyte in memory while the signals are worked out, so a book of a
    million is taken in four and its peak stays that of a quarter million."""
    return max(1, -(-accounts // ACCOUNTS_PER_PART))


def part_bounds(con: duckdb.DuckDBPyConnection, month: date) -> list[dict[str, str | None]]:
    """The parts as ranges of account ids, [low, high) (None: open), of equal numbers of the month's
    accounts. Ranges, not a hash of the id: where a month's rows are stored in id order (the loader
    keeps the extract's order; the demo's extracts are sorted), each part's read skips the other
    parts' row groups; a hash made every part read everything (the history read 13× slower at a
    million accounts)."""
    count = parts(one(con, "read/month_account_count", {"month": month})[0])
    cuts = [] if count == 1 else sorted(set(one(con, "read/month_account_bounds", {
        "month": month, "fractions": [k / count for k in range(1, count)]})[0]))
    edges = [None, *cuts, None]
    return [{"low": low, "high": high} for low, high in pairwise(edges)]


def import_meanwhile(module: str) -> threading.Thread:
    """Starts importing `module` in a thread of its own. scikit-learn takes a second or more to
    import (SciPy and pandas with it), a sixth of a nightly run's risk steps, and the fit needs it
    only after the month's history is read and its signals worked out: DuckDB and Polars release
    the interpreter while they do that, so the import runs beside them on the other core. The
    fit's own import then finds the module loaded, or waits for the thread to finish it."""
    thread = threading.Thread(target=importlib.import_module, args=(module,), name=f"import {module}", daemon=True)
    thread.start()
    return thread


def month_blocks(months: Sequence[date], size: int) -> list[list[date]]:
    """The months in runs of consecutive months, each at most `size` long."""
    blocks: list[list[date]] = []
    for month in sorted(months):
        if blocks and len(blocks[-1]) < size and add_months(blocks[-1][-1], 1) == month:
            blocks[-1].append(month)
        else:
            blocks.append([month])
    return blocks


def block_tables(settings: Settings, con: duckdb.DuckDBPyConnection, months: Sequence[date],
                 before_stored: Callable[[], None] = lambda: None,
                 counted: dict[date, pl.DataFrame] | None = None) -> dict[date, dict[str, pl.DataFrame]]:
    """The early-warning tables of consecutive `months` (at most the outcome horizon of them),
    the accounts taken in parts (ranges of account ids): signals, outcomes and feature patterns are
    per account, so each part is worked out alone and only the cohort shares (read whole: the young
    loans only) and the fitted score span them. The cohort shares are read apart even from a book
    taken whole, so that the history reaches back only as far as the flags read (`row_months`:
    6 months by default), not as far as the shares (13).

    Why months in blocks: a month's signals read six months of history and a block's eight, so a
    backfill reading it once per block instead of once per month reads less than half as much.
    Why no more than the horizon: a month's fit and back-test read stored rows up to m − horizon
    only, which then all precede the block (written by an earlier one), never a month of the block
    itself; `before_stored` is called before they are read (to let the block before finish writing
    them).

    `counted`: the feature patterns of stored months (`month_patterns`, the whole book) that an
    earlier block of the run counted, or that months outside the run stored (`stored_patterns`);
    only the fit window's other months are read and counted, and added to it. A stored month's
    rows and outcome no longer change once it is in a fit window, so a run reads each month's
    stored rows once instead of in every block whose fit window holds it (a window is a year, a
    block three months), and a nightly month reads only those of m − horizon, whose outcome it
    learns: its tables hold that month's patterns (`mart.early_warning_patterns`) for the fits
    after it.
    """
    thresholds, options = settings.early_warning
    first_month, last_month = months[0], months[-1]
    if len(months) > options.horizon or list(months) != [add_months(first_month, k) for k in range(len(months))]:
        raise ValueError(f"a block is at most {options.horizon} consecutive months, got {months}")
    counted = {} if counted is None else counted
    fit_first = add_months(first_month, -(options.horizon + options.fit_months - 1))
    fit_window = [add_months(fit_first, k) for k in range(options.fit_months + len(months) - 1)]
    uncounted = [month for month in fit_window if month not in counted]
    # the back-test's months (m − horizon) are always read: they are the window's newest
    stored_first = min([*uncounted, add_months(first_month, -options.horizon)])
    ranges = part_bounds(con, last_month)
    cohort_history = frame(con, "read/early_loan_window", {
        "first_month": add_months(first_month, -lookback_months(thresholds)), "month": last_month,
        "products": list(LOAN_PRODUCTS), "max_mob": thresholds.early_default_mob})
    first = min(add_months(first_month, -(row_months(thresholds) - 1)), stored_first)
    signal_parts: dict[date, list[pl.DataFrame]] = {month: [] for month in months}
    counted_parts: list[pl.DataFrame] = []
    known_parts: dict[date, list[pl.DataFrame]] = {month: [] for month in months}
    for part in ranges:
        history = frame(con, "read/account_month_window", {"first_month": first, "month": last_month, **part})
        repayments = frame(con, "read/repayments_window", {
            "first_month": add_months(first_month, -(repayment_months(thresholds) - 1)), "month": last_month, **part})
        for month, signalled in signals_of_months(history, repayments, months, thresholds, cohort_history).items():
            balances = history.filter(pl.col("month") == month).select("account_id", "total_balance")
            signal_parts[month].append(signalled.join(balances, on="account_id", how="left", validate="1:1"))
        outcomes = targets(history, options.horizon, thresholds.bad_dpd)
        del history, repayments  # before the stored rows are read: each is gigabytes on a large book
        before_stored()
        stored = frame(con, "read/early_warning_window", {
            "first_month": stored_first, "month": fit_window[-1], **part}).join(outcomes, on=KEYS, how="inner")
        counted_parts.append(month_patterns(stored.filter(pl.col("month").is_in(uncounted))))
        for month in months:
            known_parts[month].append(stored.filter((pl.col("month") == add_months(month, -options.horizon))
                                                    & pl.col("score").is_not_null()))
    # each part's counts of a pattern added up: the whole book's
    newly = (pl.concat(counted_parts).group_by("month", *FEATURES).agg(pl.col("accounts", "bads").sum())
             .sort("month", *FEATURES))
    for month in uncounted:
        counted[month] = newly.filter(pl.col("month") == month)
    for month in [month for month in counted if month < fit_first]:  # before any later block's window
        del counted[month]
    patterns = pl.concat([counted[month] for month in fit_window])
    return {month: _month_tables(month, pl.concat(signal_parts[month]).sort(KEYS), patterns,
                                 pl.concat(known_parts[month]).sort(KEYS),
                                 counted[add_months(month, -options.horizon)], settings)
            for month in months}


def stored_patterns(settings: Settings, con: duckdb.DuckDBPyConnection,
                    months: Sequence[date]) -> dict[date, pl.DataFrame]:
    """The feature patterns that the fits of `months` read and that months outside them stored,
    by scored month, as `month_patterns` gives them. Only those counted with today's horizon and
    bad mark: after a change of either, the months are counted again from their stored rows. The
    run's own months are left out: it writes them anew."""
    thresholds, options = settings.early_warning
    stored = frame(con, "read/early_warning_patterns", {
        "first_month": add_months(min(months), -(options.horizon + options.fit_months - 1)),
        "month": add_months(max(months), -options.horizon), "horizon": options.horizon,
        "bad_dpd": thresholds.bad_dpd, "rewritten": list(months)})
    return {month: rows for (month,), rows in stored.partition_by("month", as_dict=True).items()}


def _month_tables(month: date, signalled: pl.DataFrame, patterns: pl.DataFrame, known: pl.DataFrame,
                  learned: pl.DataFrame, settings: Settings) -> dict[str, pl.DataFrame]:
    """A month's tables from its signals, the fit window's feature patterns, the scores of
    m − horizon with their outcome (all accounts) and the feature patterns of m − horizon."""
    thresholds, options = settings.early_warning
    try:
        model = fit_patterns(patterns, month, thresholds, options)
        scored, models = score(signalled, model), model_frame(model)
    except InsufficientHistory:  # too few months with a known outcome yet: signals only
        scored = signalled.with_columns(score=pl.lit(None, pl.Float64), band=pl.lit(None, pl.String),
                                        watchlist=pl.lit(None, pl.Boolean), model_id=pl.lit(None, pl.String))
        models = pl.DataFrame()
    summary, bands = backtest(known, options) if known.height else (pl.DataFrame(), pl.DataFrame())
    as_reported = {"month": pl.lit(month, dtype=pl.Date), "scored_month": pl.col("month")}
    return {
        "mart.early_warning": scored.select(*SIGNAL_COLUMNS, "total_balance", *SCORE_COLUMNS),
        "mart.early_warning_actions": actions(scored).with_columns(month=pl.lit(month, dtype=pl.Date)),
        "mart.early_warning_model": models,
        "mart.early_warning_backtest": summary.with_columns(**as_reported) if summary.height else summary,
        "mart.early_warning_bands": bands.with_columns(**as_reported) if bands.height else bands,
        "mart.early_warning_patterns": learned.select(
            pl.lit(month, dtype=pl.Date).alias("month"), pl.col("month").alias("scored_month"),
            pl.lit(options.horizon, dtype=pl.Int32).alias("horizon"),
            pl.lit(thresholds.bad_dpd, dtype=pl.Int32).alias("bad_dpd"), *FEATURES, "accounts", "bads"),
    }


def write_months(settings: Settings, con: duckdb.DuckDBPyConnection, months: Sequence[date],
                 run_id: str) -> tuple[dict[str, pl.DataFrame], int]:
    """Every month's tables, each month replaced in its own transaction. Returns the last month's
    tables and how many scored months of the fit windows were read as stored patterns (the others
    counted from their stored signals: all of them in a warehouse from before the patterns table).

    A block's months are written behind the next block's history read and signals, which read only
    core tables; its stored rows, read after them, wait for those writes."""
    last: dict[str, pl.DataFrame] = {}
    counted = stored_patterns(settings, con, months)  # stored months' feature patterns, from block to block
    read_stored = len(counted)
    horizon = settings.early_warning[1].horizon
    with WriteBehind(con, queued=horizon) as writer:
        for block in month_blocks(months, horizon):
            for month, last in block_tables(settings, con, block, writer.wait, counted).items():
                writer.write_month(month, last, steps.EARLY_WARNING, settings.configuration, run_id)
    return last, read_stored


@monthly_asset(
    EARLY_WARNING,
    "risk",
    [AssetDep(LEDGER, partition_mapping=TimeWindowPartitionMapping(start_offset=-26, end_offset=0,
                                                                   allow_nonexistent_upstream_partitions=True)),
     AssetDep(EARLY_WARNING, partition_mapping=TimeWindowPartitionMapping(start_offset=-15, end_offset=-1,
                                                                          allow_nonexistent_upstream_partitions=True))],
    "mart.early_warning (signals, score, band), mart.early_warning_actions (the watchlist by action), "
    "mart.early_warning_model (the fit used), "
    "mart.early_warning_backtest and mart.early_warning_bands (out of time: the scores of m − 3 against their "
    "outcome, known in m), mart.early_warning_patterns (the feature patterns of m − 3, for the fits after it). "
    "Reads six months of snapshots, the stored signals of m − 3 and the feature patterns the months before it "
    "stored for its fit window.",
    {"duckdb", "polars", "sklearn"},
)
def early_warning(context: AssetExecutionContext, riskpack: RiskpackSettings) -> MaterializeResult:
    settings = riskpack.get()
    import_meanwhile(FIT_MODULE)
    with connect(settings.warehouse) as con:
        tables, read_stored = write_months(settings, con, [partition_month(k) for k in context.partition_keys],
                                           context.run.run_id)
    scored, summary = tables["mart.early_warning"], tables["mart.early_warning_backtest"]
    return MaterializeResult(metadata={
        **configuration(settings),
        "months": len(context.partition_keys),
        "fit_months_read_as_stored_patterns": read_stored,
        "latest_accounts_scored": scored.filter(pl.col("score").is_not_null()).height,
        "latest_watchlist": scored.filter(pl.col("watchlist").fill_null(False)).height,
        "latest_backtest": preview(summary.select("scored_month", "accounts", "bads", "gini", "ks",
                                                  "watchlist_hit_rate", "gini_below_floor"))
        if summary.height else "no scored month with a known outcome yet",
    })
