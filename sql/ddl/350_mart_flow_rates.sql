create table if not exists mart.flow_rates (
    month date not null,
    product varchar not null,
    from_bucket varchar not null,
    to_bucket varchar not null,
    from_balance decimal(18, 2),
    to_balance decimal(18, 2),
    flow_rate double
)
