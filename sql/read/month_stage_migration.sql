select *
from mart.stage_migration
where month = $month
