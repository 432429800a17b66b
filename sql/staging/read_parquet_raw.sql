-- parquet rows as text, so the same validation statements type and check every format; line
-- counts as in a csv file, the header being line 1
create or replace temp table {raw_table} as
select columns(* exclude (file_row_number))::varchar, file_row_number + 2 as line
from read_parquet($path, file_row_number = true)
