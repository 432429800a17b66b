alter table {raw_table} add column {column} varchar
