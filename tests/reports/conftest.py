"""A hand-made three-month sample (Aug–Oct 2026) of the frames the management pack reads.

Bucket balances per product are written out below; every other figure (receivable balance,
dq balances and rates, NCO rate, the `all` rows) is derived from them with the methodology's
formulas, so the tests can check the pack against numbers computed by hand:

    all products, October:   receivable 1,100,000.00, 30+ balance 34,100.00 → 3.10 %
    all products, September: receivable 1,050,000.00, 30+ balance 31,500.00 → 3.00 %
    all products, August:    receivable 1,000,000.00, 30+ balance 27,000.00 → 2.70 %
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from reports.management import ManagementPackInput

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


def sample_input() -> ManagementPackInput:
    return ManagementPackInput(
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
        lineage={"extract as_of_date": "2026-10-31", "files loaded": "3", "load run id": "run-0001",
                 "code version": "riskpack 0.1.0"},
    )


@pytest.fixture
def pack_input() -> ManagementPackInput:
    return sample_input()


@pytest.fixture
def make_input():
    """The sample with some fields replaced: make_input(portfolio_name="…")."""
    return lambda **changes: replace(sample_input(), **changes)
