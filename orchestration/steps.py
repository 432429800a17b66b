"""The names of the steps that compute a month (their Dagster asset keys as strings), apart from
the assets so that the loader and a render worker can name a step without importing Dagster: each
month's configuration is recorded, and read back, under these names."""

LEDGER = "core/ledger"
DELINQUENCY = "mart/delinquency"
VINTAGE = "mart/vintage"
ROLL_RATES = "mart/roll_rates"
CONCENTRATION = "mart/concentration"
ECL = "mart/ecl"
REGULATORY = "mart/regulatory"
OVERDUE_COST = "mart/overdue_cost"
EARLY_WARNING = "mart/early_warning"

# Every one of them records the configuration of each month it computes.
MONTH_STEPS = (LEDGER, DELINQUENCY, VINTAGE, ROLL_RATES, CONCENTRATION, ECL, REGULATORY, OVERDUE_COST, EARLY_WARNING)
