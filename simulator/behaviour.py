"""Behaviour parameters of the demo portfolio: who borrows, who misses, who rolls, who cures.

Kept apart from the mechanics so the curves the reports show can be tuned in one place.
"""

import numpy as np

PRODUCTS = np.array(["revolving", "installment", "cash_loan"])
PRODUCT_SHARE = np.array([0.60, 0.25, 0.15])
GRADES = np.array(["A", "B", "C", "D", "E"])
GRADE_SHARE = np.array([0.25, 0.30, 0.25, 0.13, 0.07])
GRADE_RISK = np.array([0.35, 0.7, 1.0, 1.9, 3.2])  # multiplies the chance of a first missed payment
CHANNELS = np.array(["app", "web", "合作商户", "线下门店"])
CHANNEL_SHARE = np.array([0.55, 0.15, 0.20, 0.10])
REGIONS = np.array(["310000", "110000", "440000", "330000", "320000", "510000", "420000", "370000"])

INSTALLMENT_TERMS = np.array([3, 6, 12])
CASH_LOAN_TERMS = np.array([6, 12, 24])
REVOLVING_APR_BP = 1825          # 0.05 % a day, in basis points of a year
INSTALLMENT_FEE_BP_MONTH = 60    # instalment fee of 0.6 % of the original amount a month
CASH_LOAN_APR_BP = (1400, 2400)  # range

FIRST_MISS = 0.022               # monthly chance that a current account misses, grade C, calm times
# chance that an account k cycles behind misses again (rolls forward), by k = 1, 2, ...
ROLL = np.array([0.0, 0.32, 0.55, 0.70, 0.80, 0.86, 0.90, 0.93, 0.95])
STRESS_MISS, STRESS_ROLL = 1.9, 1.25
STRESS_MONTHS = range(18, 24)    # simulation months (0-based) of the stress period

# Financial strain (revolving lines): a hidden state that comes before most of a line's missed
# payments, as lost income or other debts do in a real book. A strained borrower pays only the
# minimum and draws the line down; after a month of it, misses far more often. What the ledger
# shows of it is what the early-warning signals look for.
STRAIN_ONSET = 0.02              # monthly chance that a current line comes under strain, grade C, calm times
STRAIN_EXIT = 0.15               # monthly chance that strain passes
STRAIN_MISS = 0.2                # monthly chance of a first miss from the second month of strain on
STRAIN_ROLL = 1.2                # … and, once behind, of rolling forward: this many times as often
CALM_MISS = 0.4                  # an unstrained line's first-miss chance, as a share of FIRST_MISS
STRAIN_DRAW = (0.3, 0.8)         # share of the available line a strained borrower draws in a month

PAY_IN_FULL = 0.55               # revolving: share of paying accounts that clear the statement
PART_PAYMENT = (0.15, 0.6)       # others pay the minimum and this share of the rest, or the minimum only:
MIN_ONLY = (0.1, 0.85)           # the chance of paying the minimum only, unstrained and strained
MIN_PAYMENT_RATE_BP = 1000       # minimum payment: 10 % of the statement
MIN_PAYMENT_FLOOR = 5000         # cents
LATE_FEE = 3000                  # cents
PENALTY_BP_DAY = 5               # 0.05 % a day on the overdue amount
DRAW_CHANCE = 0.8                # revolving: chance of spending in a month when the line is open
CLOSE_CHANCE = 0.006             # revolving: chance a current, settled line closes in a month
OVERPAY_CHANCE = 0.002           # a repayment above what is owed leaves a credit balance
FREEZE_CHANCE = 0.85             # the lender freezes a revolving line once it is overdue
UNFREEZE_CHANCE = 0.35           # … and lifts the freeze some months after a cure
FORBEARANCE_CHANCE = 0.02        # restructure of an account two or more cycles behind
LITIGATION_CHANCE = 0.05         # legal action on an account four or more cycles behind
RECOVERY_CHANCE = 0.25           # monthly chance of a recovery on a charged-off account
RECOVERY_MONTHS = 18
OPENING_BOOK_SHARE = 0.18        # accounts opened in the 12 months before the first month


def cohort_weights(calendar_months: np.ndarray) -> np.ndarray:
    """New accounts by calendar month: Double 11 (Nov) and Spring Festival (Jan/Feb) bumps."""
    bump = np.where(calendar_months == 11, 1.8, 1.0) * np.where(np.isin(calendar_months, [1, 2]), 1.35, 1.0)
    return bump / bump.sum()


def stress(month_index: int) -> tuple[float, float]:
    """Multipliers of first-miss and roll chances in a simulation month."""
    return (STRESS_MISS, STRESS_ROLL) if month_index in STRESS_MONTHS else (1.0, 1.0)
