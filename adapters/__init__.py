"""Adapters: third-party exports mapped onto the ledger extract contract.

Each adapter turns a foreign file into ordinary landing folders (`<landing>/<as_of_date>/` with
`manifest.json`, `accounts`, `account_months`, `postings`), so the loader, its checks and every
report treat it exactly like a core system's extract. Nothing downstream knows an adapter exists.
"""
