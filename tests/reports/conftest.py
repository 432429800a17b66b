"""A hand-made three-month sample (Aug–Oct 2026) of the frames the management pack reads.

Bucket balances per product are written out below; every other figure (receivable balance,
dq balances and rates, NCO rate, the `all` rows) is derived from them with the methodology's
formulas, so the tests can check the pack against numbers computed by hand:

    all products, October:   receivable 1,100,000.00, 30+ balance 34,100.00 → 3.10 %
    all products, September: receivable 1,050,000.00, 30+ balance 31,500.00 → 3.00 %
    all products, August:    receivable 1,000,000.00, 30+ balance 27,000.00 → 2.70 %

The vintage frames (`vintage_frame`, `vintage_lifetime_frame`) are made from smooth formulas, not
by hand: 14 cohorts (2025-09 … 2026-10, the first opened before the first loaded month 2025-10 and
so left-truncated), projected to a horizon of 12 months on book, for products `all` and
`revolving`, unsegmented and by risk grade and channel (a Chinese channel name and one holding
markup). The 2026-08 cohort runs worst. The insight arithmetic is tested on smaller hand-made
frames in test_vintage_insights.py.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from reports.ecl_section import ExpectedLossInput
from reports.i18n import phrase
from reports.management import ManagementPackInput
from transforms.months import add_months

CONFIG_DIGEST = "3f1c" * 16  # the SHA-256 of the configuration the sample months were computed with

MONEY = pl.Decimal(18, 2)
BUCKETS = ("current", "dpd_1_29", "dpd_30_59", "dpd_60_89", "dpd_90_119", "dpd_120_149",
           "dpd_150_179", "dpd_180_plus")
STATES = (*BUCKETS, "charged_off", "closed")
AUG, SEP, OCT = date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)

# balance per bucket (same order as BUCKETS)
BALANCES = {
    AUG: {"revolving": [427_000, 9_000, 6_000, 3_500, 2_000, 1_200, 700, 600],
          "installment": [356_000, 5_000, 4_000, 2_500, 1_200, 700, 400, 200],
          "cash_loan": [171_000, 5_000, 2_000, 1_000, 500, 300, 150, 50]},
    SEP: {"revolving": [455_000, 8_000, 7_000, 4_500, 2_500, 1_500, 800, 700],
          "installment": [370_000, 5_500, 4_200, 2_600, 1_300, 800, 400, 200],
          "cash_loan": [175_200, 4_800, 2_500, 1_300, 600, 350, 170, 80]},
    OCT: {"revolving": [470_000, 10_000, 8_000, 5_000, 3_000, 2_000, 1_000, 1_000],
          "installment": [385_000, 6_000, 4_000, 2_000, 1_500, 800, 400, 300],
          "cash_loan": [190_000, 4_900, 2_500, 1_200, 700, 400, 200, 100]},
}
# (gross charge-offs, recoveries) per product
FLOWS = {
    AUG: {"revolving": (2_000, 300), "installment": (1_500, 150), "cash_loan": (500, 50)},
    SEP: {"revolving": (2_500, 500), "installment": (1_800, 200), "cash_loan": (700, 100)},
    OCT: {"revolving": (3_000, 600), "installment": (2_000, 300), "cash_loan": (1_000, 100)},
}
CHARGED_OFF_ACCOUNTS = {"revolving": 12, "installment": 7, "cash_loan": 4}
CLOSED_ACCOUNTS = {"revolving": 30, "installment": 55, "cash_loan": 21}


def accounts_for(balance: int) -> int:
    """A made-up account count per bucket: one account per 2,500 of balance, at least one."""
    return max(1, -(-balance // 2_500))


def by_state_frame() -> pl.DataFrame:
    rows = []
    for month, products in BALANCES.items():
        totals = {state: [0, 0] for state in STATES}
        for product, balances in products.items():
            for order, state in enumerate(STATES):
                if state in BUCKETS:
                    balance = balances[order]
                    accounts = accounts_for(balance)
                else:
                    balance = 0
                    accounts = (CHARGED_OFF_ACCOUNTS if state == "charged_off" else CLOSED_ACCOUNTS)[product]
                rows.append((month, product, state, order, accounts, Decimal(balance)))
                totals[state][0] += accounts
                totals[state][1] += balance
        for order, state in enumerate(STATES):
            rows.append((month, "all", state, order, totals[state][0], Decimal(totals[state][1])))
    return pl.DataFrame(rows, orient="row", schema={
        "month": pl.Date, "product": pl.String, "state": pl.String, "state_order": pl.Int32,
        "accounts": pl.Int64, "balance": MONEY})


def _summary(balances: list[int], accounts: list[int], flows: tuple[int, int],
             prior_receivable: int | None) -> dict:
    """One mart.delinquency row from bucket balances and counts (every on-book account receivable)."""
    receivable = sum(balances)
    starts = {30: 2, 60: 3, 90: 4}  # index of the first bucket at or above the threshold
    dq = {x: sum(balances[start:]) for x, start in starts.items()}
    dq_acc = {x: sum(accounts[start:]) for x, start in starts.items()}
    gross, rec = flows
    nco = None if prior_receivable is None else (gross - rec) * 12 / ((receivable + prior_receivable) / 2)
    return {
        "accounts_on_book": sum(accounts), "balance_on_book": Decimal(receivable),
        "receivable_accounts": sum(accounts), "receivable_balance": Decimal(receivable),
        **{f"dq{x}_accounts": dq_acc[x] for x in dq}, **{f"dq{x}_balance": Decimal(dq[x]) for x in dq},
        **{f"dq{x}_rate": dq[x] / receivable for x in dq},
        **{f"dq{x}_account_rate": dq_acc[x] / sum(accounts) for x in dq},
        "gross_charge_offs": Decimal(gross), "recoveries": Decimal(rec), "net_charge_offs": Decimal(gross - rec),
        "nco_rate": nco,
    }


def delinquency_frame() -> pl.DataFrame:
    rows, prior = [], {}
    for month, products in BALANCES.items():
        accounts = {p: [accounts_for(b) for b in balances] for p, balances in products.items()}
        columns = {
            **{p: (b, accounts[p], FLOWS[month][p]) for p, b in products.items()},
            "all": ([sum(col) for col in zip(*products.values())],
                    [sum(col) for col in zip(*accounts.values())],
                    tuple(sum(f[i] for f in FLOWS[month].values()) for i in (0, 1))),
        }
        for product, (balances, counts, flows) in columns.items():
            rows.append({"month": month, "product": product,
                         **_summary(balances, counts, flows, prior.get(product))})
        prior = {p: sum(b) for p, (b, _, _) in columns.items()}
    frame = pl.DataFrame(rows, schema_overrides={"month": pl.Date, "product": pl.String, "nco_rate": pl.Float64})
    money = ["balance_on_book", "receivable_balance", "dq30_balance", "dq60_balance", "dq90_balance",
             "gross_charge_offs", "recoveries", "net_charge_offs"]
    return frame.with_columns(pl.col(money).cast(MONEY))


def loads_frame() -> pl.DataFrame:
    files = [("accounts.csv", "accounts", 3_000, 0), ("account_months.csv", "account_months", 2_900, 0),
             ("postings.csv", "postings", 41_250, 2)]
    return pl.DataFrame([
        {"month": OCT, "as_of_date": date(2026, 10, 31), "extract": "2026-10-31", "file_name": name,
         "table_name": table, "file_format": "csv", "encoding": "utf-8", "sha256": "ab" * 32,
         "rows_in_file": rows, "rows_loaded": rows - bad, "rows_quarantined": bad,
         "run_id": "run-0001", "loaded_at": None}
        for name, table, rows, bad in files])


VINTAGE_HORIZON = 12
FIRST_LOADED = date(2025, 10, 1)
COHORT_RISK = [1.0, 0.9, 1.1, 1.0, 0.95, 1.05, 1.0, 1.1, 1.0, 1.15, 1.2, 1.5, 1.1, 1.0]  # 2025-09 … 2026-10
# (segment_type, segment, risk multiplier, share of the cohort's accounts)
VINTAGE_SEGMENTS = [("all", "all", 1.0, 1.0),
                    ("risk_grade", "A", 0.4, 0.30), ("risk_grade", "B", 0.8, 0.30), ("risk_grade", "C", 1.2, 0.20),
                    ("risk_grade", "D", 2.0, 0.12), ("risk_grade", "E", 3.2, 0.08),
                    ("channel", "合作商户", 1.3, 0.35), ("channel", "<b>app</b>", 0.85, 0.65)]


def _month_no(column: str) -> pl.Expr:
    return pl.col(column).dt.year().cast(pl.Int32) * 12 + pl.col(column).dt.month().cast(pl.Int32)


def _vintage_grid(count: int, horizon: int, first_loaded: date) -> pl.DataFrame:
    """Every cell: observed up to each cohort's age (from the first loaded month), projected to the horizon."""
    risk = COHORT_RISK if count == len(COHORT_RISK) else [1 + 0.15 * math.sin(i) for i in range(count)]
    cohorts = pl.DataFrame({"cohort_month": [add_months(OCT, i - count + 1) for i in range(count)],
                            "cohort_risk": risk, "cohort_no": list(range(count))},
                           schema_overrides={"cohort_month": pl.Date})
    segments = pl.DataFrame(VINTAGE_SEGMENTS, orient="row",
                            schema=["segment_type", "segment", "segment_risk", "segment_share"])
    products = pl.DataFrame({"product": ["all", "revolving"], "product_risk": [1.0, 1.5], "product_share": [1.0, 0.4]})
    age = pl.lit(OCT.year * 12 + OCT.month) - _month_no("cohort_month")
    first = (pl.lit(first_loaded.year * 12 + first_loaded.month) - _month_no("cohort_month")).clip(0)
    return (products.join(segments, how="cross").join(cohorts, how="cross")
            .with_columns(age=age, mob=pl.int_ranges(first, pl.max_horizontal(age, pl.lit(horizon)) + 1,
                                                     dtype=pl.Int32))
            .explode("mob")
            .with_columns(
                projected=pl.col("mob") > pl.col("age"),
                cohort_accounts=(400 * pl.col("segment_share") * pl.col("product_share") * (1 + 0.05 * pl.col("cohort_no")))
                .round().cast(pl.Int64),
                scale=pl.col("cohort_risk") * pl.col("segment_risk") * pl.col("product_risk"))
            .with_columns(
                cohort_amount=(pl.col("cohort_accounts") * 8_000).cast(MONEY),
                ever30_curve=pl.when(pl.col("mob") >= 2).then(
                    0.08 * pl.col("scale") * (1 - (-(pl.col("mob") - 1) / 3).exp())).otherwise(0.0),
                loss_curve=pl.when(pl.col("mob") >= 7).then(
                    0.03 * pl.col("scale") * (1 - (-(pl.col("mob") - 6) / 4).exp())).otherwise(0.0)))


