-- npl ratio, provision coverage and loan provision ratio against the configured minimums
create table if not exists mart.regulatory_ratios (
    month date not null,
    regime varchar not null,
    product varchar not null,
    on_book_balance decimal(18, 2) not null,
    npl_balance decimal(18, 2) not null,
    npl_ratio double,
    allowance double,
    provision_coverage double,
    provision_coverage_min double not null,
    provision_coverage_breach boolean,
    loan_provision_ratio double,
    loan_provision_ratio_min double not null,
    loan_provision_ratio_breach boolean
)
