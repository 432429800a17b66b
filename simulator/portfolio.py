"""The demo portfolio: a month-by-month, vectorised simulation of every account at once.

Balances only ever move through postings (integer cents), so each snapshot follows from the
previous one and the month's postings to the cent: the roll-forward identity holds by
construction, and anything the loader finds broken was put there on purpose by `faults`.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from tqdm import tqdm

from simulator import behaviour as B
from simulator.book import (
    ACTIVE,
    CHARGED_OFF,
    CLOSED,
    FROZEN,
    GONE,
    Book,
    open_accounts,
)
from simulator.extract import write_extract


@dataclass(frozen=True)
class SimulationParams:
    accounts: int = 50_000
    months: int = 36
    first_month: date = date(2023, 11, 1)
    seed: int = 20261129
    file_format: str = "csv"      # "csv" | "csv.gz" | "parquet"
    encoding: str = "utf-8"       # "utf-8" | "gbk" (csv only)
    charge_off_dpd: int = 180

    def __post_init__(self):
        if self.file_format not in ("csv", "csv.gz", "parquet"):
            raise ValueError(f"file_format: csv, csv.gz or parquet, got {self.file_format!r}")
        if self.encoding not in ("utf-8", "gbk"):
            raise ValueError(f"encoding: utf-8 or gbk, got {self.encoding!r}")
        if self.accounts <= 0 or self.months <= 0:
            raise ValueError("accounts and months must be positive")


def month_start(first: date, t: int) -> np.datetime64:
    return np.datetime64(f"{first.year:04d}-{first.month:02d}", "M").astype("datetime64[M]") + t


def day_of(month: np.datetime64, day: np.ndarray) -> np.ndarray:
    return month.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")


class Month:
    """The postings of one simulated month, applied to the book as they are made."""

    def __init__(self, book: Book, t: int, start: np.datetime64, rng: np.random.Generator):
        self.book, self.t, self.rng = book, t, rng
        self.first_day = start.astype("datetime64[D]")
        self.last_day = (start + 1).astype("datetime64[D]") - 1
        self.days = int((self.last_day - self.first_day).astype(int)) + 1
        self.parts: list[tuple[np.ndarray, np.ndarray, int, np.ndarray]] = []

    def post(self, idx: np.ndarray, day: np.ndarray, kind: str, amount: np.ndarray) -> None:
        """Records postings and moves the balances they move; zero amounts are not posted."""
        keep = amount > 0
        idx, amount = idx[keep], amount[keep]
        day = np.broadcast_to(day, keep.shape)[keep]
        b = self.book
        if kind == "disbursement":
            b.principal[idx] += amount
        elif kind == "interest":
            b.interest[idx] += amount
        elif kind in ("penalty_interest", "late_fee"):
            b.fee[idx] += amount
        elif kind == "repayment":
            to_fee = np.minimum(amount, np.maximum(b.fee[idx], 0))
            to_interest = np.minimum(amount - to_fee, np.maximum(b.interest[idx], 0))
            b.fee[idx] -= to_fee
            b.interest[idx] -= to_interest
            b.principal[idx] -= amount - to_fee - to_interest
        elif kind == "waiver":
            b.fee[idx] -= amount
        elif kind == "charge_off":
            b.principal[idx] = b.interest[idx] = b.fee[idx] = 0
        self.parts.append((idx, day, kind, amount))

    def random_day(self, n: int, earliest: np.ndarray | None = None) -> np.ndarray:
        low = np.zeros(n, dtype=np.int64) if earliest is None else (earliest - self.first_day).astype(np.int64)
        offset = low + (self.rng.random(n) * (self.days - low)).astype(np.int64)
        return self.first_day + offset.astype("timedelta64[D]")


def simulate_month(book: Book, params: SimulationParams, t: int) -> Month:
    rng = np.random.default_rng([params.seed, t])
    month = Month(book, t, month_start(params.first_month, t), rng)
    b, n = book, book.size
    miss_mult, roll_mult = B.stress(t)

    opening = b.open_month == t
    b.status[opening] = ACTIVE
    loans = b.term > 0
    new_loans = np.flatnonzero(opening & loans)
    month.post(new_loans, b.open_date[new_loans], "disbursement", b.original[new_loans])

    seasoned = np.isin(b.status, (ACTIVE, FROZEN)) & (b.open_month < t)
    due_day = day_of(month_start(params.first_month, t), b.due_day)

    # charge-off: the day DPD reaches the configured point; no other activity that month
    co_date = b.first_missed + np.timedelta64(params.charge_off_dpd, "D")
    total = b.principal + b.interest + b.fee
    charge = seasoned & (b.missed > 0) & (co_date <= month.last_day) & (total > 0)
    idx = np.flatnonzero(charge)
    b.charge_amount[idx] = total[idx]
    b.charge_dpd[idx] = params.charge_off_dpd
    month.post(idx, co_date[idx], "charge_off", b.charge_amount[idx])
    b.status[idx] = CHARGED_OFF
    b.charge_month[idx] = t
    active = seasoned & ~charge

    # loans: the instalment's interest or fee is posted on the due date, paid or not
    remaining_terms = b.term - b.instalments_done
    new_instalment = active & loans & (remaining_terms > 0)
    part = np.where(remaining_terms > 1, b.original // np.maximum(b.term, 1), 0)
    loan_interest = np.where(b.product == 1, b.original * B.INSTALLMENT_FEE_BP_MONTH // 10_000,
                             np.maximum(b.principal, 0) * b.apr_bp // 120_000)
    idx = np.flatnonzero(new_instalment)
    month.post(idx, due_day[idx], "interest", loan_interest[idx])
    total = b.principal + b.interest + b.fee
    statement = np.maximum(total, 0)
    min_due = np.minimum(statement, np.maximum(statement * B.MIN_PAYMENT_RATE_BP // 10_000, B.MIN_PAYMENT_FLOOR))
    loan_due = active & loans & (new_instalment | (b.arrears > 0))
    revolving_due = active & ~loans & ((statement > 0) | (b.arrears > 0))
    due = loan_due | revolving_due

    grade_risk = B.GRADE_RISK[b.grade]
    strained = _strain(b, active & ~loans, grade_risk * miss_mult, rng)
    roll = np.minimum(B.ROLL[np.minimum(b.missed, len(B.ROLL) - 1)] * roll_mult * (0.85 + 0.15 * grade_risk)
                      * np.where(strained, B.STRAIN_ROLL, 1.0), 0.98)
    base_miss = B.FIRST_MISS * grade_risk * miss_mult
    first_miss = np.where(loans, base_miss, np.where(b.strain_months >= 2, B.STRAIN_MISS, base_miss * B.CALM_MISS))
    p_miss = np.where(b.missed == 0, first_miss, roll)
    misses = due & (rng.random(n) < p_miss)
    pays = due & ~misses
    in_full = pays & ~loans & (b.missed == 0) & ~strained & (rng.random(n) < B.PAY_IN_FULL)
    min_only = rng.random(n) < np.where(strained, B.MIN_ONLY[1], B.MIN_ONLY[0])

    # a loan's last instalment (or a loan past its term) settles everything it owes
    last = remaining_terms <= 1
    instalment = np.where(loans, np.where(new_instalment, np.where(last, np.maximum(statement - b.arrears, 0),
                                                                   part + loan_interest), 0), min_due)
    payment = np.where(loans, np.where(last, statement, np.minimum(statement, b.arrears + part + loan_interest
                                                                   + np.maximum(b.fee, 0))),
                       np.where(in_full, statement, np.minimum(statement, min_due + b.arrears + np.where(
                           min_only, 0, (np.maximum(statement - min_due, 0) * rng.uniform(*B.PART_PAYMENT, n))
                           .astype(np.int64)))))
    overpay = in_full & (rng.random(n) < B.OVERPAY_CHANCE)
    payment = payment + np.where(overpay, rng.integers(1_000, 20_000, n), 0)
    idx = np.flatnonzero(pays)
    month.post(idx, due_day[idx], "repayment", payment[idx])
    b.instalments_done[new_instalment] += 1
    b.missed[pays] = 0
    b.arrears[pays] = 0
    b.first_missed[pays] = np.datetime64("NaT")

    idx = np.flatnonzero(misses)
    b.first_missed[idx] = np.where(b.missed[idx] == 0, due_day[idx], b.first_missed[idx])
    b.missed[idx] += 1
    b.arrears[idx] += instalment[idx]
    # the late fee lands the day after the due date, kept inside the month (a due date on 28 February)
    month.post(idx, np.minimum(due_day[idx] + 1, month.last_day), "late_fee", np.full(idx.size, B.LATE_FEE))

    # revolving spending on open lines, and lines closing once settled
    revolving_open = (active | opening) & ~loans & (b.status == ACTIVE) & (b.missed == 0)
    closing = revolving_open & in_full & ~overpay & (rng.random(n) < B.CLOSE_CHANCE)
    draws = revolving_open & ~closing & (rng.random(n) < B.DRAW_CHANCE)
    available = np.maximum(b.original - (b.principal + b.interest + b.fee), 0)
    share = np.where(strained, rng.uniform(*B.STRAIN_DRAW, n), rng.uniform(0.05, 0.6, n))
    amount = (available * share).astype(np.int64) // 100 * 100
    idx = np.flatnonzero(draws)
    earliest = np.where(opening[idx], b.open_date[idx], month.first_day)
    month.post(idx, month.random_day(idx.size, earliest), "disbursement", amount[idx])

    # month end: interest on carried revolving balances, penalty interest on what is overdue
    carried = active & ~loans & ~in_full & (b.principal > 0)
    idx = np.flatnonzero(carried)
    month.post(idx, month.last_day, "interest", b.principal[idx] * b.apr_bp[idx] // 120_000)
    overdue = active & (b.missed > 0)
    dpd = np.where(overdue, (month.last_day - b.first_missed).astype("timedelta64[D]").astype(np.int64), 0)
    days_overdue = np.minimum(dpd, month.days)
    idx = np.flatnonzero(overdue)
    month.post(idx, month.last_day, "penalty_interest", b.arrears[idx] * B.PENALTY_BP_DAY * days_overdue[idx] // 10_000)

    # the lender's actions: restructure (waiving fees), litigation, freezes and unfreezes
    forborne = active & (b.missed >= 2) & (rng.random(n) < B.FORBEARANCE_CHANCE)
    idx = np.flatnonzero(forborne)
    month.post(idx, np.full(idx.size, month.last_day), "waiver", np.maximum(b.fee[idx], 0))
    b.forbearance[forborne] = True
    b.missed[forborne] = 0
    b.arrears[forborne] = 0
    b.first_missed[forborne] = np.datetime64("NaT")
    b.litigation[active & (b.missed >= 4) & (rng.random(n) < B.LITIGATION_CHANCE)] = True
    freeze = active & ~loans & (b.status == ACTIVE) & (b.missed > 0) & (rng.random(n) < B.FREEZE_CHANCE)
    unfreeze = active & (b.status == FROZEN) & (b.missed == 0) & (rng.random(n) < B.UNFREEZE_CHANCE)
    b.status[freeze] = FROZEN
    b.status[unfreeze] = ACTIVE

    # loans paid off and lines closed leave the book this month
    settled = (b.principal == 0) & (b.interest == 0) & (b.fee == 0)
    b.status[active & loans & (b.instalments_done >= b.term) & settled] = CLOSED
    b.status[closing & settled] = CLOSED

    # recoveries trickle in on accounts charged off in earlier months
    window = (b.status == GONE) & (b.charge_month >= 0) & (t - b.charge_month <= B.RECOVERY_MONTHS)
    recover = window & (rng.random(n) < B.RECOVERY_CHANCE)
    amount = np.minimum((b.charge_amount * rng.uniform(0.02, 0.10, n)).astype(np.int64),
                        b.charge_amount * 45 // 100 - b.recovered)
    idx = np.flatnonzero(recover)
    month.post(idx, month.random_day(idx.size), "recovery", amount[idx])
    b.recovered[idx] += np.maximum(amount[idx], 0)

    b.dpd[:] = np.where(np.isin(b.status, (ACTIVE, FROZEN)) & (b.missed > 0),
                        (month.last_day - b.first_missed).astype("timedelta64[D]").astype(np.int64), 0)
    b.dpd[b.status == CHARGED_OFF] = b.charge_dpd[b.status == CHARGED_OFF]
    b.min_payment[:] = np.where(b.term > 0, np.where(b.instalments_done < b.term, b.original // np.maximum(b.term, 1), 0),
                                np.minimum(np.maximum(b.principal + b.interest + b.fee, 0),
                                           np.maximum((b.principal + b.interest + b.fee) * B.MIN_PAYMENT_RATE_BP // 10_000,
                                                      B.MIN_PAYMENT_FLOOR))) + b.arrears
    b.min_payment[~np.isin(b.status, (ACTIVE, FROZEN))] = 0
    return month


def _strain(b: Book, lines: np.ndarray, risk: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Moves the lines' strain on a month (onset, a month more, or over) and returns who is under it.

    Strain starts only on a line that is current, and a line that has left the book keeps none."""
    n = b.size
    onset = lines & (b.missed == 0) & (b.strain_months == 0) & (rng.random(n) < B.STRAIN_ONSET * risk)
    going_on = lines & (b.strain_months > 0) & (rng.random(n) >= B.STRAIN_EXIT)
    b.strain_months[:] = np.where(going_on, b.strain_months + 1, np.where(onset, 1, 0))
    return b.strain_months > 0


def simulate(params: SimulationParams, landing_dir: Path, progress: bool = True) -> list[Path]:
    """Writes one extract folder per month end into `landing_dir`; returns them in month order."""
    book = open_accounts(params)
    folders = []
    for t in tqdm(range(params.months), desc="simulating months", unit="month", disable=not progress):
        month = simulate_month(book, params, t)
        as_of = month.last_day.astype(date)
        folders.append(write_extract(book, month, as_of, params, landing_dir))
        book.status[np.isin(book.status, (CLOSED, CHARGED_OFF))] = GONE
    return folders
