-- how often each signal fires on the watchlist and on the rest of the scored book
with fired as (
    select watchlist,
           unnest(['high_utilisation', 'utilisation_jump', 'min_payments', 'recent_cure', 'fees_growing',
                   'recent_freeze', 'cohort_early_default']) as signal,
           unnest([high_utilisation, utilisation_jump, min_payments, recent_cure, fees_growing, recent_freeze,
                   cohort_early_default]) as fired
    from mart.early_warning
    where month = $month and score is not null
)
select signal,
       count(*) filter (where watchlist and fired) as watchlist_accounts,
       avg(fired::integer) filter (where watchlist) as watchlist_share,
       avg(fired::integer) filter (where not watchlist) as rest_share
from fired
group by signal
order by signal
