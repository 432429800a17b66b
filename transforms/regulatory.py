"""Regulatory classification and past-due reporting (methodology §6).

Two families of regime live here. The Chinese regimes (`cn_2023`, `cn_card_2011`) sort every
on-book account into five categories by its days past due, and the NPL ratio, provision coverage
(拨备覆盖率) and loan provision ratio (贷款拨备率) are read from those categories. The US regime
(`us_ffiec`) has no categories: it reports past-due and nonaccrual stocks and the month's
charge-offs, and lists accounts the charge-off policy should already have written off.

Which regime applies is configuration with effective dates (`regime_in_force`), and every table
carries the regime's name, so a report never shows figures without saying which rules made them.

Only DPD decides the category. The 2023 rules also let qualitative evidence (restructuring,
legal action) downgrade an asset; methodology §6 defines the bands by DPD alone, so forbearance
and litigation do not move an account here (they do raise its IFRS 9 stage, §5).

Balances are Decimal(18,2) sums of total_balance; the allowance is the ECL (Float64) summed in
decimals (`transforms.exact`), so the same month gives the same bits on every rerun.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

import polars as pl

from transforms.exact import EXACT, exact_sum
from transforms.states import LOSS_ENTRY_TYPES, product_grid, sums_by_product

MONEY = pl.Decimal(18, 2)
PROVISION_COVERAGE_MIN = 1.5      # 150 %: the default minimum; regulators may set 120–150 %
LOAN_PROVISION_RATIO_MIN = 0.025  # 2.5 %: the default minimum; regulators may set 1.5–2.5 %

CATEGORIES = ("pass", "special_mention", "substandard", "doubtful", "loss")
CATEGORY_NAMES_ZH: Mapping[str, str] = MappingProxyType(
    {"pass": "正常", "special_mention": "关注", "substandard": "次级", "doubtful": "可疑", "loss": "损失"})
NPL_CATEGORIES = ("substandard", "doubtful", "loss")  # 不良 = 次级 + 可疑 + 损失

CLASSIFICATION_COLUMNS = ["month", "regime", "product", "category", "category_order", "accounts", "balance",
                          "allowance"]
RATIO_COLUMNS = ["month", "regime", "product", "on_book_balance", "npl_balance", "npl_ratio", "allowance",
                 "provision_coverage", "provision_coverage_min", "provision_coverage_breach",
                 "loan_provision_ratio", "loan_provision_ratio_min", "loan_provision_ratio_breach"]
PAST_DUE_COLUMNS = ["month", "product", "past_due_30_89_accounts", "past_due_30_89_balance",
                    "past_due_90_accruing_accounts", "past_due_90_accruing_balance", "nonaccrual_accounts",
                    "nonaccrual_balance", "gross_charge_offs", "recoveries", "net_charge_offs"]
CHARGE_OFF_POINT_COLUMNS = ["month", "account_id", "product", "days_past_due", "policy_dpd", "total_balance"]


# ---------------------------------------------------------------------------------------------- regimes

@dataclass(frozen=True)
class Category:
    """One category of a five-category regime: accounts with min_dpd ≤ DPD ≤ max_dpd (None: no upper end)."""

    name: str
    name_zh: str
    order: int
    min_dpd: int
    max_dpd: int | None


@dataclass(frozen=True)
class ClassificationRegime:
    """A five-category regime: the categories in order, contiguous DPD bands from 0 upwards."""

    name: str
    title: str
    categories: tuple[Category, ...]

    def category_frame(self) -> pl.DataFrame:
        """category, category_zh, category_order (Int32), min_dpd, max_dpd: the report's legend."""
        return pl.DataFrame(
            {"category": [c.name for c in self.categories], "category_zh": [c.name_zh for c in self.categories],
             "category_order": [c.order for c in self.categories],
             "min_dpd": [c.min_dpd for c in self.categories], "max_dpd": [c.max_dpd for c in self.categories]},
            schema={"category": pl.String, "category_zh": pl.String, "category_order": pl.Int32,
                    "min_dpd": pl.Int32, "max_dpd": pl.Int32})


