-- accounts still on book past the charge-off policy point (revolving 180 dpd, closed-end 120)
create table if not exists mart.past_charge_off_point (
    month date not null,
    account_id varchar not null,
    product varchar not null,
    days_past_due integer not null,
    policy_dpd integer not null,
    total_balance decimal(18, 2) not null
)
