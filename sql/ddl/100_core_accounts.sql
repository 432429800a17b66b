-- every account row of every loaded extract; the dimension is the month's latest extract
create table if not exists core.accounts (
    month date not null,
    as_of_date date not null,
    account_id varchar not null,
    customer_id varchar not null,
    product varchar not null,
    open_date date not null,
    original_amount decimal(18, 2) not null,
    term_months integer,
    apr decimal(9, 6) not null,
    risk_grade varchar not null,
    channel varchar,
    region varchar,
    currency varchar not null
)
