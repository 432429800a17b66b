-- parquet rows as text, so the same validation statements type and check every format
create or replace temp table raw_read as
select file_row_number + 1 as ordinal, columns(* exclude (file_row_number))::varchar
from read_parquet($path, file_row_number = true)
