-- accounts and exposure by product (and all) and score band of the month's scored population
select coalesce(product, 'all') as product, band, count(*) as accounts,
       sum(total_balance) as exposure
from mart.early_warning
where month = $month and score is not null
group by grouping sets ((product, band), (band))
order by product, band
