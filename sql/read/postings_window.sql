-- postings per account, month and entry type from first_month to month
select month, account_id, entry_type, sum(amount) as amount
from core.postings
where month between $first_month and $month
group by all
