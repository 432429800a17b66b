-- the reporting snapshot of a month: the rows of its latest extract
select *
from core.account_month
where month = $month
  and as_of_date = (select max(as_of_date) from core.account_month where month = $month)
