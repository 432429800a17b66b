-- each month's reporting snapshot (its latest extract) from first_month to month, of the accounts
-- with ids in [low, high) (a null bound is open: both null is the whole book): the history the
-- early-warning signals and their outcomes are read from, only the columns they read (a year of
-- a large book is gigabytes, so it is taken in parts)
select a.month, a.account_id, a.product, a.status, a.fee_balance, a.total_balance,
       a.credit_limit, a.days_past_due, a.min_payment_due, a.bucket, a.cohort_month, a.mob, a.on_book
from core.account_month as a
join (
    select month, max(as_of_date) as as_of_date
    from core.account_month
    where month between $first_month and $month
    group by month
) as latest on latest.month = a.month and latest.as_of_date = a.as_of_date
where (a.account_id >= $low) is not false and (a.account_id < $high) is not false
