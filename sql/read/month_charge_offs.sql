-- charge-offs of the month by product, the last link of the flow-rate chain
select m.product, p.amount
from core.postings as p
join (select distinct account_id, product from core.accounts where month = $month) as m on m.account_id = p.account_id
where p.month = $month and p.entry_type = 'charge_off'
