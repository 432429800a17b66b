-- the month's ecl controls (passed null: not evaluated, with the reason in detail)
create table if not exists mart.ecl_checks (
    month date not null,
    check_name varchar not null,
    severity varchar not null,
    passed boolean,
    failures bigint,
    detail varchar not null
)
