-- the charge-off and recovery rows of core.postings, written with them by the load (the same
-- month replace): what lgd, vintage losses and the recovery curve read over the whole history, a
-- few thousand rows instead of every posting. created from core.postings, so a warehouse that
-- predates it gets its loaded months' rows once, the first time a writer opens it.
create table if not exists core.loss_postings as
select *
from core.postings
where entry_type in ('charge_off', 'recovery')