def vintage_frame(cohorts: int = len(COHORT_RISK), horizon: int = VINTAGE_HORIZON,
                  first_loaded: date = FIRST_LOADED) -> pl.DataFrame:
    """mart.vintage of October 2026 (the lead's schema, column for column); the defaults make the
    small sample, `vintage_frame(48, 24, date(2023, 11, 1))` the shape of the demo portfolio."""
    grid = _vintage_grid(cohorts, horizon, first_loaded)
    amount = pl.col("cohort_amount").cast(pl.Float64)
    observed = grid.filter(~pl.col("projected")).with_columns(
        ever30_accounts=(pl.col("ever30_curve") * pl.col("cohort_accounts")).round().cast(pl.Int64)).with_columns(
        ever60_accounts=(pl.col("ever30_accounts") * 0.6).round().cast(pl.Int64),
        ever90_accounts=(pl.col("ever30_accounts") * 0.4).round().cast(pl.Int64),
        cum_gross_loss=(amount * pl.col("loss_curve") * 1.1).round(2).cast(MONEY),
        cum_recovery=(amount * pl.col("loss_curve") * 0.1).round(2).cast(MONEY),
    ).with_columns(
        *(pl.col(f"ever{x}_accounts").truediv(pl.col("cohort_accounts")).alias(f"ever{x}_rate") for x in (30, 60, 90)),
        cum_net_loss=(pl.col("cum_gross_loss") - pl.col("cum_recovery")).cast(MONEY),
    ).with_columns(
        *((pl.col(f"ever{x}_rate") * 1.04).alias(f"ever{x}_amount_rate") for x in (30, 60, 90)),
        dq30_balance=(amount * pl.col("ever30_rate") * 0.25).round(2).cast(MONEY),
        cum_net_loss_rate=pl.col("cum_net_loss").cast(pl.Float64) / amount,
    ).with_columns(dq30_balance_rate=pl.col("dq30_balance").cast(pl.Float64) / amount)
    # chain ladder cannot develop a triangle that is all zero at an age: those projections are null
    projected = grid.filter("projected").with_columns(
        ever30_rate=pl.when(pl.col("age") >= 2).then(pl.col("ever30_curve") * 1.02),
        cum_net_loss_rate=pl.when(pl.col("age") >= 7).then(pl.col("loss_curve") * 1.02))
    columns = {
        "month": pl.Date, "product": pl.String, "segment_type": pl.String, "segment": pl.String,
        "cohort_month": pl.Date, "mob": pl.Int32, "projected": pl.Boolean, "cohort_accounts": pl.Int64,
        "cohort_amount": MONEY, "ever30_accounts": pl.Int64, "ever60_accounts": pl.Int64, "ever90_accounts": pl.Int64,
        "ever30_rate": pl.Float64, "ever60_rate": pl.Float64, "ever90_rate": pl.Float64,
        "ever30_amount_rate": pl.Float64, "ever60_amount_rate": pl.Float64, "ever90_amount_rate": pl.Float64,
        "dq30_balance": MONEY, "dq30_balance_rate": pl.Float64, "cum_gross_loss": MONEY, "cum_recovery": MONEY,
        "cum_net_loss": MONEY, "cum_net_loss_rate": pl.Float64}
    return (pl.concat([observed, projected], how="diagonal_relaxed")
            .with_columns(month=pl.lit(OCT, dtype=pl.Date))
            .select(pl.col(name).cast(dtype) for name, dtype in columns.items())
            .sort("product", "segment_type", "segment", "cohort_month", "mob"))


def vintage_lifetime_frame(cohorts: int = len(COHORT_RISK), horizon: int = VINTAGE_HORIZON,
                           first_loaded: date = FIRST_LOADED) -> pl.DataFrame:
    """mart.vintage_lifetime of October 2026: observed at the horizon, chain ladder from a loss to
    date, Bornhuetter–Ferguson without one; the newest grade E cohort is not projectable (null)."""
    keys = ["product", "segment_type", "segment", "cohort_month"]
    cells = vintage_frame(cohorts, horizon, first_loaded)
    latest = cells.filter(~pl.col("projected")).sort("mob").group_by(keys).agg(
        pl.col("cohort_accounts", "cohort_amount").first(), observed_mob=pl.col("mob").last(),
        observed_cum_net_loss_rate=pl.col("cum_net_loss_rate").last())
    at_horizon = cells.filter(pl.col("mob") == horizon).select(*keys, ladder="cum_net_loss_rate")
    scale = _vintage_grid(cohorts, horizon, first_loaded).select(*keys, "scale").unique()
    return (latest.join(at_horizon, on=keys, how="left").join(scale, on=keys)
            .with_columns(method=pl.when(pl.col("observed_mob") >= horizon).then(pl.lit("observed"))
                          .when(pl.col("observed_cum_net_loss_rate") > 0).then(pl.lit("chain_ladder"))
                          .otherwise(pl.lit("bornhuetter_ferguson")))
            .with_columns(lifetime_cum_net_loss_rate=pl.when(pl.col("method") != "bornhuetter_ferguson")
                          .then(pl.col("ladder"))
                          .when((pl.col("segment") != "E") | (pl.col("cohort_month") != OCT))
                          .then(0.03 * 0.9 * pl.col("scale") * (1 - pl.lit(-(horizon - 6) / 4).exp())))
            .select(pl.lit(OCT, dtype=pl.Date).alias("month"), *keys, "cohort_accounts", "cohort_amount",
                    "observed_mob", "observed_cum_net_loss_rate", "lifetime_cum_net_loss_rate",
                    pl.lit(horizon, dtype=pl.Int32).alias("horizon"), "method")
            .sort(keys))


