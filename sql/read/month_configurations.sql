-- the configuration behind each step's figures of the month, with its text
select m.step, m.config_file, m.config_sha256, c.config_text
from audit.month_configuration as m
join audit.configurations as c using (config_sha256)
where m.month = $month
order by m.step
