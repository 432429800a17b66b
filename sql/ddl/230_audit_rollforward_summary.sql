create table if not exists audit.rollforward_summary (
    month date not null,
    product varchar not null,
    accounts_checked bigint not null,
    accounts_with_break bigint not null,
    break_amount decimal(18, 2) not null,
    gross_break_amount decimal(18, 2) not null
)
