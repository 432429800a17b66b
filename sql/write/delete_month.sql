delete from {table} where month = $month
