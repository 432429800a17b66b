select min(month) as month
from core.account_month
