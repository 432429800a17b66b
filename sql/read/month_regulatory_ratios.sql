select *
from mart.regulatory_ratios
where month = $month
