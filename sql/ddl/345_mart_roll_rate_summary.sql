create table if not exists mart.roll_rate_summary (
    month date not null,
    product varchar not null,
    from_state varchar not null,
    accounts bigint not null,
    balance decimal(18, 2) not null,
    cure_rate double,
    roll_forward_rate double,
    cure_balance_rate double,
    roll_forward_balance_rate double,
    impossible_moves bigint not null,
    missing_accounts bigint not null
)
