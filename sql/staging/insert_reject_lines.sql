insert into reject_lines select line from incoming
