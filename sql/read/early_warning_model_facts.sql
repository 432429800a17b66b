-- the model the month was scored with, one row (none before a model could be fitted), with the
-- watchlist band it was scored with (its index in a…e)
select model_id, fit_first_month, fit_last_month, fit_months, fit_accounts, fit_bads, fit_bad_rate,
       sklearn_version,
       max(value) filter (where kind = 'setting' and name = 'watchlist_band') as watchlist_band_index
from mart.early_warning_model
where month = $month
group by all
