-- the month's postings with the product of their account
select p.posting_id, p.account_id, a.product, p.posting_date, p.entry_type, p.amount
from core.postings as p
left join (
    select account_id, any_value(product) as product
    from core.accounts
    where month = $month
    group by account_id
) as a on a.account_id = p.account_id
where p.month = $month
