-- the as_of_date of the month's reporting snapshot (its latest extract); null when not loaded
select max(as_of_date)
from core.account_month
where month = $month
