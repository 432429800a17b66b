create or replace temp table reject_lines (line bigint)
