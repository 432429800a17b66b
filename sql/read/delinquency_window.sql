select *
from mart.delinquency
where month between $first_month and $month
order by month, product
