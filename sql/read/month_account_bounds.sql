-- the account ids at the given fractions of a month's reporting snapshot (its latest extract), in
-- id order: the bounds of the parts a large book's early warning is taken in. Account data is
-- stored in id order within a month, so a range of ids reads only its own row groups.
select quantile_disc(account_id, $fractions)
from core.account_month
where month = $month
  and as_of_date = (select max(as_of_date) from core.account_month where month = $month)
