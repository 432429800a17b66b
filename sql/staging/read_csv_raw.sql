-- the file as text, in file order: every column varchar so a typing fault becomes a clear
-- quarantine reason, and structural faults land in reject_errors with their line
create or replace temp table raw_read as
select ordinality as ordinal, *
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
