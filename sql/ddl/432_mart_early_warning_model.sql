-- the model each month was scored with: fit window, coefficients, settings, library version
create table if not exists mart.early_warning_model (
    month date not null,
    model_id varchar not null,
    method_version varchar not null,
    sklearn_version varchar not null,
    fit_first_month date not null,
    fit_last_month date not null,
    fit_months integer not null,
    fit_accounts bigint not null,
    fit_bads bigint not null,
    fit_bad_rate double not null,
    kind varchar not null,
    name varchar not null,
    value double not null
)
