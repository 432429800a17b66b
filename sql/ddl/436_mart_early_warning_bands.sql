-- the back-test by score band: bad rate and lift
create table if not exists mart.early_warning_bands (
    month date not null,
    scored_month date not null,
    band varchar not null,
    accounts bigint not null,
    bads bigint not null,
    bad_rate double,
    lift double,
    mean_score double,
    account_share double
)
