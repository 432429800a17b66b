select account_id, month, entry_type, amount
from core.postings
where month <= $month and entry_type in ('charge_off', 'recovery')
