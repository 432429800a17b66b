select *
from mart.regulatory_classification
where month = $month
