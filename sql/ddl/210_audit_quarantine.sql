create table if not exists audit.quarantine (
    month date not null,
    as_of_date date not null,
    file_name varchar not null,
    line bigint not null,
    raw_text varchar,
    reason varchar not null,
    run_id varchar not null
)
