-- the stored feature patterns of the scored months first_month..month, counted with this outcome
-- (horizon and bad mark), leaving out those of the reporting months a run rewrites: each scored
-- month's patterns as month_patterns gives them (month is the scored month)
select scored_month as month, high_utilisation, utilisation_jump, min_payments, recent_cure, fees_growing,
       recent_freeze, cohort_early_default, delinquent_now, months_delinquent_6m, was_30_plus_6m, accounts, bads
from mart.early_warning_patterns
where scored_month between $first_month and $month
  and horizon = $horizon and bad_dpd = $bad_dpd
  and not list_contains($rewritten, month)
