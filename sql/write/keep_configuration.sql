insert into audit.configurations
select $sha256, $text
where not exists (select 1 from audit.configurations where config_sha256 = $sha256)
