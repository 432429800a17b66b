select *
from mart.roll_rate_summary
where month between $first_month and $month
order by month, product
