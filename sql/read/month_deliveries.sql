-- what was already sent of a month's pack (a second send needs the force tag)
select message_id, recipients, sent_at
from audit.deliveries
where month = $month and pack = $pack
order by sent_at
