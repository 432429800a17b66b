create table if not exists audit.rollforward_breaks (
    month date not null,
    account_id varchar not null,
    product varchar,
    opening_balance decimal(18, 2) not null,
    debits decimal(18, 2) not null,
    credits decimal(18, 2) not null,
    expected_closing decimal(18, 2) not null,
    closing_balance decimal(18, 2) not null,
    break_amount decimal(18, 2) not null
)