def sample_input(vintage: bool = False) -> ManagementPackInput:
    extra = {"vintage": vintage_frame(), "vintage_lifetime": vintage_lifetime_frame()} if vintage else {}
    return ManagementPackInput(
        **extra,
        month=OCT,
        portfolio_name="Demo consumer-credit portfolio",
        currency="CNY",
        delinquency=delinquency_frame(),
        delinquency_by_state=by_state_frame(),
        loads=loads_frame(),
        quarantine_summary=pl.DataFrame({"file_name": ["postings.csv"], "reason": ["amount: not a number"],
                                         "rows": [2]}, schema_overrides={"rows": pl.Int64}),
        rollforward=pl.DataFrame({
            "product": ["revolving", "installment", "cash_loan", "all"],
            "accounts_checked": [210, 165, 84, 459], "accounts_with_break": [0, 0, 0, 0],
            "break_amount": [Decimal("0.00")] * 4}, schema_overrides={"break_amount": MONEY}),
        vanished_accounts=0,
        parameters={"config file": "riskpack.toml", "bucket edges (DPD)": "0, 1, 30, 60, 90, 120, 150, 180",
                    "quarantine threshold": "0.50%", "roll-forward tolerance": "1.00 CNY",
                    "first month": "2023-11", "currency": "CNY"},
        parameters_note=phrase("param.note.computed", file="riskpack.toml", digest=CONFIG_DIGEST),
        lineage={"extract as_of_date": "2026-10-31", "files loaded": "3", "load run id": "run-0001",
                 "code version": "riskpack 0.1.0"},
    )


ALLOWANCE = pl.Decimal(38, 10)
# October's ECL by product and stage: (accounts, balance, ecl); coverage 1 %-ish, 20 %-ish, 85 %
ECL_CELLS = {
    "revolving": {"1": (400, 470_000, 4_700), "2": (20, 18_000, 3_600), "3": (8, 7_000, 5_950)},
    "installment": {"1": (300, 385_000, 2_310), "2": (10, 10_000, 1_500), "3": (5, 3_000, 2_550)},
    "cash_loan": {"1": (150, 190_000, 2_850), "2": (5, 7_400, 1_850), "3": (2, 1_800, 1_530)},
}
# the allowance movement of all products per stage; each row ties (opening + lines = closing) and
# the closings are the stage sums of ECL_CELLS: 9,860 / 6,950 / 10,030, in all 26,840 (opening 24,500)
ECL_MOVEMENT = {  # opening, new, derecognised, written off, missing, transfers in, transfers out, remeasurement
    "1": (9_000, 1_200, -300, 0, 0, 150, -400, 210),
    "2": (6_000, 100, -50, 0, 0, 400, -750, 1_250),
    "3": (9_500, 0, 0, -2_100, 0, 600, 0, 2_030),
}
MOVEMENT_LINES = ("new_accounts", "derecognised", "written_off", "missing", "transfers_in", "transfers_out",
                  "remeasurement")
# scenario, weight, PD multiplier, ECL of all products: 0.6·25,900 + 0.3·29,600 + 0.1·24,200 = 26,840
ECL_SCENARIOS = [("base", 0.6, 1.0, 25_900), ("downside", 0.3, 1.3, 29_600), ("upside", 0.1, 0.8, 24_200)]
PD_HAZARD = {"current": 0.004, "dpd_1_29": 0.03, "dpd_30_59": 0.12, "dpd_60_89": 0.35}  # a month, all products
PD_PRODUCT_RISK = {"all": 1.0, "revolving": 1.1, "installment": 0.8, "cash_loan": 1.4}
# cells whose transition row is not the product's own
PD_BORROWED = {("cash_loan", "dpd_60_89"): "portfolio", ("installment", "dpd_60_89"): "assumed_roll_forward"}
ECL_CHECKS = [("ecl_known", "blocking", True, 0), ("ecl_non_negative", "blocking", True, 0),
              ("stage3_lgd_times_ead", "blocking", True, 0), ("movement_ties", "blocking", True, 0),
              ("movement_closing_matches_ecl", "blocking", True, 0), ("scenario_weights", "blocking", True, 0),
              ("coverage_increasing", "warning", True, 0)]


def _ecl_summary_rows(month: date, scale: float = 1.0) -> list[dict]:
    """mart.ecl_summary rows: the cells above (ECL scaled for earlier months), `all` stages and products summed."""
    totals: dict[tuple[str, str], list] = {}
    for product, stages in ECL_CELLS.items():
        for stage, (accounts, balance, ecl) in stages.items():
            for key in ((product, stage), (product, "all"), ("all", stage), ("all", "all")):
                cell = totals.setdefault(key, [0, 0, 0.0])
                cell[0] += accounts
                cell[1] += balance
                cell[2] += ecl * scale
    return [{"month": month, "product": product, "stage": stage, "accounts": accounts,
             "balance": Decimal(balance), "ead": float(balance) * 1.05, "ecl": ecl,
             "coverage": ecl / balance if balance else None}
            for (product, stage), (accounts, balance, ecl) in totals.items()]


def _ecl_frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row")


SUMMARY_SCHEMA = {"month": pl.Date, "product": pl.String, "stage": pl.String, "accounts": pl.Int64,
                  "balance": MONEY, "ead": pl.Float64, "ecl": pl.Float64, "coverage": pl.Float64}


def ecl_summary_frame() -> pl.DataFrame:
    return _ecl_frame(_ecl_summary_rows(OCT), SUMMARY_SCHEMA)


def ecl_movement_frame() -> pl.DataFrame:
    rows = []
    for stage, (opening, *lines) in ECL_MOVEMENT.items():
        rows.append({"month": OCT, "product": "all", "stage": stage, "opening": Decimal(opening),
                     **{name: Decimal(v) for name, v in zip(MOVEMENT_LINES, lines)},
                     "closing": Decimal(opening + sum(lines))})
    rows.append({"month": OCT, "product": "all", "stage": "all",
                 **{c: sum((r[c] for r in rows), Decimal(0)) for c in ("opening", *MOVEMENT_LINES, "closing")}})
    return pl.DataFrame(rows, schema={"month": pl.Date, "product": pl.String, "stage": pl.String,
                                      **{c: ALLOWANCE for c in ("opening", *MOVEMENT_LINES, "closing")}})


def ecl_migration_frame() -> pl.DataFrame:
    moves = {("1", "1"): 440, ("1", "2"): 8, ("1", "derecognised"): 12, ("2", "1"): 3, ("2", "2"): 25,
             ("2", "3"): 4, ("2", "derecognised"): 1, ("3", "3"): 10, ("3", "written_off"): 3,
             ("new", "1"): 10, ("new", "2"): 2}
    rows = [{"month": OCT, "product": "all", "from_stage": f, "to_stage": t, "accounts": moves.get((f, t), 0),
             "previous_balance": Decimal(1_000 * moves.get((f, t), 0)) if f != "new" else Decimal(0),
             "current_balance": Decimal(1_000 * moves.get((f, t), 0)) if t in ("1", "2", "3") else Decimal(0)}
            for f in ("1", "2", "3", "new") for t in ("1", "2", "3", "derecognised", "written_off", "missing")]
    return pl.DataFrame(rows, schema={"month": pl.Date, "product": pl.String, "from_stage": pl.String,
                                      "to_stage": pl.String, "accounts": pl.Int64, "previous_balance": MONEY,
                                      "current_balance": MONEY})


def pd_term_frame(horizon: int = 36) -> pl.DataFrame:
    """Cumulative PD 1 − (1 − hazard)^h per bucket, scaled per product; two cells borrowed or assumed."""
    rows = []
    for product, risk in PD_PRODUCT_RISK.items():
        for bucket, hazard in PD_HAZARD.items():
            previous = 0.0
            for h in range(1, horizon + 1):
                cumulative = 1 - (1 - min(hazard * risk, 1.0)) ** h
                rows.append({"month": OCT, "product": product, "bucket": bucket, "horizon": h,
                             "cumulative_pd": cumulative, "marginal_pd": cumulative - previous,
                             "row_source": PD_BORROWED.get((product, bucket), "product"), "row_accounts": 40})
                previous = cumulative
    return pl.DataFrame(rows, schema={"month": pl.Date, "product": pl.String, "bucket": pl.String,
                                      "horizon": pl.Int32, "cumulative_pd": pl.Float64, "marginal_pd": pl.Float64,
                                      "row_source": pl.String, "row_accounts": pl.Int64})


