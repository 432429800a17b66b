-- one row per loaded file: rows_in_file = rows_loaded + rows_quarantined, always
create table if not exists audit.loads (
    month date not null,
    as_of_date date not null,
    extract varchar not null,
    file_name varchar not null,
    table_name varchar not null,
    file_format varchar not null,
    encoding varchar not null,
    sha256 varchar not null,
    bytes bigint not null,
    manifest_rows bigint not null,
    rows_in_file bigint not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    run_id varchar not null,
    loaded_at timestamp not null
)
