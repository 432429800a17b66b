-- the account dimension as of the reporting month: its latest extract's full account list
select account_id, product, risk_grade, channel, date_trunc('month', open_date)::date as cohort_month, original_amount
from core.accounts
where as_of_date = (select max(as_of_date) from core.accounts where month <= $month)