def expected_loss_input(available: bool = True, mode: str = "ifrs9") -> ExpectedLossInput:
    """October's ECL marts, made by hand (see the constants above); `available=False` gives the
    first-month shape: empty marts but the scenario set, as the pipeline writes it."""
    trend = pl.concat([_ecl_frame([r for r in _ecl_summary_rows(m, scale) if r["product"] == "all"], SUMMARY_SCHEMA)
                       for m, scale in ((AUG, 0.88), (SEP, 0.9128))] + [ecl_summary_frame()])
    scenarios = pl.DataFrame([{"month": OCT, "product": "all", "scenario": name, "weight": weight,
                               "pd_multiplier": multiplier, "ecl": float(ecl)}
                              for name, weight, multiplier, ecl in ECL_SCENARIOS],
                             schema={"month": pl.Date, "product": pl.String, "scenario": pl.String,
                                     "weight": pl.Float64, "pd_multiplier": pl.Float64, "ecl": pl.Float64})
    lgd = pl.DataFrame([("revolving", 0.82, "empirical", 45, Decimal("120000.00"), 21_600.0),
                        ("installment", 0.85, "fallback", 12, Decimal("30000.00"), 6_100.0),
                        ("cash_loan", 0.85, "fallback", 5, Decimal("9000.00"), 1_000.0),
                        ("all", 0.83, "empirical", 62, Decimal("159000.00"), 28_700.0)], orient="row",
                       schema={"product": pl.String, "lgd": pl.Float64, "source": pl.String,
                               "accounts_used": pl.Int64, "charged_off_amount": MONEY,
                               "discounted_recoveries": pl.Float64}).with_columns(month=pl.lit(OCT))
    checks = pl.DataFrame([{"month": OCT, "check_name": name, "severity": severity, "passed": passed,
                            "failures": failures, "detail": ""} for name, severity, passed, failures in ECL_CHECKS],
                          schema={"month": pl.Date, "check_name": pl.String, "severity": pl.String,
                                  "passed": pl.Boolean, "failures": pl.Int64, "detail": pl.String})
    data = ExpectedLossInput(available=True, summary=ecl_summary_frame(), summary_trend=trend, scenarios=scenarios,
                             pd_term_structure=pd_term_frame(), lgd=lgd, stage_migration=ecl_migration_frame(),
                             movement=ecl_movement_frame(), checks=checks, mode=mode)
    if available:
        return data
    return replace(data, available=False, summary=data.summary.clear(), summary_trend=data.summary_trend.clear(),
                   pd_term_structure=data.pd_term_structure.clear(), stage_migration=data.stage_migration.clear(),
                   movement=data.movement.clear(), checks=data.checks.clear())


@pytest.fixture
def pack_input() -> ManagementPackInput:
    return sample_input()


@pytest.fixture
def vintage_input() -> ManagementPackInput:
    return sample_input(vintage=True)


@pytest.fixture
def make_input():
    """The sample with some fields replaced: make_input(portfolio_name="…")."""
    return lambda **changes: replace(sample_input(), **changes)


def render_in_another_process(output_dir, vintage: bool, hash_seed: str):
    """The sample pack rendered by a fresh interpreter: hash seeds and font caches differ there."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = ("import sys; from pathlib import Path; from tests.reports.conftest import sample_input; "
              "from reports.management import render_management_pack; "
              f"render_management_pack(sample_input(vintage={vintage}), Path(sys.argv[1]), locale='en')")
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", script, str(output_dir)], check=True, cwd=root,
                   env={**os.environ, "PYTHONHASHSEED": hash_seed})
    return output_dir / "2026-10"


# --- overdue cost and recovery curve (management pack, methodology §7) ------------------------------

# per bucket (BUCKETS order): penalty interest posted this month as a share of the bucket's balance,
# late fees per account, unpaid fees as a share of the balance (the snowball grows with DPD), and the
# shares of the bucket's accounts with fees > 10 % of principal, frozen this month, cured this month
OVERDUE_PENALTY_RATE = [0.0, 0.006, 0.011, 0.013, 0.014, 0.015, 0.015, 0.015]
OVERDUE_LATE_FEE = [0, 40, 60, 60, 60, 60, 60, 60]
OVERDUE_FEE_SHARE = [0.0005, 0.008, 0.02, 0.035, 0.05, 0.065, 0.08, 0.1]
OVERDUE_OVER_10PCT = [0.0, 0.0, 0.01, 0.04, 0.1, 0.2, 0.3, 0.45]
OVERDUE_FREEZES = [0.0, 0.0, 0.01, 0.04, 0.25, 0.08, 0.04, 0.02]
OVERDUE_CURES = [0.0, 0.45, 0.22, 0.12, 0.06, 0.03, 0.02, 0.01]
RECOVERY_COHORTS = 13  # charge-off months 2025-10 … 2026-10


def _cents(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))


def overdue_cost_frame(scale: int = 1) -> pl.DataFrame:
    """mart.overdue_cost of October: per product and bucket from the October bucket balances (× scale),
    `all` the sum of the products (fee share recomputed from the sums)."""
    rows = []
    for product, balances in BALANCES[OCT].items():
        for order, (bucket, balance) in enumerate(zip(BUCKETS, balances)):
            balance = balance * scale
            accounts = accounts_for(balance)
            fee_balance = _cents(balance * OVERDUE_FEE_SHARE[order])
            rows.append({"month": OCT, "product": product, "bucket": bucket, "bucket_order": order,
                         "accounts": accounts, "total_balance": Decimal(balance).quantize(Decimal("0.01")),
                         "penalty_interest": _cents(balance * OVERDUE_PENALTY_RATE[order]),
                         "late_fees": _cents(accounts * OVERDUE_LATE_FEE[order]),
                         "fee_balance": fee_balance, "fee_share": float(fee_balance) / balance,
                         "fees_over_10pct_principal": round(accounts * OVERDUE_OVER_10PCT[order]),
                         "freezes": round(accounts * OVERDUE_FREEZES[order]),
                         "cures": round(accounts * OVERDUE_CURES[order])})
    summed = ("accounts", "total_balance", "penalty_interest", "late_fees", "fee_balance",
              "fees_over_10pct_principal", "freezes", "cures")
    for order, bucket in enumerate(BUCKETS):
        parts = [r for r in rows if r["bucket"] == bucket]
        total = {k: sum(r[k] for r in parts) for k in summed}
        rows.append({"month": OCT, "product": "all", "bucket": bucket, "bucket_order": order, **total,
                     "fee_share": float(total["fee_balance"] / total["total_balance"])})
    return pl.DataFrame(rows, schema={
        "month": pl.Date, "product": pl.String, "bucket": pl.String, "bucket_order": pl.Int32,
        "accounts": pl.Int64, "total_balance": MONEY, "penalty_interest": MONEY, "late_fees": MONEY,
        "fee_balance": MONEY, "fee_share": pl.Float64, "fees_over_10pct_principal": pl.Int64,
        "freezes": pl.Int64, "cures": pl.Int64})


def recovery_rate_at(months_since: int, cohort_factor: float) -> float:
    """The hand formula of the sample's recovery curve: 35 % in the long run, half of it in ~3.5 months."""
    return 0.35 * cohort_factor * (1 - math.exp(-(months_since + 0.5) / 5))


def recovery_curve_frame(scale: int = 1) -> pl.DataFrame:
    """mart.recovery_curve of October: 13 charge-off cohorts (2025-10 … 2026-10), each observed from
    0 months since charge-off up to October; products and `all` (their sum)."""
    shares = {"revolving": 0.5, "installment": 0.33, "cash_loan": 0.17}
    rows = []
    for i in range(RECOVERY_COHORTS):
        cohort = add_months(OCT, i - RECOVERY_COHORTS + 1)
        factor = 1.0 - 0.012 * i  # later cohorts recover a little less
        amount = 5_000 + 120 * i
        for k in range(RECOVERY_COHORTS - i):
            parts = []
            for product, share in shares.items():
                charged = _cents(amount * scale * share)
                recovered = _cents(float(charged) * recovery_rate_at(k, factor * (1.1 if product == "installment"
                                                                                  else 1.0)))
                accounts = max(1, round(amount * scale * share / 4_000))
                parts.append((product, accounts, charged, recovered))
            parts.append(("all", sum(p[1] for p in parts), sum(p[2] for p in parts), sum(p[3] for p in parts)))
            for product, accounts, charged, recovered in parts:
                rows.append({"month": OCT, "product": product, "charge_off_month": cohort, "months_since": k,
                             "accounts": accounts, "charged_off_amount": charged, "cumulative_recoveries": recovered,
                             "recovery_rate": float(recovered / charged)})
    return pl.DataFrame(rows, schema={
        "month": pl.Date, "product": pl.String, "charge_off_month": pl.Date, "months_since": pl.Int32,
        "accounts": pl.Int64, "charged_off_amount": MONEY, "cumulative_recoveries": MONEY,
        "recovery_rate": pl.Float64})


