select *
from mart.us_past_due
where month = $month
