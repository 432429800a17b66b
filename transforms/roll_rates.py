"""Roll rates: how the book moves between delinquency states month over month (methodology §4).

The transition matrix is where the "snowball" shows first: a rising roll from 1–29 into 30–59
warns months before charge-offs move. Everything here is a pure function of snapshots.
"""

from collections.abc import Sequence
from datetime import date

import numpy as np
import polars as pl

from transforms.states import (
    ALL_PRODUCTS,
    PRODUCTS,
    TERMINAL_STATES,
    bucket_labels,
    product_grid,
    sums_by_product,
)

MONEY = pl.Decimal(18, 2)
MISSING = "missing"
WILSON_Z = 1.959963984540054  # two-sided 95 %
ROLL_COLUMNS = ["month", "product", "from_state", "to_state", "accounts", "balance", "account_rate", "balance_rate"]



def to_states(edges: Sequence[int]) -> list[str]:
    return [*bucket_labels(edges), *TERMINAL_STATES, MISSING]


def chain_buckets(edges: Sequence[int], charge_off_dpd: int) -> list[str]:
    """The buckets an account passes through before charge-off: those starting below the
    charge-off point (a bucket at or past it only holds accounts the policy should have written off)."""
    return [label for label, lo in zip(bucket_labels(edges), edges) if lo < charge_off_dpd]


def state_rank(edges: Sequence[int], charge_off_dpd: int) -> dict[str, int]:
    """Severity order: buckets, with charge-off the step after the last bucket of the chain;
    closed and missing have none."""
    ranks = {b: i for i, b in enumerate(bucket_labels(edges))}
    return {**ranks, "charged_off": len(chain_buckets(edges, charge_off_dpd))}


