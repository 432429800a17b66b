select *
from mart.overdue_cost
where month = $month