def overdue_input(scale: int = 1):
    from reports.overdue_section import OverdueInput

    return OverdueInput(overdue_cost=overdue_cost_frame(scale), recovery_curve=recovery_curve_frame(scale))


# --- the regulatory pack (methodology §6): one October at realistic magnitudes (~10^8 CNY) -----------

REG_MONTH = OCT
REG_PRODUCTS = ("revolving", "installment", "cash_loan")
REG_CATEGORIES = ("pass", "special_mention", "substandard", "doubtful", "loss")
# (accounts, balance, allowance) per product and category (cn_2023). With the minimums 150 % and
# 2.5 %: revolving breaches provision coverage only, installment both, cash_loan neither; all
# products breach provision coverage (~133 %) and meet the loan provision ratio (~3.5 %).
REG_CELLS = {
    "revolving": [(118_000, "412345678.90", 4_123_456.79), (4_100, "18765432.10", 2_814_814.82),
                  (1_250, "6543210.98", 3_925_926.59), (610, "3210987.65", 2_568_790.12),
                  (700, "3456789.01", 3_283_949.56)],
    "installment": [(61_000, "298765432.10", 2_390_123.46), (1_900, "9876543.21", 1_234_567.90),
                    (520, "2987654.32", 1_792_592.59), (260, "1456789.01", 1_165_431.21),
                    (180, "1098765.43", 1_043_827.16)],
    "cash_loan": [(45_000, "139876543.21", 2_800_000.00), (2_300, "7654321.09", 1_530_864.22),
                  (900, "3210987.65", 2_247_691.36), (400, "1654321.09", 1_406_172.93),
                  (350, "1234567.89", 1_185_185.17)],
}
REG_MINIMUMS = (1.5, 0.025)
# past due 30–89 (accounts, balance), 90+ accruing, nonaccrual, gross charge-offs, recoveries
REG_PAST_DUE = {
    "revolving": ((2_050, "9876543.21"), (1_480, "7654321.00"), (0, "0.00"), "3456789.01", "543210.98"),
    "installment": ((980, "4567890.12"), (0, "0.00"), (600, "3456789.01"), "1234567.89", "123456.78"),
    "cash_loan": ((1_100, "3987654.32"), (0, "0.00"), (1_050, "4321098.76"), "987654.32", "98765.43"),
}
REG_LOADS = [("accounts_2026-10-31.csv", "accounts", 248_350, 0, 41_233_870),
             ("account_months_2026-10-31.csv", "account_months", 237_470, 0, 35_912_004),
             ("postings_2026-10-31.csv", "postings", 3_912_554, 17, 402_118_736)]


def _money(text: str) -> Decimal:
    return Decimal(text)


def classification_frame(with_allowance: bool = True) -> pl.DataFrame:
    rows = []
    totals = {c: [0, Decimal(0), 0.0] for c in REG_CATEGORIES}
    for product, cells in REG_CELLS.items():
        for order, (category, (accounts, balance, allowance)) in enumerate(zip(REG_CATEGORIES, cells), start=1):
            rows.append({"month": REG_MONTH, "regime": "cn_2023", "product": product, "category": category,
                         "category_order": order, "accounts": accounts, "balance": _money(balance),
                         "allowance": allowance if with_allowance else None})
            totals[category][0] += accounts
            totals[category][1] += _money(balance)
            totals[category][2] += allowance
    for order, category in enumerate(REG_CATEGORIES, start=1):
        accounts, balance, allowance = totals[category]
        rows.append({"month": REG_MONTH, "regime": "cn_2023", "product": "all", "category": category,
                     "category_order": order, "accounts": accounts, "balance": balance,
                     "allowance": allowance if with_allowance else None})
    return pl.DataFrame(rows, schema={"month": pl.Date, "regime": pl.String, "product": pl.String,
                                      "category": pl.String, "category_order": pl.Int32, "accounts": pl.Int64,
                                      "balance": MONEY, "allowance": pl.Float64})


def ratios_frame(classification: pl.DataFrame, minimums: tuple[float, float] = REG_MINIMUMS) -> pl.DataFrame:
    """mart.regulatory_ratios from the classification by the methodology's formulas."""
    rows = []
    for product in (*REG_PRODUCTS, "all"):
        cells = classification.filter(pl.col("product") == product).to_dicts()
        on_book = sum((c["balance"] for c in cells), Decimal(0))
        npl = sum((c["balance"] for c in cells if c["category"] in ("substandard", "doubtful", "loss")), Decimal(0))
        allowance = None if any(c["allowance"] is None for c in cells) else math.fsum(c["allowance"] for c in cells)
        coverage = None if allowance is None or not npl else allowance / float(npl)
        provision = None if allowance is None else allowance / float(on_book)
        rows.append({"month": REG_MONTH, "regime": "cn_2023", "product": product, "on_book_balance": on_book,
                     "npl_balance": npl, "npl_ratio": float(npl / on_book), "allowance": allowance,
                     "provision_coverage": coverage, "provision_coverage_min": minimums[0],
                     "provision_coverage_breach": None if coverage is None else coverage < minimums[0],
                     "loan_provision_ratio": provision, "loan_provision_ratio_min": minimums[1],
                     "loan_provision_ratio_breach": None if provision is None else provision < minimums[1]})
    return pl.DataFrame(rows, schema={
        "month": pl.Date, "regime": pl.String, "product": pl.String, "on_book_balance": MONEY, "npl_balance": MONEY,
        "npl_ratio": pl.Float64, "allowance": pl.Float64, "provision_coverage": pl.Float64,
        "provision_coverage_min": pl.Float64, "provision_coverage_breach": pl.Boolean,
        "loan_provision_ratio": pl.Float64, "loan_provision_ratio_min": pl.Float64,
        "loan_provision_ratio_breach": pl.Boolean})


def us_past_due_frame() -> pl.DataFrame:
    rows = []
    for product, ((a1, b1), (a2, b2), (a3, b3), gross, recoveries) in REG_PAST_DUE.items():
        rows.append({"month": REG_MONTH, "product": product, "past_due_30_89_accounts": a1,
                     "past_due_30_89_balance": _money(b1), "past_due_90_accruing_accounts": a2,
                     "past_due_90_accruing_balance": _money(b2), "nonaccrual_accounts": a3,
                     "nonaccrual_balance": _money(b3), "gross_charge_offs": _money(gross),
                     "recoveries": _money(recoveries), "net_charge_offs": _money(gross) - _money(recoveries)})
    summed = [k for k in rows[0] if k not in ("month", "product")]
    rows.append({"month": REG_MONTH, "product": "all", **{k: sum(r[k] for r in rows) for k in summed}})
    return pl.DataFrame(rows, schema={"month": pl.Date, "product": pl.String,
                                      **{k: (pl.Int64 if k.endswith("accounts") else MONEY) for k in summed}})


def regulatory_charge_offs_frame() -> pl.DataFrame:
    """mart.delinquency's charge-off columns, 13 months to October (October's are us_past_due's)."""
    rows = []
    receivable = {"revolving": 4.4e8, "installment": 3.1e8, "cash_loan": 1.5e8}
    for i in range(13):
        month = add_months(REG_MONTH, i - 12)
        factor = 0.78 + 0.02 * i + 0.03 * math.sin(i)
        parts = []
        for product, (_, _, _, gross, recoveries) in REG_PAST_DUE.items():
            g = _money(gross) if i == 12 else _cents(float(_money(gross)) * factor)
            r = _money(recoveries) if i == 12 else _cents(float(_money(recoveries)) * (0.7 + 0.025 * i))
            parts.append((product, g, r, receivable[product] * (0.9 + 0.01 * i)))
        parts.append(("all", sum(p[1] for p in parts), sum(p[2] for p in parts), sum(p[3] for p in parts)))
        for product, g, r, book in parts:
            rows.append({"month": month, "product": product, "gross_charge_offs": g, "recoveries": r,
                         "net_charge_offs": g - r, "nco_rate": float(g - r) * 12 / book})
    return pl.DataFrame(rows, schema={"month": pl.Date, "product": pl.String, "gross_charge_offs": MONEY,
                                      "recoveries": MONEY, "net_charge_offs": MONEY, "nco_rate": pl.Float64})


