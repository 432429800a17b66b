select *
from mart.pd_term_structure
where month = $month
