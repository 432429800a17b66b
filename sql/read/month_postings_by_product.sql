-- the month's postings with their account's product: charge-offs and recoveries of the
-- delinquency mart, charge-offs at the end of the flow-rate chain
select p.account_id, m.product, p.entry_type, p.amount
from core.postings as p
left join (
    select distinct account_id, product
    from core.accounts
    where month = $month
) as m on m.account_id = p.account_id
where p.month = $month
