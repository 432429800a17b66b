-- each month's reporting snapshot (its latest extract) from first_month to month: the history the
-- early-warning signals and their outcomes are read from
select a.month, a.account_id, a.product, a.status, a.principal_balance, a.fee_balance, a.total_balance,
       a.credit_limit, a.days_past_due, a.min_payment_due, a.bucket, a.cohort_month, a.mob, a.on_book
from core.account_month as a
join (
    select month, max(as_of_date) as as_of_date
    from core.account_month
    where month between $first_month and $month
    group by month
) as latest on latest.month = a.month and latest.as_of_date = a.as_of_date
