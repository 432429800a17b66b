delete from audit.month_configuration where month = $month and step = $step
