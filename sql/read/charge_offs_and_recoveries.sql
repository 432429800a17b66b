-- every charge-off and recovery posting up to the month, with the account's product (its latest
-- dimension row): the recovery curve's input. The dimension rows are narrowed to the accounts with
-- such postings before they are ranked: the ranking then costs the charged-off book, not the history.
with flows as (
    select account_id, month, entry_type, amount
    from core.postings
    where month <= $month and entry_type in ('charge_off', 'recovery')
)
select f.account_id, a.product, f.month, f.entry_type, f.amount
from flows as f
join (
    select account_id, product
    from core.accounts
    where month <= $month and account_id in (select account_id from flows)
    qualify row_number() over (partition by account_id order by month desc, as_of_date desc) = 1
) as a on a.account_id = f.account_id
