select account_id, month, entry_type, amount
from core.loss_postings
where month <= $month
