-- the model the month was scored with, one row (none before a model could be fitted)
select distinct model_id, fit_first_month, fit_last_month, fit_months, fit_accounts, fit_bads, fit_bad_rate,
       sklearn_version
from mart.early_warning_model
where month = $month