def _shares(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    total_accounts = pl.col("accounts").sum().over(keys)
    total_balance = pl.col("balance").sum().over(keys).cast(pl.Float64)  # an exact sum: same in any row order
    return frame.with_columns(
        account_rate=pl.when(total_accounts > 0).then(pl.col("accounts") / total_accounts),
        balance_rate=pl.when(total_balance != 0).then(pl.col("balance").cast(pl.Float64) / total_balance),
    )


def transitions(previous: pl.DataFrame, current: pl.DataFrame, month: date, edges: Sequence[int]) -> pl.DataFrame:
    """Count and balance transition matrices of `month`, every product and `all`, full grid.

    previous: m−1 snapshot (account_id, product, state, on_book, total_balance); the population is
    every account on book in m−1, weighted by its m−1 balance. current: m snapshot (account_id,
    state). Accounts absent in m go to `missing`; accounts opened in m are not in the matrix.
    """
    moved = (previous.filter("on_book")
             .select("account_id", "product", from_state="state", balance="total_balance")
             .join(current.select("account_id", to_state="state"), on="account_id", how="left")
             .with_columns(pl.col("to_state").fill_null(MISSING)))
    counts = sums_by_product(moved, ["from_state", "to_state"], accounts=pl.len().cast(pl.Int64),
                             balance=pl.col("balance").sum().cast(MONEY))
    grid = (product_grid()
            .join(pl.DataFrame({"from_state": bucket_labels(edges)}), how="cross")
            .join(pl.DataFrame({"to_state": to_states(edges)}), how="cross"))
    out = (grid.join(counts, on=["product", "from_state", "to_state"], how="left")
           .with_columns(pl.col("accounts").fill_null(0), pl.col("balance").fill_null(pl.lit(0).cast(MONEY)),
                         month=pl.lit(month, dtype=pl.Date)))
    return _shares(out, ["product", "from_state"]).select(ROLL_COLUMNS)


def roll_summary(rates: pl.DataFrame, edges: Sequence[int], charge_off_dpd: int) -> pl.DataFrame:
    """Per bucket: cure (to current), roll-forward (to any worse state), and data-quality signals.

    `impossible_moves` counts accounts more than one bucket worse in a month (charge-off counts as
    the step after the last bucket before the charge-off point): possible in real data, so a
    signal, not an error.
    """
    rank = state_rank(edges, charge_off_dpd)
    frm = pl.col("from_state").replace_strict(rank, default=None, return_dtype=pl.Int32)
    to = pl.col("to_state").replace_strict(rank, default=None, return_dtype=pl.Int32)
    worse = (to > frm) | (pl.col("to_state") == "charged_off")
    cured = (pl.col("to_state") == "current") & (pl.col("from_state") != "current")
    summary = rates.group_by("month", "product", "from_state").agg(
        accounts=pl.col("accounts").sum(),
        balance=pl.col("balance").sum().cast(MONEY),
        cured_accounts=pl.col("accounts").filter(cured).sum(),
        rolled_accounts=pl.col("accounts").filter(worse).sum(),
        cured_balance=pl.col("balance").filter(cured).sum().cast(pl.Float64),
        rolled_balance=pl.col("balance").filter(worse).sum().cast(pl.Float64),
        impossible_moves=pl.col("accounts").filter(to - frm > 1).sum().cast(pl.Int64),
        missing_accounts=pl.col("accounts").filter(pl.col("to_state") == MISSING).sum().cast(pl.Int64),
    )
    accounts, balance = pl.col("accounts"), pl.col("balance").cast(pl.Float64)
    is_current = pl.col("from_state") == "current"
    return summary.with_columns(
        cure_rate=pl.when((accounts > 0) & ~is_current).then(pl.col("cured_accounts") / accounts),
        roll_forward_rate=pl.when(accounts > 0).then(pl.col("rolled_accounts") / accounts),
        cure_balance_rate=pl.when((balance != 0) & ~is_current).then(pl.col("cured_balance") / balance),
        roll_forward_balance_rate=pl.when(balance != 0).then(pl.col("rolled_balance") / balance),
        state_order=pl.col("from_state").replace_strict(rank, default=None, return_dtype=pl.Int32),
    ).select("month", "product", "from_state", "accounts", "balance", "cure_rate", "roll_forward_rate",
             "cure_balance_rate", "roll_forward_balance_rate", "impossible_moves", "missing_accounts",
             "state_order").sort("product", "state_order").drop("state_order")


def flow_rates(previous: pl.DataFrame, current: pl.DataFrame, charge_offs: pl.DataFrame, month: date,
               edges: Sequence[int], charge_off_dpd: int) -> pl.DataFrame:
    """Aggregate flow along the chain: balance in bucket i+1 in m / balance in bucket i in m−1.

    The last bucket before the charge-off point flows into the charge-offs of m (charge_offs:
    product, amount). A last row, to_bucket `net_flow_to_loss`, carries the product of the chain
    (its balances are null).
    """
    buckets = chain_buckets(edges, charge_off_dpd)

    def on_book(snapshot: pl.DataFrame) -> pl.DataFrame:
        on_book_rows = snapshot.filter("on_book").select("product", "total_balance", bucket="state")
        return sums_by_product(on_book_rows, ["bucket"],
                               balance=pl.col("total_balance").sum().cast(MONEY))

    products = product_grid()
    chain = pl.DataFrame({"from_bucket": buckets, "to_bucket": [*buckets[1:], "charged_off"]})
    written_off = (sums_by_product(charge_offs, balance=pl.col("amount").sum().cast(MONEY))
                   .with_columns(bucket=pl.lit("charged_off")))
    later = pl.concat([on_book(current), written_off.select("product", "bucket", "balance")])
    zero = pl.lit(0).cast(MONEY)
    steps = (products.join(chain, how="cross")
             .join(on_book(previous).rename({"bucket": "from_bucket", "balance": "from_balance"}),
                   on=["product", "from_bucket"], how="left")
             .join(later.rename({"bucket": "to_bucket", "balance": "to_balance"}), on=["product", "to_bucket"],
                   how="left")
             .with_columns(pl.col("from_balance", "to_balance").fill_null(zero))
             .with_columns(flow_rate=pl.when(pl.col("from_balance") > 0)
                           .then(pl.col("to_balance").cast(pl.Float64) / pl.col("from_balance").cast(pl.Float64))))
    net = steps.group_by("product").agg(
        flow_rate=pl.when(pl.col("flow_rate").is_null().any()).then(None).otherwise(pl.col("flow_rate").product()))
    net = net.with_columns(from_bucket=pl.lit(buckets[0]), to_bucket=pl.lit("net_flow_to_loss"),
                           from_balance=pl.lit(None, dtype=MONEY), to_balance=pl.lit(None, dtype=MONEY))
    order = {b: i for i, b in enumerate(buckets)}
    return (pl.concat([steps, net.select(steps.columns)])
            .with_columns(month=pl.lit(month, dtype=pl.Date),
                          step=pl.when(pl.col("to_bucket") == "net_flow_to_loss").then(len(buckets))
                          .otherwise(pl.col("from_bucket").replace_strict(order, return_dtype=pl.Int32)))
            .sort("product", "step")
            .select("month", "product", "from_bucket", "to_bucket", "from_balance", "to_balance", "flow_rate"))


def wilson_interval(successes: pl.Expr, trials: pl.Expr, z: float = WILSON_Z) -> tuple[pl.Expr, pl.Expr]:
    """Wilson score interval of a proportion; null where there are no trials."""
    n = trials.cast(pl.Float64)
    p = successes.cast(pl.Float64) / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)).sqrt()) / (1 + z * z / n)
    valid = trials > 0
    return (pl.when(valid).then((centre - half).clip(0, 1)), pl.when(valid).then((centre + half).clip(0, 1)))


