select *
from mart.roll_rates
where month between $first_month and $last_month
