-- quarantined rows of a month per file and rule, with the values (ids among them) left out:
-- every reason reads "<column>: <rule>[ — <values>]"
select
    file_name,
    regexp_replace(reason, ' — [^;]*', '', 'g') as reason,
    count(*) as rows
from audit.quarantine
where month = $month
group by all
order by file_name, rows desc, reason
