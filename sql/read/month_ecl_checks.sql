select *
from mart.ecl_checks
where month = $month
