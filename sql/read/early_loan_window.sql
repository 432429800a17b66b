-- every account's reporting snapshots (latest extract of each month) from first_month to month
-- for the loan products at most max_mob months on book: what the cohort early-default shares
-- count, read whole when the rest of the early-warning history is taken in parts
select a.month, a.account_id, a.product, a.status, a.days_past_due, a.cohort_month, a.mob
from core.account_month as a
join (
    select month, max(as_of_date) as as_of_date
    from core.account_month
    where month between $first_month and $month
    group by month
) as latest on latest.month = a.month and latest.as_of_date = a.as_of_date
where list_contains($products, a.product) and a.mob <= $max_mob
