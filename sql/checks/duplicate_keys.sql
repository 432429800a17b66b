-- keys that must be unique: an account once per extract, a posting once in the warehouse
select 'core.accounts (as_of_date, account_id)' as key, count(*) as duplicated_keys
from (
    select as_of_date, account_id from core.accounts
    where list_contains($months, month) group by all having count(*) > 1
)
union all
select 'core.account_month (as_of_date, account_id)', count(*)
from (
    select as_of_date, account_id from core.account_month
    where list_contains($months, month) group by all having count(*) > 1
)
union all
select 'core.postings (posting_id)', count(*)
from (
    select posting_id from core.postings
    where posting_id between (select min(posting_id) from core.postings where list_contains($months, month))
                         and (select max(posting_id) from core.postings where list_contains($months, month))
    group by all having count(*) > 1 and bool_or(list_contains($months, month))
)
