"""Reads that attach each charged-off account's latest dimension row (product, apr) to it. They
take the month's own extract where the account is in it and look up only the others in the
history; here against the plain definition (the latest row by month, then extract) on accounts
that stay, vanish, or drop out of a month's last extract. And the read of a month's postings of
some entry types with the month's product."""

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from orchestration.ingest.load import LOSS_ENTRY_TYPES
from orchestration.warehouse import connect, frame
from transforms.states import OVERDUE_CHARGE_TYPES

ACCOUNT_COLUMNS = 13
MONTHS = (date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1))
LATEST = """
    select account_id, product, apr from core.accounts
    where month <= $month
    qualify row_number() over (partition by account_id order by month desc, as_of_date desc) = 1
"""


def _account(month: str, as_of: str, account_id: str, apr: str, product: str = "revolving") -> tuple:
    return (month, as_of, account_id, "C" + account_id, product, "2024-01-15", "1000.00", None, apr, "B", None, None,
            "CNY")


def _posting(month: str, as_of: str, account_id: str, entry_type: str, amount: str) -> tuple:
    return (month, as_of, f"{entry_type}-{account_id}-{month}", account_id, as_of, entry_type, amount)


@pytest.fixture
def con(tmp_path):
    accounts = [
        # K: charged off in January, in every extract, its apr revised in March's second extract
        _account("2024-01-01", "2024-01-31", "K", "0.100000"),
        _account("2024-03-01", "2024-03-15", "K", "0.110000"),
        _account("2024-03-01", "2024-03-31", "K", "0.120000"),
        # V: charged off in January, gone from the files after February, a recovery in March
        _account("2024-01-01", "2024-01-31", "V", "0.200000", "cash_loan"),
        _account("2024-02-01", "2024-02-29", "V", "0.210000", "cash_loan"),
        # M: charged off in February, in March's first extract but not in its last one
        _account("2024-02-01", "2024-02-29", "M", "0.300000"),
        _account("2024-03-01", "2024-03-15", "M", "0.310000", "installment"),
        # N: never charged off
        _account("2024-03-01", "2024-03-31", "N", "0.400000"),
    ]
    postings = [_posting("2024-01-01", "2024-01-31", "K", "charge_off", "500.00"),
                _posting("2024-01-01", "2024-01-31", "V", "charge_off", "700.00"),
                _posting("2024-02-01", "2024-02-29", "M", "charge_off", "300.00"),
                _posting("2024-03-01", "2024-03-31", "V", "recovery", "50.00"),
                _posting("2024-03-01", "2024-03-31", "N", "repayment", "20.00"),
                _posting("2024-03-01", "2024-03-31", "N", "penalty_interest", "3.00"),
                _posting("2024-03-01", "2024-03-31", "V", "late_fee", "15.00"),
                _posting("2024-03-01", "2024-03-31", "N", "late_fee", "15.00")]
    with connect(tmp_path / "warehouse.duckdb") as con:
        con.executemany(f"insert into core.accounts values ({', '.join('?' * ACCOUNT_COLUMNS)})", accounts)
        con.executemany("insert into core.postings values (?, ?, ?, ?, ?, ?, ?)", postings)
        # as the load keeps them (the definitions below read core.postings itself)
        con.executemany("insert into core.loss_postings values (?, ?, ?, ?, ?, ?, ?)",
                        [p for p in postings if p[5] in LOSS_ENTRY_TYPES])
        yield con


def test_charged_off_accounts(con):
    definition = (f"select * from ({LATEST}) where account_id in "
                  "(select account_id from core.postings where month <= $month and entry_type = 'charge_off')")
    for month in MONTHS:
        found = frame(con, "read/charged_off_accounts", {"month": month}).sort("account_id")
        assert_frame_equal(found, con.sql(definition, params={"month": month}).pl().sort("account_id"))
    assert found.with_columns(pl.col("apr").cast(pl.String)).rows() == [
        ("K", "revolving", "0.120000"), ("M", "installment", "0.310000"), ("V", "cash_loan", "0.210000")]


def test_charge_offs_and_recoveries(con):
    definition = (f"select f.account_id, d.product, f.month, f.entry_type, f.amount from core.postings as f "
                  f"join ({LATEST}) as d using (account_id) "
                  "where f.month <= $month and f.entry_type in ('charge_off', 'recovery')")
    order = ["account_id", "month", "entry_type"]
    for month in MONTHS:
        found = frame(con, "read/charge_offs_and_recoveries", {"month": month}).sort(order)
        assert_frame_equal(found, con.sql(definition, params={"month": month}).pl().sort(order))
    assert found.select("account_id", "product", "entry_type").rows() == [
        ("K", "revolving", "charge_off"), ("M", "installment", "charge_off"), ("V", "cash_loan", "charge_off"),
        ("V", "cash_loan", "recovery")]


def test_month_postings_by_product(con):
    # only the entry types asked for, each with the product of the month's accounts (none for an
    # account without a row in the month's accounts: V after February)
    definition = ("select p.account_id, m.product, p.entry_type, p.amount from core.postings as p "
                  "left join (select distinct account_id, product from core.accounts where month = $month) as m "
                  "using (account_id) where p.month = $month and list_contains($entry_types, p.entry_type)")
    order = ["account_id", "entry_type"]
    for month in MONTHS:
        for kinds in (LOSS_ENTRY_TYPES, OVERDUE_CHARGE_TYPES):
            params = {"month": month, "entry_types": list(kinds)}
            found = frame(con, "read/month_postings_by_product", params).sort(order)
            assert_frame_equal(found, con.sql(definition, params=params).pl().sort(order))
    march = {"month": MONTHS[-1]}
    assert frame(con, "read/month_postings_by_product", {**march, "entry_types": list(LOSS_ENTRY_TYPES)}).with_columns(
        pl.col("amount").cast(pl.String)).rows() == [("V", None, "recovery", "50.00")]
    assert frame(con, "read/month_postings_by_product", {**march, "entry_types": list(OVERDUE_CHARGE_TYPES)}).sort(
        order).with_columns(pl.col("amount").cast(pl.String)).rows() == [
        ("N", "revolving", "late_fee", "15.00"), ("N", "revolving", "penalty_interest", "3.00"),
        ("V", None, "late_fee", "15.00")]
