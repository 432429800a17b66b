select column_name
from (describe select * from read_parquet($path))
