-- the overdue "snowball" per product and bucket (methodology §7)
create table if not exists mart.overdue_cost (
    month date not null,
    product varchar not null,
    bucket varchar not null,
    bucket_order integer not null,
    accounts bigint not null,
    total_balance decimal(18, 2) not null,
    penalty_interest decimal(18, 2) not null,
    late_fees decimal(18, 2) not null,
    fee_balance decimal(18, 2) not null,
    fee_share double,
    fees_over_10pct_principal bigint not null,
    freezes bigint not null,
    cures bigint not null
)
