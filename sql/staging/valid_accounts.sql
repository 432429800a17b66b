create or replace temp table valid_accounts as
select account_id
from incoming
where reason is null
