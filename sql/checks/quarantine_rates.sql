select
    month,
    file_name,
    rows_in_file,
    rows_quarantined,
    rows_quarantined / greatest(rows_in_file, 1) as quarantine_rate
from audit.loads
where list_contains($months, month)
order by quarantine_rate desc, month, file_name
