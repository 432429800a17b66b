"""The book: every account of the simulation as columns of numpy arrays, static and changing."""

from dataclasses import dataclass, field

import numpy as np

from simulator import behaviour as B

OPENING_BOOK_MONTHS = 12
UNOPENED, ACTIVE, FROZEN, CLOSED, CHARGED_OFF, GONE = 0, 1, 2, 3, 4, 5


@dataclass
class Book:
    """Account attributes (fixed at opening) and state (moved by postings, in integer cents)."""

    open_month: np.ndarray      # simulation month of opening; negative for the opening book
    open_date: np.ndarray       # datetime64[D]
    product: np.ndarray         # index into behaviour.PRODUCTS
    grade: np.ndarray
    channel: np.ndarray
    region: np.ndarray
    customer: np.ndarray
    original: np.ndarray        # cents: limit (revolving) or disbursed principal
    term: np.ndarray            # months; 0 for revolving
    apr_bp: np.ndarray
    due_day: np.ndarray
    status: np.ndarray
    principal: np.ndarray = field(init=False)
    interest: np.ndarray = field(init=False)
    fee: np.ndarray = field(init=False)

    def __post_init__(self):
        n = self.size
        zeros = lambda dtype=np.int64: np.zeros(n, dtype=dtype)  # noqa: E731
        self.principal, self.interest, self.fee, self.arrears = zeros(), zeros(), zeros(), zeros()
        self.missed, self.instalments_done, self.dpd, self.min_payment = zeros(), zeros(), zeros(), zeros()
        self.first_missed = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        self.forbearance, self.litigation = zeros(bool), zeros(bool)
        self.strain_months = zeros()  # months a revolving borrower has been under strain; 0: not
        self.charge_month = np.full(n, -1, dtype=np.int64)
        self.charge_amount, self.charge_dpd, self.recovered = zeros(), zeros(), zeros()

    @property
    def size(self) -> int:
        return self.open_month.size


def _opening_months(params, rng: np.random.Generator) -> np.ndarray:
    """Opening month of every account: an opening book, then seasonal monthly cohorts."""
    opening_book = int(params.accounts * B.OPENING_BOOK_SHARE)
    new = params.accounts - opening_book
    calendar = (params.first_month.month - 1 + np.arange(params.months)) % 12 + 1
    weights = B.cohort_weights(calendar)
    counts = np.floor(weights * new).astype(np.int64)
    counts[: new - counts.sum()] += 1
    book_months = rng.integers(-OPENING_BOOK_MONTHS, 0, opening_book)
    return np.sort(np.concatenate([book_months, np.repeat(np.arange(params.months), counts)]))


def open_accounts(params) -> Book:
    """Draws every account's attributes, and the balances the opening book starts with."""
    rng = np.random.default_rng([params.seed, 10_000])
    open_month = _opening_months(params, rng)
    n = open_month.size
    day = rng.integers(1, 29, n)
    open_date = _month_first_days(params, open_month) + (day - 1).astype("timedelta64[D]")
    order = np.lexsort((day, open_month))
    open_month, open_date, day = open_month[order], open_date[order], day[order]
    product = rng.choice(3, n, p=B.PRODUCT_SHARE)
    grade = rng.choice(5, n, p=B.GRADE_SHARE)
    amount_units = np.exp(rng.normal(np.log([12_000, 5_000, 15_000])[product], 0.6))
    original = (np.clip(amount_units, 500, 200_000) // 100 * 100).astype(np.int64) * 100
    term = np.where(product == 1, rng.choice(B.INSTALLMENT_TERMS, n),
                    np.where(product == 2, rng.choice(B.CASH_LOAN_TERMS, n), 0))
    apr_bp = np.where(product == 0, B.REVOLVING_APR_BP,
                      np.where(product == 1, 1200 + 100 * grade, rng.integers(*B.CASH_LOAN_APR_BP, n)))
    due_day = np.where(product == 0, rng.integers(5, 16, n), day)
    book = Book(open_month=open_month, open_date=open_date, product=product, grade=grade,
                channel=rng.choice(len(B.CHANNELS), n, p=B.CHANNEL_SHARE), region=rng.choice(len(B.REGIONS), n),
                customer=rng.permutation(n), original=original, term=term, apr_bp=apr_bp, due_day=due_day,
                status=np.full(n, UNOPENED, dtype=np.int64))
    _seed_opening_book(book, rng)
    return book


def _month_first_days(params, open_month: np.ndarray) -> np.ndarray:
    base = np.datetime64(f"{params.first_month.year:04d}-{params.first_month.month:02d}", "M")
    return (base + open_month.astype("timedelta64[M]")).astype("datetime64[D]")


def _seed_opening_book(book: Book, rng: np.random.Generator) -> None:
    """Accounts opened before the first month start on book with balances of their own age
    (loans past their term were repaid before the simulation starts)."""
    old = book.open_month < 0
    age = -book.open_month
    loans = book.term > 0
    repaid = old & loans & (age >= book.term)
    book.status[old & ~repaid] = ACTIVE
    book.status[repaid] = GONE
    live_loans = old & loans & ~repaid
    book.instalments_done[live_loans] = age[live_loans]
    book.principal[live_loans] = book.original[live_loans] - age[live_loans] * (book.original[live_loans]
                                                                                 // book.term[live_loans])
    revolving = old & ~loans
    book.principal[revolving] = (book.original[revolving] * rng.uniform(0.05, 0.6, revolving.sum())).astype(np.int64)
