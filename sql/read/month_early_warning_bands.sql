select *
from mart.early_warning_bands
where month = $month
