-- per month: extracts and files loaded, and files whose counts do not reconcile to the manifest
select
    month,
    count(distinct as_of_date) as extracts,
    count(*) as files,
    count(*) filter (where rows_in_file <> manifest_rows or rows_in_file <> rows_loaded + rows_quarantined) as unreconciled_files
from audit.loads
where list_contains($months, month)
group by month
order by month
