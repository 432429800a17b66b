-- the ecl controls the ecl asset recorded for the months a check covers
select month, check_name, severity, passed, failures, detail
from mart.ecl_checks
where list_contains($months, month)
order by month, check_name
