select *
from mart.ecl_account
where month = $month