def regulatory_ecl_frame() -> pl.DataFrame:
    """mart.ecl_summary consistent with the classification: stage 1 = pass, 2 = special mention, 3 = NPL."""
    stage_of = {"pass": "1", "special_mention": "2", "substandard": "3", "doubtful": "3", "loss": "3"}
    cells: dict[tuple[str, str], list] = {}
    for product, values in REG_CELLS.items():
        for category, (accounts, balance, allowance) in zip(REG_CATEGORIES, values):
            for key in ((product, stage_of[category]), (product, "all"), ("all", stage_of[category]), ("all", "all")):
                cell = cells.setdefault(key, [0, Decimal(0), 0.0, 0.0])
                cell[0] += accounts
                cell[1] += _money(balance)
                cell[2] += float(_money(balance)) * (1.08 if product == "revolving" else 1.0)
                cell[3] += allowance
    rows = [{"month": REG_MONTH, "product": p, "stage": s, "accounts": a, "balance": b, "ead": ead, "ecl": ecl,
             "coverage": ecl / float(b)} for (p, s), (a, b, ead, ecl) in cells.items()]
    return pl.DataFrame(rows, schema=SUMMARY_SCHEMA)


def regulatory_movement_frame(ecl: pl.DataFrame) -> pl.DataFrame:
    """All products per stage: hand-chosen lines (transfers in and out cancel over the stages), the
    opening making each stage tie to its closing ECL."""
    lines = {  # new, derecognised, written off, missing, transfers in, transfers out, remeasurement
        "1": ("812345.6789012345", "-234567.8901234567", "0", "0", "345678.9012345678", "-1234567.8901234567",
              "456789.0123456789"),
        "2": ("123456.7890123456", "-45678.9012345678", "0", "0", "1098765.4321098765", "-876543.2109876543",
              "234567.8901234567"),
        "3": ("0", "0", "-5432109.8765432109", "0", "1012345.6690012345", "-345678.9012345678",
              "3456789.0123456789"),
    }
    rows = []
    for stage, values in lines.items():
        closing = Decimal(repr(ecl.filter((pl.col("product") == "all") & (pl.col("stage") == stage))["ecl"][0]))
        moves = [Decimal(v) for v in values]
        rows.append({"month": REG_MONTH, "product": "all", "stage": stage, "opening": closing - sum(moves),
                     **dict(zip(MOVEMENT_LINES, moves)), "closing": closing})
    rows.append({"month": REG_MONTH, "product": "all", "stage": "all",
                 **{c: sum((r[c] for r in rows), Decimal(0)) for c in ("opening", *MOVEMENT_LINES, "closing")}})
    return pl.DataFrame(rows, schema={"month": pl.Date, "product": pl.String, "stage": pl.String,
                                      **{c: ALLOWANCE for c in ("opening", *MOVEMENT_LINES, "closing")}})


def regulatory_loads_frame() -> pl.DataFrame:
    import hashlib

    return pl.DataFrame([
        {"month": REG_MONTH, "as_of_date": date(2026, 10, 31), "extract": "2026-10-31", "file_name": name,
         "table_name": table, "file_format": "csv", "encoding": "utf-8",
         "sha256": hashlib.sha256(name.encode()).hexdigest(), "bytes": size, "manifest_rows": rows,
         "rows_in_file": rows, "rows_loaded": rows - bad, "rows_quarantined": bad, "run_id": "run-20261101-0200",
         "loaded_at": None}
        for name, table, rows, bad, size in REG_LOADS])


def regulatory_input(ecl: bool = True):
    """October 2026 of a ~CNY 910 million book under cn_2023; `ecl=False` is the first month (no ECL yet)."""
    from reports.regulatory import RegulatoryPackInput

    classification = classification_frame(with_allowance=ecl)
    summary = regulatory_ecl_frame()
    return RegulatoryPackInput(
        month=REG_MONTH,
        portfolio_name="Demo consumer-credit portfolio",
        currency="CNY",
        regime="cn_2023",
        regime_title="金融资产风险分类办法 (2023)",
        classification=classification,
        ratios=ratios_frame(classification),
        us_past_due=us_past_due_frame(),
        past_charge_off_point=pl.DataFrame(
            {"product": ["revolving", "installment", "cash_loan"], "policy_dpd": [180, 120, 120],
             "accounts": [37, 12, 0], "balance": [Decimal("286543.21"), Decimal("98765.43"), Decimal("0.00")]},
            schema={"product": pl.String, "policy_dpd": pl.Int32, "accounts": pl.Int64, "balance": MONEY}),
        charge_offs=regulatory_charge_offs_frame(),
        ecl_summary=summary if ecl else summary.clear(),
        movement=regulatory_movement_frame(summary) if ecl else regulatory_movement_frame(summary).clear(),
        loads=regulatory_loads_frame(),
        parameters={"classification regime": "cn_2023", "provision coverage minimum": "150.00%",
                    "loan provision ratio minimum": "2.50%", "charge-off policy (DPD)": "revolving 180, closed-end 120",
                    "ECL measurement": "ifrs9", "bucket edges (DPD)": "0, 1, 30, 60, 90, 120, 150, 180",
                    "currency": "CNY"},
        parameters_note=phrase("param.note.computed", file="riskpack.toml", digest=CONFIG_DIGEST),
        lineage={"extract as_of_date": "2026-10-31", "files loaded": "3", "load run id": "run-20261101-0200",
                 "code version": "riskpack 0.1.0"},
    )


# --- early warning (management pack): October 2026 of a ~30,000-account book -------------------------

EW_PRODUCTS = ("revolving", "installment", "cash_loan")
# accounts and exposure (Σ balance) per product and band A…E of the scored book (accounts below 30 DPD);
# the watchlist (bands D and E) holds 500 accounts and CNY 3,541,000.00 of CNY 168,241,000.00
EW_BOOK = {
    "revolving": [(9_000, "40000000.00"), (6_200, "31000000.00"), (2_400, "14500000.00"), (210, "1650123.45"),
                  (90, "780456.78")],
    "installment": [(5_500, "28000000.00"), (2_300, "13800000.00"), (800, "5200000.00"), (60, "330210.10"),
                    (20, "110090.90")],
    "cash_loan": [(2_100, "15000000.00"), (900, "9200000.00"), (300, "8000000.00"), (90, "520300.00"),
                  (30, "149818.77")],
}
EW_WATCHLIST = (500, Decimal("3541000.00"))
EW_BOOK_TOTAL = (30_000, Decimal("168241000.00"))
# signal: (watchlist accounts with it, share of the rest); the watchlist is 500 accounts. Over-represented
# most: high_utilisation (48 % against 5.2 %), then min_payments (38 % against 3.1 %)
EW_SIGNALS = {"high_utilisation": (240, 0.052), "utilisation_jump": (85, 0.011), "min_payments": (190, 0.031),
              "recent_cure": (120, 0.018), "fees_growing": (0, 0.0), "recent_freeze": (45, 0.002),
              "cohort_early_default": (60, 0.04)}
EW_COEFFICIENTS = {"high_utilisation": 0.85, "utilisation_jump": 0.62, "min_payments": 1.10, "recent_cure": 0.95,
                   "fees_growing": 0.0, "recent_freeze": 1.30, "cohort_early_default": 0.70, "delinquent_now": 1.80,
                   "months_delinquent_6m": 0.35, "was_30_plus_6m": 1.20, "intercept": -4.60}
