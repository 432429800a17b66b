insert into audit.month_configuration (month, step, config_file, config_sha256)
values ($month, $step, $file, $sha256)
