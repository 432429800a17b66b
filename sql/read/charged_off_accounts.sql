-- product and apr of every account charged off up to the month (its latest dimension row):
-- what lgd needs to group and discount its recoveries. An account in the month's own latest
-- extract takes that row; only the others (vanished since) are looked up in the history, so the
-- month no longer scans every earlier month's accounts file.
with charged as (
    select distinct account_id
    from core.loss_postings
    where month <= $month and entry_type = 'charge_off'
),
this_month as (
    select account_id, product, apr
    from core.accounts
    where month = $month
      and as_of_date = (select max(as_of_date) from core.accounts where month = $month)
),
elsewhere as (
    select account_id from charged anti join this_month using (account_id)
)
select t.account_id, t.product, t.apr
from this_month as t
semi join charged using (account_id)
union all
select a.account_id, a.product, a.apr
from core.accounts as a
semi join elsewhere using (account_id)
where a.month <= $month
qualify row_number() over (partition by a.account_id order by a.month desc, a.as_of_date desc) = 1
