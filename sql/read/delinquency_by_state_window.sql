select *
from mart.delinquency_by_state
where month between $first_month and $month
order by month, product, state_order
