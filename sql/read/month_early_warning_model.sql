select *
from mart.early_warning_model
where month = $month
