select *
from mart.ecl_summary
where month between $first_month and $month