@dataclass(frozen=True)
class FfiecPolicy:
    """US policy constants: charge-off points and when interest stops accruing, per product.

    Closed-end products (installment, cash_loan) stop accruing at 90 DPD and are charged off at
    120; revolving lines accrue until they are charged off at 180 (nonaccrual_dpd None: never
    nonaccrual before charge-off).
    """

    name: str
    title: str
    charge_off_dpd: Mapping[str, int]
    nonaccrual_dpd: Mapping[str, int | None]
    past_due_dpd: int = 30            # the first past-due column starts here
    seriously_past_due_dpd: int = 90  # …and ends the day before this


def _five_categories(lower_bounds: Sequence[int]) -> tuple[Category, ...]:
    """Categories from the lower DPD bound of each band (the first must be 0); each band ends the
    day before the next one starts, the last has no end."""
    uppers = [*(lo - 1 for lo in lower_bounds[1:]), None]
    return tuple(Category(name, CATEGORY_NAMES_ZH[name], order, lo, hi)
                 for order, (name, lo, hi) in enumerate(zip(CATEGORIES, lower_bounds, uppers), start=1))


REGIMES: Mapping[str, ClassificationRegime | FfiecPolicy] = MappingProxyType({
    # 金融资产风险分类办法 (2023): pass 0, special mention 1–90, substandard 91–270, doubtful 271–360, loss > 360
    "cn_2023": ClassificationRegime("cn_2023", "金融资产风险分类办法 (2023)", _five_categories((0, 1, 91, 271, 361))),
    # 信用卡业务监督管理办法 Art. 92 (2011): 0 / 1–90 / 91–120 / 121–180 / > 180
    "cn_card_2011": ClassificationRegime("cn_card_2011", "信用卡业务监督管理办法 第九十二条 (2011)",
                                         _five_categories((0, 1, 91, 121, 181))),
    "us_ffiec": FfiecPolicy(
        "us_ffiec", "FFIEC Uniform Retail Credit Classification and Account Management Policy",
        charge_off_dpd=MappingProxyType({"revolving": 180, "installment": 120, "cash_loan": 120}),
        nonaccrual_dpd=MappingProxyType({"revolving": None, "installment": 90, "cash_loan": 90})),
})
CLASSIFICATION_REGIMES: Mapping[str, ClassificationRegime] = MappingProxyType(
    {name: regime for name, regime in REGIMES.items() if isinstance(regime, ClassificationRegime)})
US_FFIEC: FfiecPolicy = REGIMES["us_ffiec"]  # type: ignore[assignment]


def _regime(name: str) -> ClassificationRegime | FfiecPolicy:
    if name not in REGIMES:
        raise ValueError(f"unknown regulatory regime {name!r}; known: {sorted(REGIMES)}")
    return REGIMES[name]


def classification_regime(name: str) -> ClassificationRegime:
    """The five-category regime of that name; ValueError for an unknown name or for `us_ffiec`
    (which reports past-due columns, see `us_past_due`, not categories)."""
    _regime(name)
    if name not in CLASSIFICATION_REGIMES:
        raise ValueError(f"regime {name!r} has no five-category classification; "
                         f"classification regimes: {sorted(CLASSIFICATION_REGIMES)}")
    return CLASSIFICATION_REGIMES[name]


