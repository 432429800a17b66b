-- cumulative and marginal pd by months ahead per product and non-default bucket, and where
-- each bucket's transition row came from (product, portfolio, assumed_roll_forward)
create table if not exists mart.pd_term_structure (
    month date not null,
    product varchar not null,
    bucket varchar not null,
    horizon integer not null,
    cumulative_pd double not null,
    marginal_pd double not null,
    row_source varchar not null,
    row_accounts bigint not null
)
