-- extracts refused whole at the file level; nothing of them was loaded
create table if not exists audit.refused_extracts (
    extract varchar not null,
    file_name varchar,
    fault varchar not null,
    message varchar not null,
    run_id varchar not null,
    refused_at timestamp not null
)
