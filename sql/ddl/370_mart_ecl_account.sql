-- one row per on-book account: its stage and the rule that set it, and the ecl inputs
-- (methodology §5); amounts are double (products of rates), stage 3 ecl = lgd × ead
create table if not exists mart.ecl_account (
    month date not null,
    account_id varchar not null,
    product varchar not null,
    stage integer not null,
    stage_reason varchar not null,
    bucket varchar not null,
    total_balance decimal(18, 2) not null,
    ead double not null,
    life_months integer not null,
    pd_12m double not null,
    pd_lifetime double not null,
    lgd double not null,
    ecl double not null
)
