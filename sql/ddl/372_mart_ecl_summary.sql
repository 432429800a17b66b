-- allowance and coverage per product (and all) and stage ('1', '2', '3', 'all')
create table if not exists mart.ecl_summary (
    month date not null,
    product varchar not null,
    stage varchar not null,
    accounts bigint not null,
    balance decimal(18, 2) not null,
    ead double not null,
    ecl double not null,
    coverage double
)
