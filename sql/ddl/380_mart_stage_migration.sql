-- accounts and balances by stage in m−1 → stage (or exit) in m
create table if not exists mart.stage_migration (
    month date not null,
    product varchar not null,
    from_stage varchar not null,
    to_stage varchar not null,
    accounts bigint not null,
    previous_balance decimal(18, 2) not null,
    current_balance decimal(18, 2) not null
)
