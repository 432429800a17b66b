select *
from audit.loads
where month = $month
order by as_of_date, file_name
