select *
from mart.flow_rates
where month = $month
