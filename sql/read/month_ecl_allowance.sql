-- each on-book account's allowance of the month (empty while the month has no ecl)
select account_id, ecl
from mart.ecl_account
where month = $month
