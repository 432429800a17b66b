insert into {table} by name select * from incoming