def _last_day(month: date) -> date:
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def regime_in_force(schedule: Sequence[tuple[str, date]], month: date) -> str:
    """The regime whose effective date is the latest on or before the month's last day.

    A regime effective mid-month governs that month-end's report (the figures describe the book
    at month end). Every name in the schedule is checked, not only the one chosen, so a typo in a
    future entry fails today rather than on the day it takes effect. Two different regimes on one
    effective date are ambiguous and refused.
    """
    for name, _ in schedule:
        _regime(name)
    by_date: dict[date, set[str]] = {}
    for name, effective in schedule:
        by_date.setdefault(effective, set()).add(name)
    clashes = {d: sorted(n) for d, n in by_date.items() if len(n) > 1}
    if clashes:
        raise ValueError(f"several regimes share an effective date: {clashes}")
    end = _last_day(month)
    candidates = [(effective, name) for name, effective in schedule if effective <= end]
    if not candidates:
        raise ValueError(f"no regulatory regime is in force in {month:%Y-%m}: the earliest effective date in "
                         f"the schedule is {min((e for _, e in schedule), default=None)}")
    return max(candidates)[1]


# ---------------------------------------------------------------------------------------------- classification

def _require_dpd(on_book: pl.DataFrame) -> None:
    if on_book.filter(pl.col("days_past_due").is_null()).height:
        raise ValueError("on-book accounts without days_past_due cannot be classified")


def classify(snapshot: pl.DataFrame, regime: str) -> pl.DataFrame:
    """The on-book rows of the snapshot, plus `category` and `category_order` (Int32, 1 = pass … 5 = loss).

    Closed and charged-off accounts are off the balance sheet and carry no category. The category
    is the band holding the account's DPD; the bands are contiguous, so the order is 1 plus the
    number of band starts above 0 that the DPD has reached.
    """
    cats = classification_regime(regime).categories
    on_book = snapshot.filter(pl.col("on_book"))
    _require_dpd(on_book)
    dpd = pl.col("days_past_due")
    order = (1 + pl.sum_horizontal([(dpd >= c.min_dpd).cast(pl.Int32) for c in cats[1:]])).cast(pl.Int32)
    return on_book.with_columns(category_order=order).with_columns(
        category=pl.col("category_order").replace_strict([c.order for c in cats], [c.name for c in cats],
                                                         return_dtype=pl.String))


def classification_table(snapshot: pl.DataFrame, allowance: pl.DataFrame, regime: str,
                         month: date) -> pl.DataFrame:
    """Accounts, balance and allowance per product (and `all`) and category, the full grid.

    snapshot: the month's snapshot (account_id, product, on_book, days_past_due, total_balance).
    allowance: mart.ecl_account of the month (account_id, ecl). When it is empty (no ECL in the
    first loaded month) the allowance column is null everywhere: unknown, not zero. When it is not
    empty it must cover every on-book account (mart.ecl_account has one row per on-book account);
    an on-book account without one means the allowance was computed on another snapshot, and the
    coverage ratios would be understated silently, so it is refused. Allowance rows of accounts
    that are off book are ignored.
    """
    reg = classification_regime(regime)
    classified = classify(snapshot, regime)
    has_allowance = allowance.height > 0
    if has_allowance:
        classified = classified.join(allowance.select("account_id", pl.col("ecl").cast(pl.Float64)),
                                     on="account_id", how="left", validate="m:1")
        uncovered = classified.filter(pl.col("ecl").is_null())["account_id"]
        if uncovered.len():
            raise ValueError(f"{uncovered.len()} on-book account(s) have no allowance, "
                             f"e.g. {uncovered.sort().to_list()[:5]}")
    else:
        classified = classified.with_columns(ecl=pl.lit(None, dtype=pl.Float64))
    sums = sums_by_product(classified, ["category"], accounts=pl.len().cast(pl.Int64),
                           balance=pl.col("total_balance").sum().cast(MONEY),
                           allowance=pl.col("ecl").cast(EXACT).sum()
                           ).with_columns(pl.col("allowance").cast(pl.Float64))
    grid = product_grid().join(reg.category_frame().select("category", "category_order"), how="cross")
    # with an allowance, an empty cell holds none (0.0); without one, every cell is unknown (null)
    cell_allowance = pl.col("allowance").fill_null(0.0) if has_allowance else pl.lit(None, dtype=pl.Float64)
    return (grid.join(sums, on=["product", "category"], how="left")
            .with_columns(pl.col("accounts").fill_null(0), pl.col("balance").fill_null(pl.lit(0).cast(MONEY)),
                          allowance=cell_allowance,
                          month=pl.lit(month, dtype=pl.Date), regime=pl.lit(reg.name))
            .sort("product", "category_order")
            .select(CLASSIFICATION_COLUMNS))


