-- repayments per account and month from first_month to month: the only postings the early-warning
-- signals read (the minimum-payment run), so the other entry types are not carried out of the warehouse
select month, account_id, entry_type, sum(amount) as amount
from core.postings
where month between $first_month and $month and entry_type = 'repayment'
group by all
