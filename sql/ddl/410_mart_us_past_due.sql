-- the us_ffiec past-due and nonaccrual table with the month's charge-offs and recoveries
create table if not exists mart.us_past_due (
    month date not null,
    product varchar not null,
    past_due_30_89_accounts bigint not null,
    past_due_30_89_balance decimal(18, 2) not null,
    past_due_90_accruing_accounts bigint not null,
    past_due_90_accruing_balance decimal(18, 2) not null,
    nonaccrual_accounts bigint not null,
    nonaccrual_balance decimal(18, 2) not null,
    gross_charge_offs decimal(18, 2) not null,
    recoveries decimal(18, 2) not null,
    net_charge_offs decimal(18, 2) not null
)