def _check_minimum(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number ≥ 0, got {value!r}")
    return value


def regulatory_ratios(classification: pl.DataFrame, provision_coverage_min: float = PROVISION_COVERAGE_MIN,
                      loan_provision_ratio_min: float = LOAN_PROVISION_RATIO_MIN) -> pl.DataFrame:
    """NPL ratio, provision coverage and loan provision ratio per month, regime and product, against
    the configured minimums.

    NPL balance = substandard + doubtful + loss. npl_ratio = NPL / on-book balance;
    provision_coverage = allowance / NPL; loan_provision_ratio = allowance / on-book balance. A ratio
    whose denominator is not positive does not exist and is null: in particular provision coverage
    with no NPL at all is null (any allowance covers nothing infinitely; it is not a breach, and it
    is not 0 %, which would read as one). A breach is value < minimum (exactly at the minimum
    complies); it is null when the value is null (the allowance is unknown, or the ratio does not
    exist), so a report can tell "complies" from "cannot say".
    """
    pc_min = _check_minimum("provision_coverage_min", provision_coverage_min)
    lpr_min = _check_minimum("loan_provision_ratio_min", loan_provision_ratio_min)
    allowance = pl.col("allowance")
    sums = classification.group_by("month", "regime", "product").agg(
        on_book_balance=pl.col("balance").sum().cast(MONEY),
        npl_balance=pl.col("balance").filter(pl.col("category").is_in(NPL_CATEGORIES)).sum().cast(MONEY),
        allowance=pl.when(allowance.is_null().any()).then(pl.lit(None, dtype=pl.Float64))
        .otherwise(exact_sum(allowance)),
    )
    on_book, npl = pl.col("on_book_balance").cast(pl.Float64), pl.col("npl_balance").cast(pl.Float64)
    return (sums.with_columns(
        npl_ratio=pl.when(on_book > 0).then(npl / on_book),
        provision_coverage=pl.when(npl > 0).then(allowance / npl),
        loan_provision_ratio=pl.when(on_book > 0).then(allowance / on_book),
        provision_coverage_min=pl.lit(pc_min, dtype=pl.Float64),
        loan_provision_ratio_min=pl.lit(lpr_min, dtype=pl.Float64),
    ).with_columns(
        provision_coverage_breach=pl.col("provision_coverage") < pl.col("provision_coverage_min"),
        loan_provision_ratio_breach=pl.col("loan_provision_ratio") < pl.col("loan_provision_ratio_min"),
    ).sort("month", "regime", "product").select(RATIO_COLUMNS))


# ---------------------------------------------------------------------------------------------- us_ffiec

def _policy_column(on_book: pl.DataFrame, policy: Mapping[str, int | None], name: str) -> pl.Expr:
    unknown = sorted(set(on_book["product"].unique().to_list()) - set(policy), key=str)
    if unknown:
        raise ValueError(f"the us_ffiec policy has no {name} for product(s) {unknown}")
    return pl.col("product").replace_strict(dict(policy), return_dtype=pl.Int32)


def us_past_due(snapshot: pl.DataFrame, postings: pl.DataFrame, month: date) -> pl.DataFrame:
    """The FFIEC past-due table of the month per product (and `all`).

    The three stocks are of on-book accounts (by total_balance) and do not overlap, so they add up
    to everything 30+ DPD:
    - nonaccrual: closed-end accounts (installment, cash_loan) at DPD ≥ 90 — they stop accruing
      there. Revolving lines accrue until charge-off and are never nonaccrual here.
    - past_due_90_accruing: DPD ≥ 90 and still accruing (so in practice revolving only).
    - past_due_30_89: DPD 30–89 and not nonaccrual. With the DPD-only accrual rule no account in
      30–89 is nonaccrual, but the exclusion is written out so the columns stay disjoint if the
      accrual rule ever changes (FFIEC reports a nonaccrual asset only in the nonaccrual column).
    Charge-offs and recoveries are the month's `charge_off` and `recovery` postings (postings:
    account_id, product, entry_type, amount) of every account, on book or not: an account
    charged off in m has left the book by month end.
    """
    on_book = snapshot.filter(pl.col("on_book"))
    _require_dpd(on_book)
    dpd = pl.col("days_past_due")
    stop = _policy_column(on_book, US_FFIEC.nonaccrual_dpd, "nonaccrual point")
    flagged = on_book.with_columns(nonaccrual=stop.is_not_null() & (dpd >= stop)).with_columns(
        pd_30_89=dpd.is_between(US_FFIEC.past_due_dpd, US_FFIEC.seriously_past_due_dpd - 1) & ~pl.col("nonaccrual"),
        pd_90_accruing=(dpd >= US_FFIEC.seriously_past_due_dpd) & ~pl.col("nonaccrual"))
    balance = pl.col("total_balance")
    stocks = sums_by_product(flagged, **{
        name: agg for flag, label in (("pd_30_89", "past_due_30_89"), ("pd_90_accruing", "past_due_90_accruing"),
                                      ("nonaccrual", "nonaccrual"))
        for name, agg in ((f"{label}_accounts", pl.col(flag).sum().cast(pl.Int64)),
                          (f"{label}_balance", balance.filter(pl.col(flag)).sum().cast(MONEY)))})
    amount, kind = pl.col("amount"), pl.col("entry_type")
    flows = sums_by_product(postings.filter(kind.is_in(LOSS_ENTRY_TYPES)),
                            gross_charge_offs=amount.filter(kind == "charge_off").sum().cast(MONEY),
                            recoveries=amount.filter(kind == "recovery").sum().cast(MONEY))
    zero = pl.lit(0).cast(MONEY)
    counts = [c for c in PAST_DUE_COLUMNS if c.endswith("_accounts")]
    money = [c for c in PAST_DUE_COLUMNS if c.endswith("_balance")] + ["gross_charge_offs", "recoveries"]
    return (product_grid().join(stocks, on="product", how="left").join(flows, on="product", how="left")
            .with_columns(*(pl.col(c).fill_null(0) for c in counts), *(pl.col(c).fill_null(zero) for c in money))
            .with_columns(net_charge_offs=(pl.col("gross_charge_offs") - pl.col("recoveries")).cast(MONEY),
                          month=pl.lit(month, dtype=pl.Date))
            .select(PAST_DUE_COLUMNS))


def past_charge_off_point(snapshot: pl.DataFrame, month: date) -> pl.DataFrame:
    """On-book accounts at or past the us_ffiec charge-off point (revolving 180 DPD, closed-end 120):
    the policy says they should have been written off, so each one is listed for follow-up.

    DPD equal to the policy point counts: the charge-off is due on that day.
    """
    on_book = snapshot.filter(pl.col("on_book"))
    _require_dpd(on_book)
    policy = _policy_column(on_book, US_FFIEC.charge_off_dpd, "charge-off point")
    return (on_book.with_columns(policy_dpd=policy)
            .filter(pl.col("days_past_due") >= pl.col("policy_dpd"))
            .with_columns(month=pl.lit(month, dtype=pl.Date), days_past_due=pl.col("days_past_due").cast(pl.Int32),
                          total_balance=pl.col("total_balance").cast(MONEY))
            .sort("product", "account_id")
            .select(CHARGE_OFF_POINT_COLUMNS))
