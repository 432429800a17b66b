-- the transition matrix pooled over the last months (counts summed, then row shares), with
-- wilson 95 % intervals per cell on the account rate
create table if not exists mart.roll_rates_pooled (
    month date not null,
    product varchar not null,
    window_months integer not null,
    from_state varchar not null,
    to_state varchar not null,
    accounts bigint not null,
    account_rate double,
    rate_low double,
    rate_high double,
    balance decimal(18, 2) not null,
    balance_rate double
)
