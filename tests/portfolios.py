"""Small consistent portfolios written with the ledger builder, for tests above the loader."""

from datetime import date, timedelta
from pathlib import Path

from tests.ledger_builder import Extract, account, posting, snapshot


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def three_clean_months(landing: Path, first: date = date(2024, 1, 1), last_as_of_day: int | None = None) -> list[date]:
    """Three month-end extracts whose balances follow from the postings to the cent.

    R1 borrows 1000 and repays 100 a month; R2 borrows 500 and stops paying (DPD 0, 31, 62);
    I1 opens in the second month. last_as_of_day makes the third extract month-to-date (as of
    that day, after the postings of the 10th) instead of month-end.
    """
    months = [first, date(first.year + (first.month == 12), first.month % 12 + 1, 1)]
    months.append(date(months[1].year + (months[1].month == 12), months[1].month % 12 + 1, 1))
    accounts = [account("R1", open_date=first.isoformat()), account("R2", open_date=first.isoformat())]
    balances = {"R1": 0, "R2": 0}
    pid = 0
    for i, month in enumerate(months):
        as_of = (month.replace(day=last_as_of_day) if i == 2 and last_as_of_day else month_end(month)).isoformat()
        day = month.replace(day=10).isoformat()
        postings = []
        if i == 0:
            postings += [posting("P0", "R1", day, "disbursement", "1000.00"),
                         posting("P1", "R2", day, "disbursement", "500.00")]
            balances = {"R1": 1000, "R2": 500}
        else:
            pid += 10
            postings.append(posting(f"P{pid}", "R1", day, "repayment", "100.00"))
            balances["R1"] -= 100
        if i == 1:
            accounts.append(account("I1", "installment", open_date=month.replace(day=5).isoformat()))
            postings.append(posting("P99", "I1", day, "disbursement", "600.00"))
            balances["I1"] = 600
        rows = [snapshot(as_of, "R1", f"{balances['R1']}.00"),
                snapshot(as_of, "R2", f"{balances['R2']}.00", dpd=[0, 31, 62][i],
                         status="active" if i == 0 else "frozen")]
        if "I1" in balances:
            rows.append(snapshot(as_of, "I1", f"{balances['I1']}.00", limit="0.00"))
        Extract(as_of, list(accounts), rows, postings).write(landing)
    return months
