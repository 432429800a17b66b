select product, accounts_checked, accounts_with_break, break_amount
from audit.rollforward_summary
where month = $month
