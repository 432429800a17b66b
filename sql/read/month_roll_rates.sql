select *
from mart.roll_rates
where month = $month
