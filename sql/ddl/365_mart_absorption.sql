create table if not exists mart.absorption (
    month date not null,
    product varchar not null,
    from_state varchar not null,
    charged_off_probability double not null,
    closed_probability double not null
)
