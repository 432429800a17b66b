-- the month's postings of the given entry types, with their account's product: charge-offs and
-- recoveries (delinquency, flow rates, the us past-due table), penalty interest and late fees
-- (overdue cost). only those: the month's other postings are most of its rows
with wanted as (
    select account_id, entry_type, amount
    from core.postings
    where month = $month and list_contains($entry_types, entry_type)
)
select w.account_id, m.product, w.entry_type, w.amount
from wanted as w
left join (
    select distinct account_id, product
    from core.accounts
    where month = $month and account_id in (select account_id from wanted)
) as m on m.account_id = w.account_id
