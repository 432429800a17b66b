create table if not exists mart.vintage_lifetime (
    month date not null,
    product varchar not null,
    segment_type varchar not null,
    segment varchar not null,
    cohort_month date not null,
    cohort_accounts bigint not null,
    cohort_amount decimal(18, 2) not null,
    observed_mob integer not null,
    observed_cum_net_loss_rate double,
    lifetime_cum_net_loss_rate double,
    horizon integer not null,
    method varchar not null
)
