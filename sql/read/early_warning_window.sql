select *
from mart.early_warning
where month between $first_month and $month
