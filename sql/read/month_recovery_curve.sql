select *
from mart.recovery_curve
where month = $month
