-- the file as text, in file order: every column varchar so a typing fault becomes a clear
-- quarantine reason, and structural faults land in reject_errors with their line. line is the
-- row's file line when no record was rejected (header, then one record per line); after a
-- reject, number_lines shifts the lines that follow it.
create or replace temp table {raw_table} as
select * exclude (ordinality), ordinality + 1 as line
from read_csv(
    $path,
    header = true,
    auto_detect = false,
    delim = ',',
    quote = '"',
    escape = '"',
    columns = $columns,
    store_rejects = true,
    parallel = false
) with ordinality
