select count(*) as accounts
from audit.vanished_accounts
where month = $month
