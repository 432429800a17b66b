-- product and apr of every account charged off up to the month (its latest dimension row):
-- what lgd needs to group and discount its recoveries
select a.account_id, a.product, a.apr
from core.accounts as a
semi join (
    select account_id
    from core.postings
    where month <= $month and entry_type = 'charge_off'
) as c on c.account_id = a.account_id
where a.month <= $month
qualify row_number() over (partition by a.account_id order by a.month desc, a.as_of_date desc) = 1