def pooled_matrix(window_rates: pl.DataFrame, month: date, window: int) -> pl.DataFrame:
    """Counts and balances summed over the window's months, then row-normalised, with Wilson 95 %
    intervals per cell on the account rate (each cell a binomial share of its row)."""
    summed = window_rates.group_by("product", "from_state", "to_state").agg(
        accounts=pl.col("accounts").sum().cast(pl.Int64), balance=pl.col("balance").sum().cast(MONEY),
        months=pl.col("month").n_unique())
    low, high = wilson_interval(pl.col("accounts"), pl.col("accounts").sum().over("product", "from_state"))
    return (_shares(summed, ["product", "from_state"])
            .with_columns(rate_low=low, rate_high=high, month=pl.lit(month, dtype=pl.Date),
                          window_months=pl.col("months").max().over("product").cast(pl.Int32))
            .select("month", "product", "window_months", "from_state", "to_state", "accounts", "account_rate",
                    "rate_low", "rate_high", "balance", "balance_rate")
            .sort("product", "from_state", "to_state"))


def markov_matrix(pooled: pl.DataFrame, product: str, edges: Sequence[int], rate: str) -> np.ndarray:
    """The pooled matrix as a square array over buckets + charged_off + closed (absorbing).

    `missing` is a data error, not a destination: rows are renormalised without it. A bucket never
    observed in the window keeps a zero row (its mass is not projected anywhere, and says so by
    summing to less than the book).
    """
    states = [*bucket_labels(edges), *TERMINAL_STATES]
    index = {s: i for i, s in enumerate(states)}
    rows = pooled.filter((pl.col("product") == product) & (pl.col("to_state") != MISSING))
    matrix = np.zeros((len(states), len(states)))
    weights = rows.select(pl.col("from_state").replace_strict(index, return_dtype=pl.Int64),
                          pl.col("to_state").replace_strict(index, return_dtype=pl.Int64),
                          pl.col("accounts" if rate == "account_rate" else "balance").cast(pl.Float64))
    np.add.at(matrix, (weights[:, 0].to_numpy(), weights[:, 1].to_numpy()), weights[:, 2].to_numpy())
    totals = matrix.sum(axis=1, keepdims=True)
    matrix = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals != 0)
    for state in TERMINAL_STATES:
        matrix[index[state]] = 0.0
        matrix[index[state], index[state]] = 1.0
    return matrix


def markov_projection(pooled: pl.DataFrame, book: pl.DataFrame, month: date, edges: Sequence[int],
                      horizon: int = 12) -> tuple[pl.DataFrame, pl.DataFrame]:
    """n-step state distribution of today's book and absorbing-state probabilities per bucket.

    book: the month's on-book snapshot (product, state, total_balance). Accounts are projected with
    the count matrix, balances with the balance matrix. Returns (distribution by step 0..horizon,
    absorption probabilities from each bucket: eventually charged off or closed).
    """
    states = [*bucket_labels(edges), *TERMINAL_STATES]
    start = sums_by_product(book.filter("on_book"), ["state"], accounts=pl.len().cast(pl.Int64),
                            balance=pl.col("total_balance").sum()
                            ).with_columns(pl.col("accounts", "balance").cast(pl.Float64))
    distributions, absorption = [], []
    for product in (*PRODUCTS, ALL_PRODUCTS):
        mine = start.filter(pl.col("product") == product)
        vectors = {}
        for measure, rate in (("accounts", "account_rate"), ("balance", "balance_rate")):
            matrix = markov_matrix(pooled, product, edges, rate)
            v = np.array([float(mine.filter(pl.col("state") == s)[measure].sum()) for s in states])
            steps = [v]
            for _ in range(horizon):
                steps.append(steps[-1] @ matrix)
            vectors[measure] = np.vstack(steps)
            if measure == "accounts":
                limit = np.linalg.matrix_power(matrix, 600)
                absorption.append(pl.DataFrame({
                    "product": product, "from_state": bucket_labels(edges),
                    "charged_off_probability": limit[: len(bucket_labels(edges)), states.index("charged_off")],
                    "closed_probability": limit[: len(bucket_labels(edges)), states.index("closed")]}))
        distributions.append(pl.DataFrame({
            "product": product,
            "step": np.repeat(np.arange(horizon + 1), len(states)).astype(np.int32),
            "state": states * (horizon + 1),
            "accounts": vectors["accounts"].ravel(), "balance": vectors["balance"].ravel()}))
    stamp = pl.lit(month, dtype=pl.Date).alias("month")
    return (pl.concat(distributions).select(stamp, pl.all()),
            pl.concat(absorption).select(stamp, pl.all()))


def expected_charge_offs(distribution: pl.DataFrame, horizon: int = 12) -> pl.DataFrame:
    """Balance expected to reach charge-off within `horizon` months, per product."""
    return (distribution.filter((pl.col("state") == "charged_off") & (pl.col("step") == horizon))
            .select("month", "product", expected_charge_off_balance="balance",
                    expected_charge_off_accounts="accounts"))
