create table if not exists mart.markov_projection (
    month date not null,
    product varchar not null,
    step integer not null,
    state varchar not null,
    accounts double not null,
    balance double not null
)