# per product: accounts and exposure per action (call_now, offer_instalments, reduce_line, review_cohort, monitor);
# each product's sums are its watchlist (bands D and E) of EW_BOOK
EW_ACTIONS = {
    "revolving": [(70, "560000.00"), (110, "905000.00"), (80, "690580.23"), (0, "0.00"), (40, "275000.00")],
    "installment": [(25, "140000.00"), (0, "0.00"), (0, "0.00"), (30, "170301.00"), (25, "130000.00")],
    "cash_loan": [(35, "190000.00"), (0, "0.00"), (0, "0.00"), (45, "260118.77"), (40, "220000.00")],
}
EW_ACTION_NAMES = ("call_now", "offer_instalments", "reduce_line", "review_cohort", "monitor")
# the back-test Gini of the 13 reporting months 2025-10 … 2026-10 (scores of 2025-07 … 2026-07); 2026-04 below 0.3
EW_GINI = [0.41, 0.43, 0.45, 0.39, 0.36, 0.33, 0.28, 0.31, 0.35, 0.38, 0.42, 0.44, 0.46]
EW_FLOOR = 0.3
# the latest back-test by band: (accounts, bads, mean score); 29,400 accounts, 588 bads (2.00 %); the watchlist
# (D, E) 470 accounts with 103 bads (21.91 %), the rest 28,930 with 485 (1.68 %)
EW_BANDS = {"A": (16_500, 99, 0.010), "B": (9_300, 186, 0.031), "C": (3_130, 200, 0.066), "D": (330, 58, 0.135),
            "E": (140, 45, 0.270)}
EW_MODEL_ID = "3f9c2a71d04e8b65"


def _ew_by_band() -> pl.DataFrame:
    rows = []
    for product, cells in EW_BOOK.items():
        for band, (accounts, exposure) in zip("ABCDE", cells):
            rows.append({"product": product, "band": band, "accounts": accounts, "exposure": Decimal(exposure)})
    for band in "ABCDE":
        parts = [r for r in rows if r["band"] == band]
        rows.append({"product": "all", "band": band, "accounts": sum(r["accounts"] for r in parts),
                     "exposure": sum((r["exposure"] for r in parts), Decimal(0))})
    return pl.DataFrame(rows, schema={"product": pl.String, "band": pl.String, "accounts": pl.Int64,
                                      "exposure": pl.Decimal(38, 2)})


def _ew_backtest_row(i: int, gini: float) -> dict:
    """One reporting month's back-test: the latest (i = 12) is EW_BANDS summed; earlier months vary smoothly."""
    month = add_months(OCT, i - 12)
    if i == 12:
        accounts, bads = (sum(v[0] for v in EW_BANDS.values()), sum(v[1] for v in EW_BANDS.values()))
        watch = (EW_BANDS["D"][0] + EW_BANDS["E"][0], EW_BANDS["D"][1] + EW_BANDS["E"][1])
        mean_score = sum(a * s for a, _, s in EW_BANDS.values()) / accounts
    else:
        accounts = 28_200 + 100 * i
        bads = round(accounts * (0.019 + 0.004 * math.sin(i)))
        watch = (430 + 4 * i, round((430 + 4 * i) * (0.12 + 0.25 * gini)))
        mean_score = 0.0195 + 0.001 * math.cos(i)
    rest = (accounts - watch[0], bads - watch[1])
    return {"month": month, "scored_month": add_months(month, -3), "accounts": accounts, "bads": bads,
            "bad_rate": bads / accounts, "mean_score": mean_score, "auc": (gini + 1) / 2, "gini": gini,
            "ks": round(gini * 0.78, 4), "watchlist_accounts": watch[0], "watchlist_bads": watch[1],
            "watchlist_hit_rate": watch[1] / watch[0], "rest_accounts": rest[0], "rest_bads": rest[1],
            "rest_bad_rate": rest[1] / rest[0], "watchlist_vs_rest": (watch[1] / watch[0]) / (rest[1] / rest[0]),
            "watchlist_capture_rate": watch[1] / bads, "gini_floor": EW_FLOOR, "gini_below_floor": gini < EW_FLOOR}


# the score bands a model stores (mart.early_warning_model's settings): cuts of bands B–E, watchlist D and worse
EW_SCORED_WITH = {"band_cut_b": 0.02, "band_cut_c": 0.05, "band_cut_d": 0.10, "band_cut_e": 0.20,
                  "watchlist_band_index": 3.0}


EW_BACKTEST_SCHEMA = {
    "month": pl.Date, "scored_month": pl.Date, "accounts": pl.Int64, "bads": pl.Int64, "bad_rate": pl.Float64,
    "mean_score": pl.Float64, "auc": pl.Float64, "gini": pl.Float64, "ks": pl.Float64,
    "watchlist_accounts": pl.Int64, "watchlist_bads": pl.Int64, "watchlist_hit_rate": pl.Float64,
    "rest_accounts": pl.Int64, "rest_bads": pl.Int64, "rest_bad_rate": pl.Float64,
    "watchlist_vs_rest": pl.Float64, "watchlist_capture_rate": pl.Float64, "gini_floor": pl.Float64,
    "gini_below_floor": pl.Boolean}


def ew_backtest_frame(ginis: list[float] = EW_GINI) -> pl.DataFrame:
    """mart.early_warning_backtest, the last len(ginis) reporting months up to October 2026."""
    offset = 13 - len(ginis)
    return pl.DataFrame([_ew_backtest_row(offset + i, g) for i, g in enumerate(ginis)], schema=EW_BACKTEST_SCHEMA)


def ew_bands_frame() -> pl.DataFrame:
    total_accounts = sum(v[0] for v in EW_BANDS.values())
    bad_rate = sum(v[1] for v in EW_BANDS.values()) / total_accounts
    return pl.DataFrame([{"month": OCT, "scored_month": add_months(OCT, -3), "band": band, "accounts": accounts,
                          "bads": bads, "bad_rate": bads / accounts, "lift": bads / accounts / bad_rate,
                          "mean_score": mean, "account_share": accounts / total_accounts, **EW_SCORED_WITH}
                         for band, (accounts, bads, mean) in EW_BANDS.items()],
                        schema={"month": pl.Date, "scored_month": pl.Date, "band": pl.String, "accounts": pl.Int64,
                                "bads": pl.Int64, "bad_rate": pl.Float64, "lift": pl.Float64,
                                "mean_score": pl.Float64, "account_share": pl.Float64,
                                **dict.fromkeys(EW_SCORED_WITH, pl.Float64)})


def early_warning_input(available: bool = True, backtest: bool = True):
    """October 2026's early-warning marts, made by hand (see the constants above). `available=False` is the
    shape of the first months (no model yet: empty frames, actions all zero); `backtest=False` a month with a
    model but no scored month whose outcome is known yet."""
    from reports.early_warning_section import EarlyWarningInput

    watchlist = EW_WATCHLIST[0]
    rest = EW_BOOK_TOTAL[0] - watchlist
    signals = pl.DataFrame([{"signal": s, "watchlist_accounts": n, "watchlist_share": n / watchlist,
                             "rest_share": round(share * rest) / rest} for s, (n, share) in EW_SIGNALS.items()],
                           schema={"signal": pl.String, "watchlist_accounts": pl.Int64,
                                   "watchlist_share": pl.Float64, "rest_share": pl.Float64})
    coefficients = pl.DataFrame({"name": list(EW_COEFFICIENTS), "value": list(EW_COEFFICIENTS.values())},
                                schema={"name": pl.String, "value": pl.Float64})
    model = pl.DataFrame([{"model_id": EW_MODEL_ID, "fit_first_month": date(2025, 8, 1),
                           "fit_last_month": date(2026, 7, 1), "fit_months": 12, "fit_accounts": 351_840,
                           "fit_bads": 7_037, "fit_bad_rate": 7_037 / 351_840, "sklearn_version": "1.5.2",
                           **EW_SCORED_WITH}],
                         schema={"model_id": pl.String, "fit_first_month": pl.Date, "fit_last_month": pl.Date,
                                 "fit_months": pl.Int32, "fit_accounts": pl.Int64, "fit_bads": pl.Int64,
                                 "fit_bad_rate": pl.Float64, "sklearn_version": pl.String,
                                 **dict.fromkeys(EW_SCORED_WITH, pl.Float64)})
    action_rows = []
    for product in sorted(EW_ACTIONS) + ["all"]:
        for order, action in enumerate(EW_ACTION_NAMES, start=1):
            cells = [EW_ACTIONS[p][order - 1] for p in (EW_ACTIONS if product == "all" else [product])]
            action_rows.append({"product": product, "action": action, "action_order": order,
                                "accounts": sum(c[0] for c in cells) if available else 0,
                                "exposure": sum((Decimal(c[1]) for c in cells), Decimal(0)) if available
                                else Decimal("0.00")})
    actions = pl.DataFrame(action_rows, schema={"product": pl.String, "action": pl.String, "action_order": pl.Int32,
                                                "accounts": pl.Int64, "exposure": pl.Decimal(18, 2)})
    data = EarlyWarningInput(available=True, by_band=_ew_by_band(), signals=signals, coefficients=coefficients,
                             model=model, actions=actions, backtest=ew_backtest_frame(), bands=ew_bands_frame(),
                             gini_floor=EW_FLOOR, band_cuts=(0.02, 0.05, 0.10, 0.20), watchlist_band="D")
    if not backtest:
        data = replace(data, backtest=data.backtest.clear(), bands=data.bands.clear())
    if available:
        return data
    # as the pipeline reads the first months: no score, so no band, no signal shares, no model, no back-test
    return replace(data, available=False, by_band=data.by_band.clear(), signals=data.signals.clear(),
                   coefficients=data.coefficients.clear(), model=pl.DataFrame(), backtest=data.backtest.clear(),
                   bands=data.bands.clear())


