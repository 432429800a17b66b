-- one row per account per extract snapshot, with the derived classification of methodology §1
create table if not exists core.account_month (
    month date not null,
    as_of_date date not null,
    account_id varchar not null,
    product varchar not null,
    status varchar not null,
    principal_balance decimal(18, 2) not null,
    interest_balance decimal(18, 2) not null,
    fee_balance decimal(18, 2) not null,
    total_balance decimal(18, 2) not null,
    credit_limit decimal(18, 2) not null,
    days_past_due integer not null,
    amount_past_due decimal(18, 2) not null,
    min_payment_due decimal(18, 2) not null,
    forbearance boolean not null,
    litigation boolean not null,
    cohort_month date not null,
    mob integer not null,
    bucket varchar not null,
    state varchar not null,
    on_book boolean not null,
    receivable boolean not null
)
