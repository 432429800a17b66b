-- manifest control figures over all data rows that parse: count, and the sum of one column
select count(*) as rows_read, sum(try_cast({column} as decimal(38, 6))) as total
from {raw_table}
