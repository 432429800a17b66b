select *
from mart.ecl_summary
where month = $month
