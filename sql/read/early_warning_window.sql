-- the stored early-warning rows the next months' score is fitted and back-tested on, of one part
-- of the accounts (as in account_month_window): the features and the score only
select month, account_id, high_utilisation, utilisation_jump, min_payments, recent_cure, fees_growing,
       recent_freeze, cohort_early_default, delinquent_now, months_delinquent_6m, was_30_plus_6m,
       score, band, watchlist
from mart.early_warning
where month between $first_month and $month
  and (account_id >= $low) is not false and (account_id < $high) is not false
