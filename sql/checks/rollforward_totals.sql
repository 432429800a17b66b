select month, accounts_checked, accounts_with_break, break_amount, gross_break_amount
from audit.rollforward_summary
where product = 'all' and list_contains($months, month)
order by month
