-- the configuration each step computed a month with, and the dagster run that did, one row per
-- month and step; replaced in the transaction that replaces the step's tables for the month, so
-- it always names the settings behind the figures in the warehouse.
create table if not exists audit.month_configuration (
    month date not null,
    step varchar not null,
    config_file varchar not null,
    config_sha256 varchar not null,
    run_id varchar not null
)
