insert into audit.month_configuration (month, step, config_file, config_sha256, run_id)
values ($month, $step, $file, $sha256, $run_id)
