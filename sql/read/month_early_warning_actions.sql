select *
from mart.early_warning_actions
where month = $month
