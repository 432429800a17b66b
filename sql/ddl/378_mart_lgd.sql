-- lgd per product from discounted workout recoveries, or the configured fallback
create table if not exists mart.lgd (
    month date not null,
    product varchar not null,
    lgd double not null,
    source varchar not null,
    accounts_used bigint not null,
    charged_off_amount decimal(18, 2) not null,
    discounted_recoveries double not null
)
