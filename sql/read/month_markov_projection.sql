select *
from mart.markov_projection
where month = $month
order by product, step
