-- the model's intercept and coefficients for the month
select name, value
from mart.early_warning_model
where month = $month and kind in ('intercept', 'coefficient')
