-- the account dimension of a month's latest extract: the terms ecl needs (apr, term) and the
-- segments of the concentration mart (risk grade, region)
select account_id, apr, term_months, risk_grade, region
from core.accounts
where month = $month
  and as_of_date = (select max(as_of_date) from core.accounts where month = $month)
