-- the latest extract loaded before a month: postings of the month's first extract start after it
select max(as_of_date) as as_of_date
from audit.loads
where month < $month
