select *
from mart.roll_rates_pooled
where month = $month
