-- the month's back-test by band, with the score bands its scored month was scored with (the lower
-- edges of bands b–e and the watchlist band's index in a…e): the bands are named by the cuts that made them
with scored as (
    select month as scored_month,
           max(value) filter (where name = 'band_cut_B') as band_cut_b,
           max(value) filter (where name = 'band_cut_C') as band_cut_c,
           max(value) filter (where name = 'band_cut_D') as band_cut_d,
           max(value) filter (where name = 'band_cut_E') as band_cut_e,
           max(value) filter (where name = 'watchlist_band') as watchlist_band_index
    from mart.early_warning_model
    where kind = 'setting'
      and month in (select scored_month from mart.early_warning_bands where month = $month)
    group by month
)
select b.*, s.band_cut_b, s.band_cut_c, s.band_cut_d, s.band_cut_e, s.watchlist_band_index
from mart.early_warning_bands as b
left join scored as s using (scored_month)
where b.month = $month
