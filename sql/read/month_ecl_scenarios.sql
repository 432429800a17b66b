select *
from mart.ecl_scenarios
where month = $month
