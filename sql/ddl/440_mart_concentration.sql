-- on-book balance by product, risk grade and region, with shares and 30+ rates
create table if not exists mart.concentration (
    month date not null,
    product varchar not null,
    dimension varchar not null,
    segment varchar not null,
    accounts bigint not null,
    balance decimal(18, 2) not null,
    balance_share double,
    dq30_balance decimal(18, 2) not null,
    dq30_rate double
)
