create table if not exists audit.vanished_accounts (
    month date not null,
    account_id varchar not null,
    product varchar,
    previous_status varchar not null,
    previous_balance decimal(18, 2) not null
)
