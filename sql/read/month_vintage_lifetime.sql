select *
from mart.vintage_lifetime
where month = $month
