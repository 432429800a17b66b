select *
from mart.allowance_movement
where month = $month
