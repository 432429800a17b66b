-- in reporting month m, the feature patterns of m − horizon with the outcome now known: accounts
-- and bads per distinct pattern, what the next fits whose window holds m − horizon are fitted on
create table if not exists mart.early_warning_patterns (
    month date not null,
    scored_month date not null,
    horizon integer not null,
    bad_dpd integer not null,
    high_utilisation boolean not null,
    utilisation_jump boolean not null,
    min_payments boolean not null,
    recent_cure boolean not null,
    fees_growing boolean not null,
    recent_freeze boolean not null,
    cohort_early_default boolean not null,
    delinquent_now boolean not null,
    months_delinquent_6m integer not null,
    was_30_plus_6m boolean not null,
    accounts bigint not null,
    bads bigint not null
)
