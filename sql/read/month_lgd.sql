select *
from mart.lgd
where month = $month
