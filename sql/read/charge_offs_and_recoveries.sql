-- every charge-off and recovery posting up to the month, with the account's product (its latest
-- dimension row): the recovery curve's input
select p.account_id, a.product, p.month, p.entry_type, p.amount
from core.postings as p
join (
    select account_id, product
    from core.accounts
    where month <= $month
    qualify row_number() over (partition by account_id order by month desc, as_of_date desc) = 1
) as a on a.account_id = p.account_id
where p.month <= $month and p.entry_type in ('charge_off', 'recovery')
