-- the score bands each month was scored with, from its model's stored settings: the lower edges of
-- bands b–e and the watchlist band (its index in a…e); one row per month with a model. A view, so
-- the pack's reads spell the stored setting names in one place (like the tables: created once, never altered)
create view if not exists mart.early_warning_scored_with as
select month,
       max(value) filter (where name = 'band_cut_B') as band_cut_b,
       max(value) filter (where name = 'band_cut_C') as band_cut_c,
       max(value) filter (where name = 'band_cut_D') as band_cut_d,
       max(value) filter (where name = 'band_cut_E') as band_cut_e,
       max(value) filter (where name = 'watchlist_band') as watchlist_band_index
from mart.early_warning_model
where kind = 'setting'
group by month
