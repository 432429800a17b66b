-- open dates as last loaded before this month: open_date is immutable across extracts
create or replace temp table known_accounts as
select account_id, open_date
from core.accounts
where as_of_date = (select max(as_of_date) from core.accounts where month < $month)
