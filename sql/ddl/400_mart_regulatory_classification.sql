-- the five-category classification of the regime in force (methodology §6), per product and all
create table if not exists mart.regulatory_classification (
    month date not null,
    regime varchar not null,
    product varchar not null,
    category varchar not null,
    category_order integer not null,
    accounts bigint not null,
    balance decimal(18, 2) not null,
    allowance double
)
