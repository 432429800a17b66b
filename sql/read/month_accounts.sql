-- the account dimension of a month's latest extract: the terms ecl needs (apr, term)
select account_id, apr, term_months
from core.accounts
where month = $month
  and as_of_date = (select max(as_of_date) from core.accounts where month = $month)
