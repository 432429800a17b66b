-- repayments per account and month from first_month to month, of one part of the accounts (as in
-- account_month_window): the only postings the early-warning signals read (the minimum-payment
-- run), so the other entry types are not carried out of the warehouse
select month, account_id, entry_type, sum(amount) as amount
from core.postings
where month between $first_month and $month and entry_type = 'repayment'
  and (account_id >= $low) is not false and (account_id < $high) is not false
group by all
