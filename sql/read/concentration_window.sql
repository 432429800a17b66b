-- the concentration mart of the month and the month before (share changes)
select *
from mart.concentration
where month between $first_month and $month
