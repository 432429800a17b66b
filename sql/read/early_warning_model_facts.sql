-- the model the month was scored with, one row (none before a model could be fitted), with the
-- score bands it was scored with
select m.model_id, m.fit_first_month, m.fit_last_month, m.fit_months, m.fit_accounts, m.fit_bads, m.fit_bad_rate,
       m.sklearn_version, s.band_cut_b, s.band_cut_c, s.band_cut_d, s.band_cut_e, s.watchlist_band_index
from mart.early_warning_model as m
left join mart.early_warning_scored_with as s using (month)
where m.month = $month
group by all
