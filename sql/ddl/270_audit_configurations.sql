-- every configuration text a month was computed with, once per digest (sha-256 of the utf-8
-- text); only grows, so a month computed long ago can still be printed with its settings.
create table if not exists audit.configurations (
    config_sha256 varchar not null,
    config_text varchar not null
)
