-- accounts still on book past the charge-off point, counted per product (the pack shows no account)
select product, policy_dpd, count(*) as accounts, sum(total_balance) as balance
from mart.past_charge_off_point
where month = $month
group by product, policy_dpd
order by product
