-- the model the month was scored with, one row (none before a model could be fitted), with the
-- score bands it was scored with: the lower edges of bands b–e and the watchlist band (its index in a…e)
select model_id, fit_first_month, fit_last_month, fit_months, fit_accounts, fit_bads, fit_bad_rate,
       sklearn_version,
       max(value) filter (where kind = 'setting' and name = 'band_cut_B') as band_cut_b,
       max(value) filter (where kind = 'setting' and name = 'band_cut_C') as band_cut_c,
       max(value) filter (where kind = 'setting' and name = 'band_cut_D') as band_cut_d,
       max(value) filter (where kind = 'setting' and name = 'band_cut_E') as band_cut_e,
       max(value) filter (where kind = 'setting' and name = 'watchlist_band') as watchlist_band_index
from mart.early_warning_model
where month = $month
group by all
