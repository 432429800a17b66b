create table if not exists mart.delinquency_by_state (
    month date not null,
    product varchar not null,
    state varchar not null,
    state_order integer not null,
    accounts bigint not null,
    balance decimal(18, 2) not null
)