# --- portfolio and concentration (management pack) ------------------------------------------------
# October 2026, product `all`, written out by hand so that the balances agree with BALANCES[OCT] (on-book
# balance 1,100,000, 30+ balance 34,100, 450 accounts as in the mart). (accounts, balance, 30+ balance):
CONC_PRODUCTS = {OCT: {"revolving": (200, 500_000, 20_000), "installment": (150, 400_000, 9_000),
                       "cash_loan": (100, 200_000, 5_100)},
                 SEP: {"revolving": (190, 480_000, 17_000), "installment": (145, 385_000, 9_500),
                       "cash_loan": (95, 185_000, 5_000)}}
CONC_GRADES = {"A": (180, 440_000, 2_200), "B": (130, 330_000, 6_600), "C": (80, 200_000, 8_000),
               "D": (40, 90_000, 9_000), "E": (20, 40_000, 8_300)}
# 13 coded regions (the last an unknown code) and accounts with no region; Guangdong largest (16.36 %)
CONC_REGIONS = {"440000": (72, 180_000, 6_000), "320000": (60, 150_000, 4_650), "330000": (52, 130_000, 4_030),
                "310000": (44, 110_000, 3_410), "110000": (40, 100_000, 2_680), "370000": (36, 90_000, 2_790),
                "510000": (32, 80_000, 2_480), "420000": (24, 60_000, 1_860), "410000": (22, 55_000, 1_705),
                "350000": (20, 50_000, 1_550), "430000": (16, 40_000, 1_240), "500000": (12, 30_000, 930),
                "999999": (6, 15_000, 465), "(none)": (14, 10_000, 310)}
CONC_SCHEMA = {"month": pl.Date, "product": pl.String, "dimension": pl.String, "segment": pl.String,
               "accounts": pl.Int64, "balance": MONEY, "balance_share": pl.Float64, "dq30_balance": MONEY,
               "dq30_rate": pl.Float64}


def _conc_rows(month: date, product: str, dimension: str, cells: dict, book: float) -> list[dict]:
    return [{"month": month, "product": product, "dimension": dimension, "segment": segment, "accounts": accounts,
             "balance": Decimal(balance), "balance_share": balance / book, "dq30_balance": Decimal(dq30),
             "dq30_rate": dq30 / balance if balance else None}
            for segment, (accounts, balance, dq30) in cells.items()]


def concentration_frame() -> pl.DataFrame:
    """The hand-made mart.concentration of October and September 2026. September carries only one region and
    one grade and `revolving` only one region, so a filter on the wrong month or product shows at once."""
    rows = []
    for month, cells in CONC_PRODUCTS.items():
        book = sum(c[1] for c in cells.values())
        rows += _conc_rows(month, "all", "product", cells, book)
    rows += _conc_rows(OCT, "all", "risk_grade", CONC_GRADES, 1_100_000)
    rows += _conc_rows(OCT, "all", "region", CONC_REGIONS, 1_100_000)
    rows += _conc_rows(SEP, "all", "region", {"320000": (430, 1_050_000, 31_500)}, 1_050_000)
    rows += _conc_rows(SEP, "all", "risk_grade", {"B": (430, 1_050_000, 31_500)}, 1_050_000)
    rows += _conc_rows(OCT, "revolving", "product", {"revolving": CONC_PRODUCTS[OCT]["revolving"]}, 500_000)
    rows += _conc_rows(OCT, "revolving", "region", {"110000": (200, 500_000, 20_000)}, 500_000)
    return pl.DataFrame(rows, schema=CONC_SCHEMA)


# A realistic month for the PDF: ~31,000 accounts and CNY 168 million over the 31 mainland provinces.
REAL_PROVINCE_WEIGHTS = {
    "440000": 14.0, "320000": 9.5, "330000": 8.6, "370000": 6.8, "410000": 6.1, "510000": 5.6, "310000": 5.2,
    "110000": 4.9, "420000": 4.3, "430000": 4.0, "350000": 3.6, "340000": 3.4, "130000": 3.2, "500000": 2.8,
    "610000": 2.5, "360000": 2.3, "210000": 2.1, "530000": 1.9, "450000": 1.8, "520000": 1.6, "140000": 1.4,
    "120000": 1.3, "230000": 1.1, "220000": 0.9, "150000": 0.9, "620000": 0.7, "460000": 0.6, "650000": 0.6,
    "640000": 0.3, "630000": 0.2, "540000": 0.1}
REAL_GRADES = {"A": (0.38, 0.006), "B": (0.30, 0.018), "C": (0.18, 0.041), "D": (0.09, 0.095), "E": (0.05, 0.21)}
REAL_PRODUCTS = {"revolving": (0.47, 0.036), "installment": (0.34, 0.024), "cash_loan": (0.19, 0.041)}


def _fitted(cells: dict[str, tuple[float, float, float]], accounts: int, balance: Decimal,
            dq30: Decimal | None) -> dict[str, tuple[int, Decimal, Decimal]]:
    """Weighted cells (account weight, balance weight, raw 30+ rate) rounded so that every dimension adds up to
    the same accounts, balance and (when given) 30+ balance: the last cell takes the rounding remainder."""
    a_sum, b_sum = sum(c[0] for c in cells.values()), sum(c[1] for c in cells.values())
    rows = {k: [round(accounts * a / a_sum), (balance * Decimal(str(b / b_sum))).quantize(Decimal("0.01")), r]
            for k, (a, b, r) in cells.items()}
    raw = {k: v[1] * Decimal(str(v[2])) for k, v in rows.items()}
    factor = Decimal(1) if dq30 is None else dq30 / sum(raw.values())
    for k, v in rows.items():
        v[2] = (raw[k] * factor).quantize(Decimal("0.01"))
    last = list(rows)[-1]
    rows[last][0] += accounts - sum(v[0] for v in rows.values())
    rows[last][1] += balance - sum(v[1] for v in rows.values())
    if dq30 is not None:
        rows[last][2] += dq30 - sum(v[2] for v in rows.values())
    return {k: tuple(v) for k, v in rows.items()}


def realistic_concentration_frame(month: date = OCT, book: int = 168_241_000, accounts: int = 31_180) -> pl.DataFrame:
    rows = []
    for m, scale, shift in ((add_months(month, -1), 0.985, {"revolving": -0.004, "cash_loan": 0.004}),
                            (month, 1.0, {})):
        total, count = Decimal(book) * Decimal(str(scale)), round(accounts * scale)
        grade_cells = _fitted({g: (s, s, r) for g, (s, r) in REAL_GRADES.items()}, count, total, None)
        dq30 = sum(c[2] for c in grade_cells.values())
        product_cells = _fitted({p: (s + shift.get(p, 0.0), s + shift.get(p, 0.0), r)
                                 for p, (s, r) in REAL_PRODUCTS.items()}, count, total, dq30)
        regions = {code: (w, w, 0.025 + 0.001 * (i % 7)) for i, (code, w) in enumerate(REAL_PROVINCE_WEIGHTS.items())}
        region_cells = _fitted({"(none)": (0.4, 0.4, 0.05), **regions}, count, total, dq30)
        for dimension, cells in (("product", product_cells), ("risk_grade", grade_cells), ("region", region_cells)):
            rows += [{"month": m, "product": "all", "dimension": dimension, "segment": s, "accounts": a,
                      "balance": b, "balance_share": float(b / total), "dq30_balance": d, "dq30_rate": float(d / b)}
                     for s, (a, b, d) in cells.items()]
    return pl.DataFrame(rows, schema=CONC_SCHEMA)


def concentration_input(realistic: bool = False):
    from reports.concentration_section import ConcentrationInput

    return ConcentrationInput(realistic_concentration_frame() if realistic else concentration_frame())
