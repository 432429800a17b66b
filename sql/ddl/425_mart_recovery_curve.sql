-- recoveries as a share of the charged-off amount by charge-off month and months since charge-off
create table if not exists mart.recovery_curve (
    month date not null,
    product varchar not null,
    charge_off_month date not null,
    months_since integer not null,
    accounts bigint not null,
    charged_off_amount decimal(18, 2) not null,
    cumulative_recoveries decimal(18, 2) not null,
    recovery_rate double
)
