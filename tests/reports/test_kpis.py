"""KPI changes and summary sentences on the sample, against numbers computed by hand.

All products, from conftest's bucket balances:
    receivable   Sep 1,050,000   Oct 1,100,000
    accounts     Sep 433         Oct 451
    30+ balance  Sep 31,500      Oct 34,100     → 3.00 % → 3.10 %
    90+ balance  Sep 9,400       Oct 11,400
    gross / recoveries  Sep 5,000 / 800   Oct 6,000 / 1,000
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from reports.kpis import change, dq_contributions, kpis, main_driver
from reports.management import summary_sentences
from transforms.months import add_months

OCT, SEP, AUG = date(2026, 10, 1), date(2026, 9, 1), date(2026, 8, 1)
PRODUCTS = ["revolving", "installment", "cash_loan"]


def test_add_months_crosses_years():
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert add_months(date(2026, 10, 1), -12) == date(2025, 10, 1)
    assert add_months(date(2025, 12, 1), 1) == date(2026, 1, 1)


def test_kpi_changes_against_the_prior_month(pack_input):
    k = {x.key: x for x in kpis(pack_input.delinquency, OCT)}
    assert k["receivable_balance"].value == Decimal("1100000.00")
    assert k["receivable_balance"].prior == Decimal("1050000.00")
    assert float(k["receivable_balance"].change) == pytest.approx(50_000 / 1_050_000, abs=1e-12)
    assert (k["accounts_on_book"].value, k["accounts_on_book"].prior) == (451, 433)
    assert float(k["accounts_on_book"].change) == pytest.approx(18 / 433, abs=1e-12)
    # rates change in points: a difference, not a ratio
    assert k["dq30_rate"].change == pytest.approx(34_100 / 1_100_000 - 31_500 / 1_050_000, abs=1e-12)
    assert k["dq30_rate"].change == pytest.approx(0.001, abs=1e-12)
    assert k["dq90_rate"].change == pytest.approx(11_400 / 1_100_000 - 9_400 / 1_050_000, abs=1e-12)
    assert float(k["gross_charge_offs"].change) == pytest.approx(0.20, abs=1e-12)
    assert float(k["recoveries"].change) == pytest.approx(0.25, abs=1e-12)
    nco_oct = 5_000 * 12 / ((1_100_000 + 1_050_000) / 2)
    nco_sep = 4_200 * 12 / ((1_050_000 + 1_000_000) / 2)
    assert k["nco_rate"].value == pytest.approx(nco_oct, abs=1e-12)
    assert k["nco_rate"].change == pytest.approx(nco_oct - nco_sep, abs=1e-12)


def test_changes_are_none_where_the_comparison_month_is_missing(pack_input):
    k = {x.key: x for x in kpis(pack_input.delinquency, OCT)}
    assert all(x.year_ago is None and x.change_year is None for x in k.values())
    first = {x.key: x for x in kpis(pack_input.delinquency, AUG)}
    assert all(x.prior is None and x.change is None for x in first.values())
    assert first["nco_rate"].value is None  # the mart leaves it empty in the first month
    september = {x.key: x for x in kpis(pack_input.delinquency, SEP)}
    assert september["nco_rate"].prior is None and september["nco_rate"].change is None


def test_change_conventions():
    assert change("rate", 0.05, 0.04) == pytest.approx(0.01)
    assert change("money", Decimal("110"), Decimal("100")) == Decimal("0.1")
    assert change("count", 5, 0) is None  # no relative change from zero
    assert change("rate", None, 0.04) is None


def test_a_missing_reporting_month_is_an_error(pack_input):
    with pytest.raises(ValueError, match="2026-11"):
        kpis(pack_input.delinquency, date(2026, 11, 1))


def test_contributions_add_up_to_the_total_change_and_name_the_driver(pack_input):
    parts = dq_contributions(pack_input.delinquency, OCT, 30, PRODUCTS)
    by_product = {p.product: p for p in parts}
    assert by_product["revolving"].contribution == pytest.approx(20_000 / 1_100_000 - 17_000 / 1_050_000)
    assert by_product["installment"].contribution == pytest.approx(9_000 / 1_100_000 - 9_500 / 1_050_000)
    assert sum(p.contribution for p in parts) == pytest.approx(0.001, abs=1e-12)
    driver = main_driver(parts, 0.001)
    assert driver.product == "revolving"
    assert driver.rate_change == pytest.approx(20_000 / 500_000 - 17_000 / 480_000)
    assert dq_contributions(pack_input.delinquency, AUG, 30, PRODUCTS) == []


def test_summary_sentences_en(pack_input):
    sentences = summary_sentences(pack_input, "en")
    assert sentences[0] == "30+ delinquency rose 0.10 pp to 3.10%, driven by Revolving (+0.46 pp)."
    assert sentences[1] == "90+ delinquency rose 0.14 pp to 1.04%."
    assert sentences[2] == ("The receivable balance grew 4.8% to CNY 1,100,000.00, on 451 accounts on book.")
    assert sentences[3] == ("Net charge-offs were CNY 5,000.00 (gross CNY 6,000.00, recoveries CNY 1,000.00), "
                            "an annualised rate of 5.58%.")
    assert sentences[4] == ("Data quality needs attention: quarantined rows 2; accounts with a "
                            "roll-forward break 0; vanished accounts 0.")


def test_summary_of_a_first_month_says_so(make_input, pack_input):
    first = make_input(month=AUG,
                       delinquency=pack_input.delinquency.filter(pl.col("month") == AUG),
                       delinquency_by_state=pack_input.delinquency_by_state.filter(pl.col("month") == AUG))
    sentences = summary_sentences(first, "en")
    assert sentences[0].startswith("This is the first month on record")
    assert "The receivable balance is CNY 1,000,000.00, on 413 accounts on book." in sentences
    assert "Net charge-offs were CNY 3,500.00 (gross CNY 4,000.00, recoveries CNY 500.00)." in sentences
    # the vanished-accounts check needs the month before: a first month's clean data claims only what ran
    clean = replace(first, loads=first.loads.with_columns(rows_quarantined=pl.lit(0, pl.Int64)))
    assert summary_sentences(clean, "en")[-1] == (
        "Data quality: every file loaded in full (3 in all), no roll-forward break (vanished accounts are checked "
        "from the second month loaded).")


def test_summary_says_clean_when_nothing_was_quarantined(make_input, pack_input):
    clean = make_input(loads=pack_input.loads.with_columns(rows_quarantined=pl.lit(0, pl.Int64)))
    assert summary_sentences(clean, "en")[-1] == ("Data quality: every file loaded in full (3 in all), "
                                                  "no roll-forward break, no vanished account.")


def test_state_tables_share_the_on_book_balance(pack_input):
    from reports.management import state_tables
    tables = state_tables(pack_input.delinquency_by_state, OCT, "en")
    assert [t["product"] for t in tables] == ["All products", "Revolving", "Instalment", "Cash loan"]
    rows = {r["state"] or "total": r for r in tables[0]["rows"]}
    assert rows["Current"]["share"] == Decimal("1045000") / Decimal("1100000")
    assert rows["total"]["balance"] == Decimal("1100000.00") and rows["total"]["accounts"] == 451
    assert rows["Charged off"]["share"] is None and rows["Charged off"]["accounts"] == 23
    assert sum(r["share"] for r in tables[0]["rows"] if not r["is_total"] and not r["terminal"]) == 1


def _roll_summary(rates: dict[date, dict[str, tuple[float, str]]]) -> pl.DataFrame:
    """mart.roll_rate_summary rows for all products: month → from_state → (roll-forward rate, balance)."""
    rows = [{"month": m, "product": "all", "from_state": s, "accounts": 100, "balance": Decimal(balance),
             "cure_rate": None, "roll_forward_rate": rate, "cure_balance_rate": None,
             "roll_forward_balance_rate": None, "impossible_moves": 0, "missing_accounts": 0}
            for m, states in rates.items() for s, (rate, balance) in states.items()]
    return pl.DataFrame(rows, schema_overrides={"balance": pl.Decimal(18, 2), "cure_rate": pl.Float64,
                                                "cure_balance_rate": pl.Float64,
                                                "roll_forward_balance_rate": pl.Float64})


def _with_roll_summary(make_input, summary: pl.DataFrame):
    from reports.roll_rates_section import RollRateInput

    empty = pl.DataFrame()
    return make_input(roll_rates=RollRateInput(empty, summary, empty, empty))


def test_summary_names_the_roll_rate_move_that_shifted_most_balance_the_way_delinquency_went(make_input):
    # 30+ rose 0.10 pp (the sample). October's roll-forward changes × October's bucket balances:
    # current +0.50 pp × 900,000 = 4,500; 1–29 −2 pp (the other way: not named); 30–59 +1.5 pp ×
    # 40,000 = 600; 90–119 +20 pp × 10,000 = 2,000 (the widest swing, in a thin bucket). Named: current.
    summary = _roll_summary({
        SEP: {"current": (0.02, "880000"), "dpd_1_29": (0.30, "20000"), "dpd_30_59": (0.40, "38000"),
              "dpd_90_119": (0.60, "9000")},
        OCT: {"current": (0.025, "900000"), "dpd_1_29": (0.28, "21000"), "dpd_30_59": (0.415, "40000"),
              "dpd_90_119": (0.80, "10000")}})
    data = _with_roll_summary(make_input, summary)
    sentences = summary_sentences(data, "en")
    assert sentences[0] == "30+ delinquency rose 0.10 pp to 3.10%, driven by Revolving (+0.46 pp)."
    assert sentences[1] == ("The roll-forward move that shifted the most balance: Current, whose rate rose "
                            "0.50 pp to 2.50%.")
    # a number stands a space apart from the Chinese before it, as in every other sentence of the pack
    assert summary_sentences(data, "zh-CN")[:2] == ["30天以上逾期率上升 0.10个百分点，至 3.10%，主要来自循环贷（+0.46个百分点）。",
                                                    "影响余额最大的迁徙变化：正常的恶化率上升 0.50个百分点，至 2.50%。"]
    # with the same balances everywhere, the widest swing the same way is the one: 90–119
    flat = summary.with_columns(balance=pl.lit(Decimal("1000"), pl.Decimal(18, 2)))
    assert summary_sentences(_with_roll_summary(make_input, flat), "en")[1].startswith(
        "The roll-forward move that shifted the most balance: 90–119 DPD, whose rate rose 20.00 pp")


def test_summary_names_no_roll_rate_when_none_moved_the_way_delinquency_went(make_input):
    falling = _roll_summary({SEP: {"current": (0.02, "900000"), "dpd_1_29": (0.30, "20000")},
                             OCT: {"current": (0.02, "900000"), "dpd_1_29": (0.28, "20000")}})
    sentences = summary_sentences(_with_roll_summary(make_input, falling), "en")
    assert not any(s.startswith("The roll-forward move") for s in sentences)
