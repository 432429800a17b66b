-- the month's watchlist counted by the action the lender could take (one action per account)
create table if not exists mart.early_warning_actions (
    month date not null,
    product varchar not null,
    action varchar not null,
    action_order integer not null,
    accounts bigint not null,
    exposure decimal(18, 2) not null
)
