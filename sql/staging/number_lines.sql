-- after structural rejects (incoming: their file lines), the line of each accepted row: as read
-- (its ordinal among accepted rows plus the header), plus the rejected records before it. a
-- reject that is the n-th at record r sits after r - n accepted rows, so accepted row k follows
-- every reject whose r - n < k.
create or replace temp table {raw_table} as
with rejected as (
    select line - 1 as record, row_number() over (order by line) as n
    from incoming
),
offsets as (
    select record - n as accepted_before, max(n) as rejects_before
    from rejected
    group by all
)
select
    r.* exclude (line),
    r.line + coalesce(o.rejects_before, 0) as line
from {raw_table} as r
asof left join offsets as o on r.line - 1 > o.accepted_before
