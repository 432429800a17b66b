-- the month's back-test by band, with the score bands its scored month was scored with: the bands
-- are named by the cuts that made them
select b.*, s.band_cut_b, s.band_cut_c, s.band_cut_d, s.band_cut_e, s.watchlist_band_index
from mart.early_warning_bands as b
left join mart.early_warning_scored_with as s on s.month = b.scored_month
where b.month = $month
