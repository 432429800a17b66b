-- accounts in a month's reporting snapshot (its latest extract)
select count(*)
from core.account_month
where month = $month
  and as_of_date = (select max(as_of_date) from core.account_month where month = $month)
