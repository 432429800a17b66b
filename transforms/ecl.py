"""Expected credit loss: IFRS 9 by default, CECL as an option (methodology §5).

Everything here is a pure function of frames and explicitly passed parameters; the pipeline wires
configuration in. The chain, per reporting month:

    staged = stage(snapshot, default_dpd)                       # stage 1/2/3 and the rule that set it
    term = pd_term_structure(pooled, edges, default_dpd, horizon)   # from roll_rates.pooled_matrix
    losses = lgd(charge_offs, recoveries, apr_by_account, month, workout_months, fallback, min_accounts)
    exposures = ead(staged, accounts, ccf_by_product)
    allowance = ecl(exposures, term, losses, scenarios, behavioural_life, cecl)
    stage_migration(staged_previous, staged) / allowance_movement(allowance_previous, allowance, snapshot)
    check_ecl(allowance, movement, scenarios)

Amounts: ECL, EAD and discounted recoveries are Float64 (products of rates and discount factors are
not cent amounts, and Float64 carries ~16 significant digits, far more than the estimate has). The
allowance movement is the one place where lines must tie *exactly*, so it converts each account's
ECL to Decimal(38, 10) (no rounding at any currency precision, only of float representation noise)
and does all of its arithmetic in decimals.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from types import MappingProxyType

import numpy as np
import polars as pl

from transforms.exact import EXACT, exact_sum
from transforms.roll_rates import MISSING, chain_buckets, markov_matrix
from transforms.states import (
    ALL_PRODUCTS,
    ON_BOOK_STATUSES,
    STATUSES,
    TERMINAL_STATES,
    bucket_labels,
    month_index,
    product_grid,
    sums_by_product,
    with_all_products,
    with_totals,
)

MONEY = pl.Decimal(18, 2)
ALLOWANCE = EXACT  # exact movement arithmetic on float ECLs (see module docstring)
SICR_DPD = 30  # methodology §5: DPD ≥ 30 is a significant increase in credit risk (stage 2)
TWELVE_MONTHS = 12
WEIGHT_TOLERANCE = 1e-9
DEFAULT_CCF: Mapping[str, float] = MappingProxyType({"revolving": 0.5})

# the stage rules in the order they are tried; the first that holds names the stage_reason
STAGE_RULES = {"default": 3, "litigation": 3, "dpd_30": 2, "forbearance": 2, "frozen": 2, "performing": 1}
MIGRATION_FROM = ["1", "2", "3", "new"]
MIGRATION_TO = ["1", "2", "3", "derecognised", "written_off", "missing"]
MOVEMENT_STAGES = ["1", "2", "3", "all"]
MOVEMENT_LINES = ["new_accounts", "derecognised", "written_off", "missing", "transfers_in", "transfers_out",
                  "remeasurement"]
MOVEMENT_COLUMNS = ["product", "stage", "opening", *MOVEMENT_LINES, "closing"]
CHECK_SCHEMA = {"check_name": pl.String, "severity": pl.String, "passed": pl.Boolean, "failures": pl.Int64,
                "detail": pl.String}


# ---------------------------------------------------------------------------------------------- helpers

def _products(*frames: pl.DataFrame) -> pl.DataFrame:
    """Every product and `all` (report order), then any other product present in the frames."""
    grid = product_grid()
    known = set(grid["product"].to_list())
    extra = sorted({p for f in frames for p in f["product"].unique().drop_nulls().to_list()} - known)
    return pl.concat([grid, pl.DataFrame({"product": extra}, schema={"product": pl.String})])


def _check_default_edge(edges: Sequence[int], default_dpd: int) -> None:
    if default_dpd not in list(edges)[1:]:
        raise ValueError(f"default_dpd {default_dpd} must be one of the bucket edges {list(edges)[1:]}: "
                         "default must be a set of whole buckets for the PD term structure")


def _nullable(values: np.ndarray) -> pl.Series:
    """Float values with NaN (unknown) as null."""
    return pl.Series(values, dtype=pl.Float64).fill_nan(None)


def validate_scenarios(scenarios: Sequence[Sequence]) -> list[tuple[str, float, float]]:
    """(name, weight, pd_multiplier) triples, checked: names unique, weights ≥ 0 summing to 1 within
    1e-9, multipliers ≥ 0. Raises ValueError otherwise."""
    checked = [(str(name), float(weight), float(multiplier)) for name, weight, multiplier in scenarios]
    if not checked:
        raise ValueError("at least one ECL scenario is needed")
    names = [name for name, _, _ in checked]
    if len(set(names)) != len(names) or any(not name for name in names):
        raise ValueError(f"scenario names must be unique and non-empty: {names}")
    if any(w < 0 or m < 0 or not math.isfinite(w) or not math.isfinite(m) for _, w, m in checked):
        raise ValueError("scenario weights and PD multipliers must be finite and ≥ 0")
    total = math.fsum(w for _, w, _ in checked)
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        raise ValueError(f"scenario weights sum to {total!r}, not 1 (tolerance {WEIGHT_TOLERANCE})")
    return checked


# ---------------------------------------------------------------------------------------------- 1. stage

def stage(snapshot: pl.DataFrame, default_dpd: int = 90) -> pl.DataFrame:
    """Adds `stage` (Int32: 1, 2, 3) and `stage_reason` to a snapshot (status, days_past_due,
    forbearance, litigation).

    The rules are tried in order and the first that holds names the reason: `default`
    (DPD ≥ default_dpd) and `litigation` → 3; `dpd_30` (DPD ≥ 30), `forbearance` and `frozen`
    (status) → 2; else `performing` → 1. Closed and charged-off accounts carry no allowance: stage
    null, stage_reason their status (`closed`, `charged_off`).
    """
    unknown = snapshot.filter(~pl.col("status").is_in(STATUSES) | pl.col("status").is_null())
    if unknown.height:
        raise ValueError(f"unknown account status {sorted(set(unknown['status'].to_list()), key=str)}")
    if snapshot.filter(pl.col("status").is_in(ON_BOOK_STATUSES) & pl.col("days_past_due").is_null()).height:
        raise ValueError("on-book accounts without days_past_due cannot be staged")
    dpd = pl.col("days_past_due")
    reason = (pl.when(pl.col("status").is_in(TERMINAL_STATES)).then(pl.col("status"))
              .when(dpd >= default_dpd).then(pl.lit("default"))
              .when(pl.col("litigation").fill_null(False)).then(pl.lit("litigation"))
              .when(dpd >= SICR_DPD).then(pl.lit("dpd_30"))
              .when(pl.col("forbearance").fill_null(False)).then(pl.lit("forbearance"))
              .when(pl.col("status") == "frozen").then(pl.lit("frozen"))
              .otherwise(pl.lit("performing")))
    return (snapshot.with_columns(stage_reason=reason)
            .with_columns(stage=pl.col("stage_reason").replace_strict(STAGE_RULES, default=None,
                                                                      return_dtype=pl.Int32)))


# ---------------------------------------------------------------------------------------------- 2. PD

ROW_SOURCES = ("product", "portfolio", "assumed_roll_forward")
TERM_SCHEMA = {"product": pl.String, "bucket": pl.String, "horizon": pl.Int32, "cumulative_pd": pl.Float64,
               "marginal_pd": pl.Float64, "row_source": pl.String, "row_accounts": pl.Int64}


def _portfolio_rows(pooled: pl.DataFrame) -> pl.DataFrame:
    """The all-products pooled rows: `all` as given, or the products summed when it is absent."""
    if pooled.filter(pl.col("product") == ALL_PRODUCTS).height:
        return pooled.filter(pl.col("product") == ALL_PRODUCTS)
    return (pooled.group_by("from_state", "to_state").agg(pl.col("accounts").sum())
            .with_columns(product=pl.lit(ALL_PRODUCTS)))


def pd_term_structure(pooled: pl.DataFrame, edges: Sequence[int], default_dpd: int, horizon: int,
                      min_row_accounts: int = 1, products: Sequence[str] | None = None) -> pl.DataFrame:
    """Cumulative and marginal PD by months ahead, per product and non-default bucket.

    pooled: `roll_rates.pooled_matrix` (product, from_state, to_state, accounts, …). The count
    matrix is taken as `roll_rates.markov_matrix` builds it (`missing` dropped and rows
    renormalised; `charged_off`, `closed` absorbing); then every state at or past default (buckets
    whose lower edge ≥ default_dpd, and `charged_off`) is lumped into one absorbing `default` state.
    PD(h) = probability of being in `default` after h steps from the bucket; marginal PD(h) =
    PD(h) − PD(h−1).

    A bucket's transition row needs evidence: its product's own row when the window holds at least
    `min_row_accounts` transitions out of the bucket (`row_source` = `product`); else the
    all-products row when that has enough (`portfolio`); else, prudently, a roll to the next bucket
    with certainty (`assumed_roll_forward`: with no evidence, the account is taken to keep rolling
    towards default). `row_accounts` is the count behind the bucket's own product row.

    No evidence at all (no transition out of any live bucket in the window, e.g. the first loaded
    month) gives an empty frame: the PD is not available, rather than a book-wide assumption.

    products: the products to build (default: those in `pooled`); one absent from the window
    borrows every row. Output: product, bucket, horizon (1..horizon, Int32), cumulative_pd,
    marginal_pd, row_source, row_accounts; sorted by product, bucket order, horizon.
    """
    _check_default_edge(edges, default_dpd)
    if horizon < 1:
        raise ValueError("horizon must be at least 1 month")
    states = [*bucket_labels(edges), *TERMINAL_STATES]
    live = chain_buckets(edges, default_dpd)  # the buckets with lower edge < default_dpd
    n = len(live)
    observed = pooled.filter(pl.col("to_state") != MISSING)
    portfolio = _portfolio_rows(observed)
    counts = {(r["product"], r["from_state"]): r["accounts"]
              for r in pl.concat([observed.filter(pl.col("product") != ALL_PRODUCTS)
                                  .select("product", "from_state", "accounts"),
                                  portfolio.select("product", "from_state", "accounts")])
              .group_by("product", "from_state").agg(pl.col("accounts").sum()).to_dicts()}
    if not any(counts.get((ALL_PRODUCTS, b), 0) for b in live):
        return pl.DataFrame(schema=TERM_SCHEMA)
    portfolio_matrix = markov_matrix(portfolio, ALL_PRODUCTS, edges, "account_rate")
    assumed = np.zeros((len(states), len(states)))
    assumed[range(n), range(1, n + 1)] = 1.0  # the last live bucket rolls into the first default bucket
    live_idx = [states.index(b) for b in live]
    default_idx = [i for i, s in enumerate(states) if s not in live and s != "closed"]
    closed_idx = states.index("closed")
    wanted = list(products) if products is not None else observed["product"].unique().to_list()
    frames = []
    for product in (p for p in _products(pl.DataFrame({"product": wanted}))["product"].to_list() if p in wanted):
        own = portfolio_matrix if product == ALL_PRODUCTS else markov_matrix(observed, product, edges, "account_rate")
        full, sources = np.zeros_like(own), []
        for i, bucket in zip(live_idx, live):
            for source, matrix, key in (("product", own, product), ("portfolio", portfolio_matrix, ALL_PRODUCTS)):
                if counts.get((key, bucket), 0) >= max(min_row_accounts, 1):
                    full[i], source_used = matrix[i], source
                    break
            else:
                full[i], source_used = assumed[i], "assumed_roll_forward"
            sources.append(source_used)
        q = np.zeros((n + 2, n + 2))  # live buckets, default, closed
        q[:n, :n] = full[np.ix_(live_idx, live_idx)]
        q[:n, n] = full[np.ix_(live_idx, default_idx)].sum(axis=1)
        q[:n, n + 1] = full[live_idx, closed_idx]
        q[n, n] = q[n + 1, n + 1] = 1.0
        dist = np.eye(n + 2)[:n]
        cumulative = np.empty((n, horizon))
        for h in range(horizon):
            dist = dist @ q
            cumulative[:, h] = np.minimum(dist[:, n], 1.0)
        marginal = np.diff(cumulative, axis=1, prepend=0.0)
        frames.append(pl.DataFrame({
            "product": [product] * (n * horizon),
            "bucket": np.repeat(live, horizon).tolist(),
            "horizon": np.tile(np.arange(1, horizon + 1, dtype=np.int32), n),
            "cumulative_pd": cumulative.ravel(),
            "marginal_pd": marginal.ravel(),
            "row_source": np.repeat(sources, horizon).tolist(),
            "row_accounts": np.repeat([counts.get((product, b), 0) for b in live], horizon).astype(np.int64),
        }, schema=TERM_SCHEMA))
    return pl.concat(frames) if frames else pl.DataFrame(schema=TERM_SCHEMA)


def pd_12m(term_structure: pl.DataFrame, months: int = TWELVE_MONTHS) -> pl.DataFrame:
    """PD(12) (or PD(`months`)) per product and bucket: product, bucket, pd_12m (null where unknown)."""
    if term_structure.height and term_structure["horizon"].max() < months:
        raise ValueError(f"the term structure stops at {term_structure['horizon'].max()} months, before {months}")
    return term_structure.filter(pl.col("horizon") == months).select("product", "bucket", pd_12m="cumulative_pd")


# ---------------------------------------------------------------------------------------------- 3. LGD

def lgd(charge_offs: pl.DataFrame, recoveries: pl.DataFrame, apr_by_account: pl.DataFrame, month: date,
        workout_months: int = 24, fallback: float = 0.85, min_accounts: int = 30) -> pl.DataFrame:
    """Empirical LGD per product (and `all`), or the fallback while the evidence is thin.

    charge_offs: account_id, product, month (of the charge-off posting), amount (positive).
    recoveries: account_id, month (of the recovery posting), amount. apr_by_account: account_id, apr.
    An account's charge-off month is the month of its first charge-off posting, its charged-off
    amount the sum of them. Its window covers months k = 0 … workout_months after it (k = 0, the
    charge-off month itself, undiscounted); each recovery is discounted to the charge-off month at
    the account's apr: amount / (1 + apr/12)^k. Only accounts whose window has fully elapsed by
    `month` (charge-off month + workout_months ≤ month) count.

    LGD = 1 − Σ discounted recoveries / Σ charged-off amount, clipped to [0, 1] (recoveries above
    the charged-off amount do not make a negative loss). `source` is `fallback` (lgd = fallback)
    while fewer than `min_accounts` accounts qualify or they charged off nothing.

    Output: product, lgd, source, accounts_used, charged_off_amount (Decimal), discounted_recoveries.
    """
    if not 0 <= fallback <= 1:
        raise ValueError("the fallback LGD must be within [0, 1]")
    if workout_months < 0 or min_accounts < 0:
        raise ValueError("workout_months and min_accounts must be ≥ 0")
    end = month_index(pl.lit(month, dtype=pl.Date))
    written = (charge_offs.group_by("account_id", "product")
               .agg(charge_off_month=pl.col("month").min(), charged_off_amount=pl.col("amount").sum())
               .filter(month_index(pl.col("charge_off_month")) + workout_months <= end))
    recovered = (recoveries.select("account_id", "month", "amount")
                 .join(written.select("account_id", "charge_off_month"), on="account_id", how="inner")
                 .with_columns(k=month_index(pl.col("month")) - month_index(pl.col("charge_off_month")))
                 .filter(pl.col("k").is_between(0, workout_months))
                 .join(apr_by_account.select("account_id", "apr"), on="account_id", how="left", validate="m:1"))
    no_apr = recovered.filter(pl.col("apr").is_null())["account_id"].unique()
    if no_apr.len():
        raise ValueError(f"no apr to discount the recoveries of {no_apr.len()} account(s), e.g. {no_apr.to_list()[:5]}")
    discount = (1 + pl.col("apr").cast(pl.Float64) / 12) ** pl.col("k")
    per_account = recovered.group_by("account_id").agg(
        discounted_recoveries=exact_sum(pl.col("amount").cast(pl.Float64) / discount))
    evidence = (written.join(per_account, on="account_id", how="left")
                .with_columns(pl.col("discounted_recoveries").fill_null(0.0)))
    sums = with_all_products(evidence).group_by("product").agg(
        accounts_used=pl.len().cast(pl.Int64),
        charged_off_amount=pl.col("charged_off_amount").sum().cast(MONEY),
        discounted_recoveries=exact_sum(pl.col("discounted_recoveries")))
    out = (_products(evidence).join(sums, on="product", how="left", maintain_order="left")
           .with_columns(pl.col("accounts_used").fill_null(0),
                         pl.col("charged_off_amount").fill_null(pl.lit(0).cast(MONEY)),
                         pl.col("discounted_recoveries").fill_null(0.0)))
    empirical = (pl.col("accounts_used") >= min_accounts) & (pl.col("charged_off_amount") > 0)
    ratio = pl.col("discounted_recoveries") / pl.col("charged_off_amount").cast(pl.Float64)
    return out.with_columns(
        lgd=pl.when(empirical).then((1 - ratio).clip(0.0, 1.0)).otherwise(pl.lit(float(fallback))),
        source=pl.when(empirical).then(pl.lit("empirical")).otherwise(pl.lit("fallback")),
    ).select("product", "lgd", "source", "accounts_used", "charged_off_amount", "discounted_recoveries")


# ---------------------------------------------------------------------------------------------- 4. EAD

def ead(snapshot: pl.DataFrame, accounts: pl.DataFrame,
        ccf_by_product: Mapping[str, float] = DEFAULT_CCF) -> pl.DataFrame:
    """Exposure at default per account: the snapshot's columns plus apr and term_months (from
    `accounts`, unless already there), `ccf`, `undrawn`, `drawn_ead` and `ead` (Float64).

    ead = max(total_balance + ccf × max(credit_limit − total_balance, 0), 0), where ccf is the
    product's configured CCF for `active` accounts and 0 otherwise (frozen and closed lines, and
    products without a CCF, have no undrawn exposure). The floor at 0: a negative balance (a credit
    balance, e.g. an overpayment) is owed to the customer, not an exposure, so EAD never goes below
    zero; on an active line it first offsets the expected drawdown. drawn_ead = max(total_balance,
    0) is the exposure without any undrawn part (used in CECL mode).
    """
    bad = {p: c for p, c in ccf_by_product.items() if not 0 <= float(c) <= 1}
    if bad:
        raise ValueError(f"CCF must be within [0, 1]: {bad}")
    extra = [c for c in ("apr", "term_months") if c not in snapshot.columns]
    out = snapshot
    if extra:
        out = out.join(accounts.select("account_id", *extra), on="account_id", how="left", validate="m:1",
                       maintain_order="left")
    balance = pl.col("total_balance").cast(pl.Float64)
    ccf_map = {str(p): float(c) for p, c in ccf_by_product.items()}
    return (out.with_columns(
        ccf=pl.when(pl.col("status") == "active")
        .then(pl.col("product").replace_strict(ccf_map, default=0.0, return_dtype=pl.Float64))
        .otherwise(pl.lit(0.0)),
        undrawn=(pl.col("credit_limit").cast(pl.Float64) - balance).clip(lower_bound=0.0).fill_null(0.0),
        drawn_ead=balance.clip(lower_bound=0.0))
        .with_columns(ead=(balance + pl.col("ccf") * pl.col("undrawn")).clip(lower_bound=0.0)))


# ---------------------------------------------------------------------------------------------- 5. ECL

def _pd_grid(term_structure: pl.DataFrame, months: int) -> tuple[pl.DataFrame, np.ndarray]:
    """(groups: product, bucket, g) and cumulative PD as an array [g, h] for h = 0..max(H, months)
    (PD(0) = 0; NaN past the term structure's horizon H); an extra last row of NaN for accounts whose
    product and bucket have no term structure."""
    groups = (term_structure.select("product", "bucket").unique(maintain_order=True)
              .with_row_index("g").with_columns(pl.col("g").cast(pl.Int64)))
    horizon = int(term_structure["horizon"].max()) if term_structure.height else 0
    cumulative = np.full((groups.height + 1, max(horizon, months) + 1), np.nan)
    cumulative[: groups.height, 0] = 0.0
    cells = term_structure.join(groups, on=["product", "bucket"])
    cumulative[cells["g"].to_numpy(), cells["horizon"].to_numpy()] = (
        cells["cumulative_pd"].cast(pl.Float64).fill_null(np.nan).to_numpy())
    return groups, cumulative


def ecl(exposures: pl.DataFrame, pd: pl.DataFrame, lgd: pl.DataFrame, scenarios: Sequence[Sequence],
        behavioural_life: int = 36, cecl: bool = False) -> pl.DataFrame:
    """ECL per on-book account (stage not null; closed and charged-off accounts carry none).

    exposures: `ead(stage(snapshot), accounts)` (account_id, product, status, stage, stage_reason,
    bucket, mob, term_months, apr, total_balance, ead, drawn_ead). pd: `pd_term_structure`. lgd:
    `lgd` (product, lgd). scenarios: (name, weight, pd_multiplier), weights summing to 1.

    life_months: term_months − mob (at least 1) where the account has a term, else behavioural_life.
    Per scenario s, PD_s(h) = min(1, multiplier_s · PD(h)) and marginal_s(h) = PD_s(h) − PD_s(h−1);
    stage 1 and 2: ECL_s = LGD · EAD · Σ_{h=1..T} marginal_s(h) · (1 + apr/12)^−h with T
    (`ecl_months`) = min(12, life) in stage 1 and life in stage 2; stage 3: LGD · EAD (no PD, no
    discounting, the same in every scenario). Reported ecl = Σ_s weight_s · ECL_s. CECL: T = life in
    every stage, and EAD = drawn_ead (no CCF on the unconditionally cancellable undrawn lines); the
    output's `ead` is the EAD used.

    pd_12m and pd_lifetime are the scenario-weighted PD_s(min(12, life)) and PD_s(life) of the
    account's bucket (1 in stage 3). A null ECL means an input is unknown (PD of the bucket, LGD of
    the product, apr); `check_ecl` blocks on it.

    Output: account_id, product, status, stage, stage_reason, bucket, mob, term_months, life_months,
    ecl_months, total_balance, ead, pd_12m, pd_lifetime, lgd, ecl, ecl_<scenario> (Float64 amounts).
    """
    checked = validate_scenarios(scenarios)
    if behavioural_life < 1:
        raise ValueError("behavioural_life must be at least 1 month")
    exposure = "drawn_ead" if cecl else "ead"
    life = (pl.when(pl.col("term_months").is_null()).then(pl.lit(behavioural_life))
            .otherwise((pl.col("term_months") - pl.col("mob")).clip(lower_bound=1)).cast(pl.Int32))
    book = (exposures.filter(pl.col("stage").is_not_null())
            .join(lgd.select("product", "lgd"), on="product", how="left", validate="m:1", maintain_order="left")
            .with_columns(life_months=life, ead=pl.col(exposure).cast(pl.Float64))
            .with_columns(ecl_months=pl.when(pl.col("stage") == 3).then(None)
                          .when((pl.col("stage") == 1) & pl.lit(not cecl))
                          .then(pl.min_horizontal(pl.col("life_months"), pl.lit(TWELVE_MONTHS)))
                          .otherwise(pl.col("life_months")).cast(pl.Int32)))
    needed = int(book["ecl_months"].max() or 0)
    covered = int(pd["horizon"].max()) if pd.height else 0
    if pd.height and needed > covered:
        raise ValueError(f"the PD term structure covers {covered} months; these accounts need {needed}")
    groups, cumulative = _pd_grid(pd, needed)  # an empty term structure (no history yet): every PD unknown
    available = cumulative.shape[1] - 1
    book = book.join(groups, on=["product", "bucket"], how="left", maintain_order="left")

    g = book["g"].fill_null(cumulative.shape[0] - 1).to_numpy()
    impaired = (book["stage"] == 3).to_numpy()
    months = book["ecl_months"].fill_null(0).to_numpy()
    life_months = book["life_months"].to_numpy()
    loss_given_default = book["lgd"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    exposure_at_default = book["ead"].fill_null(np.nan).to_numpy()
    discount = 1.0 / (1.0 + book["apr"].cast(pl.Float64).fill_null(np.nan).to_numpy() / 12.0)
    twelve = np.minimum(life_months, TWELVE_MONTHS)

    def pd_at(scaled: np.ndarray, months_ahead: np.ndarray) -> np.ndarray:
        inside = months_ahead <= available
        return np.where(inside, scaled[g, np.minimum(months_ahead, available)], np.nan)

    # an account's discounted PD depends only on its PD row, its months and its rate: worked out once
    # per such combination (some 21,000 for the 620,000 accounts of the 1M bench's last month), each
    # account then takes its combination's
    _, rate = np.unique(discount, return_inverse=True)  # NaN (no apr) is one rate
    _, first, combination = np.unique((g * (needed + 1) + months) * (rate.max(initial=0) + 1) + rate,
                                      return_index=True, return_inverse=True)
    g_first, months_first, discount_first = g[first], months[first], discount[first]

    loss = loss_given_default * exposure_at_default
    weighted = np.zeros(book.height)
    pd_12m_w, pd_life_w = np.zeros(book.height), np.zeros(book.height)
    per_scenario = {}
    for name, weight, multiplier in checked:
        scaled = np.minimum(multiplier * cumulative, 1.0)  # cumulative PD capped at 1; NaN stays NaN
        marginal = np.diff(scaled, axis=1)  # marginal[:, h − 1] = PD_s(h) − PD_s(h − 1)
        discounted_pd = np.zeros(first.size)
        factor = np.ones(first.size)
        for h in range(1, needed + 1):
            factor = factor * discount_first
            discounted_pd += np.where(h <= months_first, marginal[g_first, h - 1] * factor, 0.0)
        scenario_ecl = np.where(impaired, loss, loss * discounted_pd[combination])
        per_scenario[f"ecl_{name}"] = scenario_ecl
        weighted += weight * scenario_ecl
        pd_12m_w += weight * pd_at(scaled, twelve)
        pd_life_w += weight * pd_at(scaled, life_months)
    weighted = np.where(impaired, loss, weighted)  # stage 3 exactly LGD · EAD
    return book.with_columns(
        pd_12m=_nullable(np.where(impaired, 1.0, pd_12m_w)),
        pd_lifetime=_nullable(np.where(impaired, 1.0, pd_life_w)),
        lgd=pl.col("lgd").cast(pl.Float64),
        ecl=_nullable(weighted),
        **{name: _nullable(values) for name, values in per_scenario.items()},
    ).select("account_id", "product", "status", "stage", "stage_reason", "bucket", "mob", "term_months",
             "life_months", "ecl_months", "total_balance", "ead", "pd_12m", "pd_lifetime", "lgd", "ecl",
             *per_scenario)


def _with_all_stages(sums: pl.DataFrame) -> pl.DataFrame:
    """Sums per product and stage (the `all` product included), with each product's `all` stage:
    the sum of its stages' rows. Adding the `all` rows before grouping copied every account's row
    four times (a fifth of the ECL step on a million-account book)."""
    return with_totals(sums, "stage", "all", ["product"])


def ecl_summary(allowance: pl.DataFrame) -> pl.DataFrame:
    """Allowance and coverage per product (and `all`) and stage ("1", "2", "3", "all"), full grid.

    allowance: `ecl` output. coverage = Σ ECL / Σ total_balance (null where the balance is not
    positive). Output: product, stage, accounts, balance (Decimal), ead, ecl, coverage.
    """
    sums = _with_all_stages(sums_by_product(
        allowance.with_columns(stage=pl.col("stage").cast(pl.String)), ["stage"],
        accounts=pl.len().cast(pl.Int64), balance=pl.col("total_balance").sum(),
        ead=pl.col("ead").cast(EXACT).sum(), ecl=pl.col("ecl").cast(EXACT).sum(),
    )).with_columns(pl.col("balance").cast(MONEY), pl.col("ead", "ecl").cast(pl.Float64))
    grid = _products(allowance).join(pl.DataFrame({"stage": MOVEMENT_STAGES}), how="cross")
    return (grid.join(sums, on=["product", "stage"], how="left", maintain_order="left")
            .with_columns(pl.col("accounts").fill_null(0), pl.col("balance").fill_null(pl.lit(0).cast(MONEY)),
                          pl.col("ead").fill_null(0.0), pl.col("ecl").fill_null(0.0))
            .with_columns(coverage=pl.when(pl.col("balance") > 0)
                          .then(pl.col("ecl") / pl.col("balance").cast(pl.Float64))))


def scenario_summary(allowance: pl.DataFrame, scenarios: Sequence[Sequence]) -> pl.DataFrame:
    """The allowance under each scenario alone, per product (and `all`), with its weight and PD
    multiplier: the reported ECL is Σ weight × ecl. Output: product, scenario, weight,
    pd_multiplier, ecl."""
    checked = validate_scenarios(scenarios)
    columns = [f"ecl_{name}" for name, _, _ in checked]
    sums = sums_by_product(allowance, **{c: pl.col(c).cast(EXACT).sum() for c in columns}
                           ).with_columns(pl.col(columns).cast(pl.Float64))
    per_product = _products(allowance).join(sums, on="product", how="inner", maintain_order="left")
    return pl.concat([
        per_product.select("product", scenario=pl.lit(name), weight=pl.lit(weight), pd_multiplier=pl.lit(multiplier),
                           ecl=pl.col(f"ecl_{name}"))
        for name, weight, multiplier in checked])


# ---------------------------------------------------------------------------------------------- 6. migration

def stage_migration(previous: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    """Accounts and balances by stage in m−1 → stage in m, per product and `all`, full grid.

    previous, current: staged snapshots of m−1 and m (account_id, product, status, stage,
    total_balance). The population is every account with a stage (on book) in m−1 or m.
    from_stage: "1"/"2"/"3", or `new` when it had no stage in m−1 (absent, or not on book);
    to_stage: "1"/"2"/"3", `derecognised` (closed in m), `written_off` (charged off in m) or
    `missing` (absent from m: a data error). previous_balance and current_balance are the
    total_balance of m−1 and m (0 where the account has no row).

    Output: product, from_stage, to_stage, accounts, previous_balance, current_balance.
    """
    prev = previous.select("account_id", "product", prev_stage="stage", previous_balance="total_balance")
    cur = current.select("account_id", current_product="product", status="status", cur_stage="stage",
                         current_balance="total_balance")
    moves = (prev.join(cur, on="account_id", how="full", coalesce=True)
             .filter(pl.col("prev_stage").is_not_null() | pl.col("cur_stage").is_not_null())
             .with_columns(
                 product=pl.coalesce("current_product", "product"),
                 from_stage=pl.when(pl.col("prev_stage").is_not_null()).then(pl.col("prev_stage").cast(pl.String))
                 .otherwise(pl.lit("new")),
                 to_stage=pl.when(pl.col("cur_stage").is_not_null()).then(pl.col("cur_stage").cast(pl.String))
                 .when(pl.col("status") == "closed").then(pl.lit("derecognised"))
                 .when(pl.col("status") == "charged_off").then(pl.lit("written_off"))
                 .otherwise(pl.lit("missing"))))
    counts = sums_by_product(moves, ["from_stage", "to_stage"], accounts=pl.len().cast(pl.Int64),
                             previous_balance=pl.col("previous_balance").sum(),
                             current_balance=pl.col("current_balance").sum()
                             ).with_columns(pl.col("previous_balance", "current_balance").cast(MONEY))
    grid = (_products(moves)
            .join(pl.DataFrame({"from_stage": MIGRATION_FROM}), how="cross")
            .join(pl.DataFrame({"to_stage": MIGRATION_TO}), how="cross"))
    zero = pl.lit(0).cast(MONEY)
    return (grid.join(counts, on=["product", "from_stage", "to_stage"], how="left", maintain_order="left")
            .with_columns(pl.col("accounts").fill_null(0), pl.col("previous_balance").fill_null(zero),
                          pl.col("current_balance").fill_null(zero)))


# ---------------------------------------------------------------------------------------------- 7. movement

def allowance_movement(previous_ecl: pl.DataFrame, current_ecl: pl.DataFrame,
                       current_status: pl.DataFrame) -> pl.DataFrame:
    """The allowance m−1 → m per product (and `all`) and stage ("1", "2", "3", and "all" = their sum).

    previous_ecl, current_ecl: `ecl` outputs of m−1 and m (account_id, product, stage, ecl);
    current_status: m's snapshot (account_id, status). Amounts are Decimal(38, 10); decreases are
    negative, so opening + every line = closing, exactly. Per account, by stage:
    - opening / closing: its ECL of m−1 in its m−1 stage / of m in its m stage;
    - new_accounts: ECL of m of accounts without an allowance in m−1;
    - derecognised / written_off / missing: minus the m−1 ECL of accounts without an allowance in m
      that are closed / charged off / absent (or otherwise off book) in m;
    - transfers: an account whose stage changed moves its *opening* (m−1) allowance out of its old
      stage (transfers_out, negative) into its new one (transfers_in);
    - remeasurement: ECL of m − ECL of m−1 of accounts with an allowance in both months, in the stage
      they end in (the residual after the transfer).
    Write-offs and derecognitions release the m−1 allowance; any change during m before the exit is
    not separately visible in month-end data. Raises ValueError on a null ECL (it could not tie).
    """
    for name, frame in (("previous", previous_ecl), ("current", current_ecl)):
        unknown = frame.filter(pl.col("stage").is_not_null() & pl.col("ecl").is_null()).height
        if unknown:
            raise ValueError(f"{unknown} account(s) of the {name} month have no ECL; the movement cannot tie")
    prev = previous_ecl.filter(pl.col("stage").is_not_null()).select(
        "account_id", "product", old=pl.col("stage").cast(pl.String), opening=pl.col("ecl").cast(ALLOWANCE))
    cur = current_ecl.filter(pl.col("stage").is_not_null()).select(
        "account_id", current_product="product", new=pl.col("stage").cast(pl.String),
        closing=pl.col("ecl").cast(ALLOWANCE))
    accounts = (prev.join(cur, on="account_id", how="full", coalesce=True)
                .join(current_status.select("account_id", "status"), on="account_id", how="left", validate="m:1")
                .with_columns(product=pl.coalesce("current_product", "product")))
    had, has = pl.col("old").is_not_null(), pl.col("new").is_not_null()
    both, moved = had & has, had & has & (pl.col("old") != pl.col("new"))
    exited = had & ~has
    status, opening, closing = pl.col("status"), pl.col("opening"), pl.col("closing")

    def line(where: pl.Expr, amount: pl.Expr) -> pl.Expr:
        return amount.cast(ALLOWANCE).filter(where).sum()

    # each line summed per product and the stage it is booked in (the m−1 stage or the m one), in
    # one pass over the accounts for either stage; `all` products and stages are sums of those
    # (exact decimals)
    by_old = accounts.filter(had).group_by("product", stage="old").agg(
        opening=opening.sum(),
        written_off=line(exited & (status == "charged_off"), -opening),
        derecognised=line(exited & (status == "closed"), -opening),
        missing=line(exited & ~status.is_in(["charged_off", "closed"]).fill_null(False), -opening),
        transfers_out=line(moved, -opening))
    by_new = accounts.filter(has).group_by("product", stage="new").agg(
        closing=closing.sum(),
        new_accounts=line(~had & has, closing),
        transfers_in=line(moved, opening),
        remeasurement=line(both, closing - opening))
    sums = _with_all_stages(with_totals(by_old.join(by_new, on=["product", "stage"], how="full", coalesce=True),
                                        "product", ALL_PRODUCTS, ["stage"]))
    grid = _products(accounts).join(pl.DataFrame({"stage": MOVEMENT_STAGES}), how="cross")
    zero = pl.lit(0).cast(ALLOWANCE)
    return (grid.join(sums, on=["product", "stage"], how="left", maintain_order="left")
            .with_columns(*(pl.col(c).cast(ALLOWANCE).fill_null(zero) for c in MOVEMENT_COLUMNS[2:]))
            .select(MOVEMENT_COLUMNS))


# ---------------------------------------------------------------------------------------------- 8. checks

def check_ecl(allowance: pl.DataFrame | None, movement: pl.DataFrame | None = None,
              scenarios: Sequence[Sequence] | None = None, tolerance: float = 0.005) -> pl.DataFrame:
    """The month's ECL controls, one row each: check, severity (`blocking` / `warning`), passed (null
    when its input was not given), failures, detail.

    Blocking: `ecl_known` (every on-book account has an ECL), `ecl_non_negative`,
    `stage3_lgd_times_ead` (|ECL − LGD × EAD| ≤ tolerance), `movement_ties` (opening + lines =
    closing exactly, per row), `movement_closing_matches_ecl` (closing = Σ ECL per product and
    stage, within tolerance per account), `scenario_weights` (valid, summing to 1 within 1e-9).
    Warning: `coverage_increasing` (Σ ECL / Σ total_balance strictly increases from stage 1 to 2
    to 3, over the stages present, per product and `all`).

    allowance None: the month has no ECL (no PD evidence yet); its checks are recorded as not
    evaluated, with that reason, rather than failed. movement None: no opening allowance.
    """
    rows = []

    def add(check: str, severity: str, failures: int | None, detail: str) -> None:
        rows.append({"check_name": check, "severity": severity,
                     "passed": None if failures is None else failures == 0,
                     "failures": failures, "detail": detail})

    if allowance is None:
        reason = "not evaluated: no ECL this month (no roll-rate transitions to estimate PD from)"
        for check in ("ecl_known", "ecl_non_negative", "stage3_lgd_times_ead", "movement_ties",
                      "movement_closing_matches_ecl"):
            add(check, "blocking", None, reason)
        add("coverage_increasing", "warning", None, reason)
    else:
        _check_allowance(allowance, movement, tolerance, add)
    if scenarios is None:
        add("scenario_weights", "blocking", None, "not evaluated: no scenarios given")
    else:
        try:
            checked = validate_scenarios(scenarios)
            add("scenario_weights", "blocking", 0,
                "weights sum to " + repr(math.fsum(w for _, w, _ in checked)))
        except (ValueError, TypeError) as exc:
            add("scenario_weights", "blocking", 1, str(exc))
    return pl.DataFrame(rows, schema=CHECK_SCHEMA)


def _check_allowance(allowance: pl.DataFrame, movement: pl.DataFrame | None, tolerance: float,
                     add: Callable[[str, str, int | None, str], None]) -> None:
    book = allowance.filter(pl.col("stage").is_not_null())
    unknown = book.filter(pl.col("ecl").is_null())
    add("ecl_known", "blocking", unknown.height,
        f"{unknown.height} on-book account(s) without ECL (unknown PD, LGD or apr)"
        + (f", e.g. {unknown['account_id'].head(5).to_list()}" if unknown.height else ""))
    negative = book.filter(pl.col("ecl") < 0)
    add("ecl_non_negative", "blocking", negative.height, f"{negative.height} account(s) with ECL < 0")
    impaired = book.filter((pl.col("stage") == 3) & pl.col("ecl").is_not_null())
    off = impaired.filter((pl.col("ecl") - pl.col("lgd") * pl.col("ead")).abs() > tolerance)
    add("stage3_lgd_times_ead", "blocking", off.height,
        f"{off.height} of {impaired.height} stage 3 account(s) with ECL ≠ LGD × EAD")

    if movement is None:
        reason = "not evaluated: no opening allowance (the previous month has no ECL)"
        add("movement_ties", "blocking", None, reason)
        add("movement_closing_matches_ecl", "blocking", None, reason)
    else:
        total = pl.sum_horizontal(pl.col("opening"), *(pl.col(c) for c in MOVEMENT_LINES)).cast(ALLOWANCE)
        broken = movement.filter(total != pl.col("closing").cast(ALLOWANCE))
        add("movement_ties", "blocking", broken.height, f"{broken.height} movement row(s) not tying exactly")
        expected = _with_all_stages(sums_by_product(
            book.with_columns(stage=pl.col("stage").cast(pl.String)), ["stage"],
            expected=pl.col("ecl").cast(EXACT).sum(), accounts=pl.len(),
        )).with_columns(pl.col("expected").cast(pl.Float64))
        compared = (movement.select("product", "stage", "closing")
                    .join(expected, on=["product", "stage"], how="left")
                    .with_columns(pl.col("expected").fill_null(0.0), pl.col("accounts").fill_null(0)))
        mismatched = compared.filter((pl.col("closing").cast(pl.Float64) - pl.col("expected")).abs()
                                     > tolerance * pl.max_horizontal(pl.col("accounts"), pl.lit(1)))
        add("movement_closing_matches_ecl", "blocking", mismatched.height,
            f"{mismatched.height} product/stage row(s) whose closing allowance differs from Σ ECL")

    coverage = (sums_by_product(book, ["stage"], ecl=pl.col("ecl").cast(EXACT).sum(),
                                balance=pl.col("total_balance").sum())
                .with_columns(pl.col("ecl", "balance").cast(pl.Float64))
                .filter(pl.col("balance") > 0)
                .with_columns(coverage=pl.col("ecl") / pl.col("balance")).sort("product", "stage"))
    flat = []
    for product in _products(book)["product"]:
        mine = coverage.filter(pl.col("product") == product)
        stages, ratios = mine["stage"].to_list(), mine["coverage"].to_list()
        for (s0, c0), (s1, c1) in zip(zip(stages, ratios), zip(stages[1:], ratios[1:])):
            if c1 <= c0:
                flat.append(f"{product}: stage {s1} {c1:.4%} ≤ stage {s0} {c0:.4%}")
    add("coverage_increasing", "warning", len(flat),
        "; ".join(flat) if flat else "coverage increases from stage to stage")


__all__ = ["allowance_movement", "check_ecl", "ead", "ecl", "ecl_summary", "lgd", "pd_12m", "pd_term_structure",
           "scenario_summary", "stage", "stage_migration", "validate_scenarios"]
