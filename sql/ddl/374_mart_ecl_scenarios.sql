-- the allowance under each configured scenario, and its weight in the reported ecl
create table if not exists mart.ecl_scenarios (
    month date not null,
    product varchar not null,
    scenario varchar not null,
    weight double not null,
    pd_multiplier double not null,
    ecl double not null
)
