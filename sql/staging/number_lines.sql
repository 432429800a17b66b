-- line of each accepted row: its ordinal among accepted rows, plus the rejected records
-- before it, plus the header. a reject that is the n-th at record r sits after r - n
-- accepted rows, so an accepted row k follows every reject whose r - n < k.
create or replace temp table {raw_table} as
with rejected as (
    select line - 1 as record, row_number() over (order by line) as n
    from reject_lines
),
offsets as (
    select record - n as accepted_before, max(n) as rejects_before
    from rejected
    group by all
)
select
    r.* exclude (ordinal),
    r.ordinal + coalesce(o.rejects_before, 0) + 1 as line
from raw_read as r
asof left join offsets as o on r.ordinal > o.accepted_before
