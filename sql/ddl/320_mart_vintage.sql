-- vintage cells per reporting month: observed cells, and projected ones (projected = true) up to
-- the horizon, where only ever30_rate and cum_net_loss_rate are filled
create table if not exists mart.vintage (
    month date not null,
    product varchar not null,
    segment_type varchar not null,
    segment varchar not null,
    cohort_month date not null,
    mob integer not null,
    projected boolean not null,
    cohort_accounts bigint not null,
    cohort_amount decimal(18, 2) not null,
    ever30_accounts bigint,
    ever60_accounts bigint,
    ever90_accounts bigint,
    ever30_rate double,
    ever60_rate double,
    ever90_rate double,
    ever30_amount_rate double,
    ever60_amount_rate double,
    ever90_amount_rate double,
    dq30_balance decimal(18, 2),
    dq30_balance_rate double,
    cum_gross_loss decimal(18, 2),
    cum_recovery decimal(18, 2),
    cum_net_loss decimal(18, 2),
    cum_net_loss_rate double
)
