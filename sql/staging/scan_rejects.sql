-- structural rejects of the latest scan (reject tables are temporary and accumulate)
select
    line,
    string_agg(distinct error_type::varchar, ', ') as error_types,
    any_value(csv_line) as csv_line,
    string_agg(distinct error_message, '; ') as error_message
from reject_errors
where scan_id = (select max(scan_id) from reject_scans)
group by line
order by line
