-- reporting snapshots up to the month, only the rows that move a vintage measure:
-- dpd 30 or more, or charged off; with their month, so that a run reads them once for all its months
with snapshots as (
    select month, max(as_of_date) as as_of_date
    from core.account_month
    where month <= $month
    group by month
)
select m.month, m.account_id, m.mob, m.days_past_due, m.state, m.total_balance, m.receivable
from core.account_month as m
join snapshots as s on s.month = m.month and s.as_of_date = m.as_of_date
where m.days_past_due >= 30 or m.state = 'charged_off'
