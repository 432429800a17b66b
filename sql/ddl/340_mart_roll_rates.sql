-- month-over-month transitions of the accounts on book in m−1, by count and by m−1 balance
create table if not exists mart.roll_rates (
    month date not null,
    product varchar not null,
    from_state varchar not null,
    to_state varchar not null,
    accounts bigint not null,
    balance decimal(18, 2) not null,
    account_rate double,
    balance_rate double
)
