-- every charge-off and recovery posting up to the month, with the account's product (its latest
-- dimension row): the recovery curve's input. An account in the month's own latest extract takes
-- that row; only the others (vanished since) are ranked over the history, so the month no longer
-- scans every earlier month's accounts file.
with flows as (
    select account_id, month, entry_type, amount
    from core.loss_postings
    where month <= $month
),
this_month as (
    select account_id, product
    from core.accounts
    where month = $month
      and as_of_date = (select max(as_of_date) from core.accounts where month = $month)
),
elsewhere as (
    select distinct account_id from flows anti join this_month using (account_id)
),
products as (
    select t.account_id, t.product
    from this_month as t
    semi join flows using (account_id)
    union all
    select a.account_id, a.product
    from core.accounts as a
    semi join elsewhere using (account_id)
    where a.month <= $month
    qualify row_number() over (partition by a.account_id order by a.month desc, a.as_of_date desc) = 1
)
select f.account_id, p.product, f.month, f.entry_type, f.amount
from flows as f
join products as p on p.account_id = f.account_id
