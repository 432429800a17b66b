select *
from mart.vintage
where month = $month
