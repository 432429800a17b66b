"""Display labels per locale: every word a pack prints comes from here, never from a template.

Keeping the words in one dictionary per locale means a new pack or a new locale is a matter
of filling a table, and a test can check that every key used exists in every locale.
Machine labels of states (`current`, `dpd_30_59`, `charged_off` …) are translated here too,
from their structure, so a change of bucket edges needs no new translation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LOCALES = ("en", "zh-CN")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        # packs and page furniture
        "pack.management": "Management pack",
        "page.prefix": "Page ",
        "page.middle": " of ",
        "page.suffix": "",
        "confidential": "Internal — for risk committee use",
        # cover and document control
        "cover.document_control": "Document control",
        "cover.pack": "Pack",
        "cover.month": "Reporting month",
        "cover.portfolio": "Portfolio",
        "cover.currency": "Currency",
        "cover.locale": "Language",
        "locale.name": "English",
        "cover.contents": "Contents",
        # sections
        "section.summary": "Executive summary",
        "section.kpis": "Key indicators",
        "section.delinquency": "Delinquency by bucket",
        "section.trend": "Trend",
        "section.data_quality": "Data quality and reconciliation",
        "section.appendix": "Appendix",
        "section.definitions": "Definitions",
        "section.parameters": "Parameters applied",
        "section.lineage": "Data lineage",
        # KPI table
        "kpi.indicator": "Indicator",
        "kpi.this_month": "This month",
        "kpi.prior_month": "Prior month",
        "kpi.change": "Change",
        "kpi.year_ago": "12 months ago",
        "kpi.receivable_balance": "Receivable balance",
        "kpi.accounts_on_book": "Accounts on book",
        "kpi.dq30_rate": "30+ delinquency rate (balance)",
        "kpi.dq90_rate": "90+ delinquency rate (balance)",
        "kpi.gross_charge_offs": "Gross charge-offs",
        "kpi.recoveries": "Recoveries",
        "kpi.nco_rate": "Net charge-off rate (annualised)",
        "kpi.note": "Changes of rates are in percentage points (pp); other changes are relative.",
        "na": "n/a",
        "pp": "pp",
        # products
        "product.all": "All products",
        "product.revolving": "Revolving",
        "product.installment": "Instalment",
        "product.cash_loan": "Cash loan",
        # delinquency tables and charts
        "table.state": "State",
        "table.accounts": "Accounts",
        "table.balance": "Balance",
        "table.share": "Share of on-book balance",
        "table.total_on_book": "Total on book",
        "table.product": "Product",
        "table.rates_by_product": "Delinquency rates by product",
        "table.dq30": "30+",
        "table.dq60": "60+",
        "table.dq90": "90+",
        "table.receivable_balance": "Receivable balance",
        "table.share_note": "Shares are of the on-book balance (all buckets); charged-off and closed "
                            "accounts are shown for completeness and carry no share.",
        "chart.rates_title": "Delinquency rates by month (balance based, all products)",
        "chart.balance_title": "Past-due on-book balance by bucket (all products)",
        "chart.rates_alt": "Line chart of the 30+, 60+ and 90+ delinquency rates by month.",
        "chart.balance_alt": "Stacked bar chart of the past-due on-book balance by delinquency bucket by month.",
        "chart.dq30": "30+ DPD",
        "chart.dq60": "60+ DPD",
        "chart.dq90": "90+ DPD",
        "chart.balance_axis_0": "Balance ({currency})",
        "chart.balance_axis_3": "Balance ({currency} thousand)",
        "chart.balance_axis_6": "Balance ({currency} million)",
        "chart.rate_axis": "Share of receivable balance",
        # data quality
        "dq.loads": "Files loaded",
        "dq.file": "File",
        "dq.table": "Table",
        "dq.as_of_date": "Extract date",
        "dq.format": "Format",
        "dq.rows_in_file": "Rows in file",
        "dq.rows_loaded": "Rows loaded",
        "dq.rows_quarantined": "Rows quarantined",
        "dq.quarantine": "Quarantine reasons",
        "dq.reason": "Reason",
        "dq.rows": "Rows",
        "dq.no_quarantine": "No row was quarantined this month.",
        "dq.no_loads": "No file was loaded for this month.",
        "dq.rollforward": "Roll-forward reconciliation (closing = opening + debits − credits)",
        "dq.accounts_checked": "Accounts checked",
        "dq.accounts_with_break": "Accounts with a break",
        "dq.break_amount": "Net break amount",
        "dq.no_rollforward": "No roll-forward check was run for this month.",
        "dq.vanished": "Vanished accounts (on book last month, absent from this month's extract)",
        "dq.vanished_none": "No account vanished between the prior month and this month.",
        "dq.vanished_unchecked": "Not checked this month: the prior month is not loaded.",
        "dq.vanished_some": "Accounts vanished between the prior month and this month: {count}. "
                            "This is a data error for the ledger owner to explain.",
        # appendix
        "appendix.parameter": "Parameter",
        "appendix.value": "Value",
        "appendix.item": "Item",
        "def.states": "An account-month's state is charged off or closed if its status says so, "
                      "otherwise the delinquency bucket of its days past due (DPD). Bucket edges are "
                      "configuration (see parameters below); charged off and closed are absorbing.",
        "def.on_book": "On book: status active or frozen. Receivable: on book with a positive total "
                       "balance (principal + interest + fees).",
        "def.dq_rates": "30+/60+/90+ delinquency rate: total balance of receivable accounts with DPD at "
                        "or above 30/60/90, divided by the total balance of receivable accounts. "
                        "Account-based rates use counts instead of balances.",
        "def.charge_offs": "Gross charge-offs and recoveries: the charge-off and recovery postings "
                           "dated in the month. Net charge-off rate (annualised) = (charge-offs − "
                           "recoveries) × 12 / average receivable balance of the prior and this month; "
                           "n/a when the prior month is not loaded.",
        "def.money": "Money is summed as exact decimals and rounded only for display.",
        # executive summary sentences
        "summary.first_month": "This is the first month on record: changes against the prior month "
                               "are not available.",
        "summary.dq30_moved": "30+ delinquency {direction} {change} to {value}{driver}.",
        "summary.dq30_flat": "30+ delinquency was unchanged at {value}.",
        "summary.dq90_moved": "90+ delinquency {direction} {change} to {value}.",
        "summary.driver": ", driven by {product} ({product_change})",
        "summary.roll_driver": "The roll-forward move that shifted the most balance: {state}, whose rate {direction} {change} to {value}.",
        "summary.receivable": "The receivable balance {direction} {change} to {value}, on {accounts} "
                              "accounts on book.",
        "summary.receivable_level": "The receivable balance is {value}, on {accounts} accounts on book.",
        "summary.nco": "Net charge-offs were {amount} (gross {gross}, recoveries {recoveries}), an "
                       "annualised rate of {rate}.",
        "summary.nco_no_rate": "Net charge-offs were {amount} (gross {gross}, recoveries {recoveries}).",
        "summary.data_clean_first": "Data quality: every file loaded in full ({files} in all), no roll-forward "
                                    "break (vanished accounts are checked from the second month loaded).",
        "summary.data_clean": "Data quality: every file loaded in full ({files} in all), no roll-forward "
                              "break, no vanished account.",
        "summary.data_issues": "Data quality needs attention: quarantined rows {quarantined}; accounts "
                               "with a roll-forward break {breaks}; vanished accounts {vanished}.",
        "rose": "rose",
        "fell": "fell",
        "grew": "grew",
        "shrank": "shrank",
        # vintage analysis
        "section.vintage": "Vintage analysis",
        "section.roll_rates": "Roll rates",
        "roll.none": "No transitions this month: the prior month is not loaded.",
        "roll.from_to": "From \\ to",
        "roll.matrix_accounts": "Transition matrix, share of accounts (all products; rows: state last month)",
        "roll.matrix_balance": "Transition matrix, share of last month's balance (all products)",
        "roll.matrix_note": "Rows sum to 100 %. Missing: on book last month, absent from this month's extract (a data error).",
        "roll.bucket_rates": "Cure and roll-forward rates by bucket",
        "roll.bucket": "Bucket last month",
        "roll.cure_rate": "Cure rate",
        "roll.roll_forward_rate": "Roll-forward rate",
        "roll.impossible_moves": "Moves of 2+ buckets",
        "roll.trend": "Roll-forward and cure rates, last 13 months (accounts, all products)",
        "roll.series_roll": "Roll-forward from {state}",
        "roll.series_cure": "Cure from {state}",
        "roll.rate_axis": "Share of accounts",
        "roll.trend_alt": "Line chart of roll-forward and cure rates by month.",
        "roll.flows": "Flow rates along the bucket chain (balances, all products)",
        "roll.flow_from": "From (last month)",
        "roll.flow_to": "To (this month)",
        "roll.flow_from_balance": "Balance last month",
        "roll.flow_to_balance": "Balance this month",
        "roll.flow_rate": "Flow rate",
        "roll.net_flow": "Net flow to loss (product of the chain)",
        "roll.projection": "Projected charge-offs (Markov chain on the pooled matrix)",
        "roll.projected_charge_offs": "Cumulative charged-off balance",
        "roll.projection_alt": "Bar chart of the balance projected to reach charge-off, month by month.",
        "roll.projection_note": "Today's on-book balance moved {months} months forward with the balance-weighted matrix pooled over the last months; bars are cumulative.",
        "roll.sentence_move": "The roll-forward rate of {state} {direction} {change} to {value}, the largest move of any bucket.",
        "roll.sentence_impossible": "{accounts} moved two or more buckets in one month (a data-quality signal).",
        # expected credit loss
        "section.expected_loss": "Expected credit loss",
        "ecl.unavailable": "Expected credit loss is not available for {month}: it is the first month loaded, so "
                           "there are no transitions before it from which to estimate probabilities of default.",
        "ecl.parameters": "ECL parameters",
        "ecl.parameters_note": "Every parameter applied is listed in the appendix.",
        "ecl.param.mode": "Measurement",
        "ecl.mode.ifrs9": "IFRS 9 (12-month ECL in stage 1, lifetime ECL in stages 2 and 3)",
        "ecl.mode.cecl": "CECL (lifetime ECL on every on-book account)",
        "ecl.param.scenario": "Scenario {name}",
        "ecl.param.scenario_value": "weight {weight}, PD multiplier {multiplier}",
        "ecl.allowance.ifrs9": "allowance",
        "ecl.allowance.cecl": "lifetime allowance (CECL)",
        "ecl.sentence_level": "The {allowance} is {amount}, {coverage} of the on-book balance.",
        "ecl.sentence_change": "The {allowance} is {amount}, {coverage} of the on-book balance; it {direction} by "
                               "{change} ({relative}) from {opening} at the start of the month.",
        "ecl.sentence_unchanged": "The {allowance} is {amount}, {coverage} of the on-book balance, unchanged from "
                                  "{opening} at the start of the month.",
        "ecl.sentence_largest": "The largest movement line, {line}, {direction} {amount}.",
        "ecl.added": "added",
        "ecl.released": "released",
        "ecl.sentence_stages": "Coverage by stage: stage 1 {s1}, stage 2 {s2}, stage 3 {s3}.",
        "ecl.sentence_controls_failed": "Controls not passed: {names}.",
        "ecl.list_separator": "; ",
        "ecl.coverage_title": "Allowance and coverage by product and stage",
        "ecl.stage.1": "Stage 1",
        "ecl.stage.2": "Stage 2",
        "ecl.stage.3": "Stage 3",
        "ecl.stage.all": "Total",
        "ecl.stage.new": "New",
        "ecl.stage.derecognised": "Derecognised",
        "ecl.stage.written_off": "Written off",
        "ecl.stage.missing": "Missing",
        "ecl.balance": "Balance",
        "ecl.ecl": "ECL",
        "ecl.coverage": "Coverage",
        "ecl.amounts_note": "Balance and ECL in {currency}, rounded to whole units; coverage = ECL / balance. "
                            "–: no balance in the stage.",
        "ecl.note.ifrs9": "IFRS 9: stage 1 (performing) carries a 12-month ECL; stage 2 (DPD ≥ 30, forbearance or "
                          "a frozen line: a significant increase in credit risk) a lifetime ECL; stage 3 (default "
                          "or litigation) LGD × EAD.",
        "ecl.note.cecl": "CECL: one lifetime allowance on every on-book account, with no allowance on "
                         "unconditionally cancellable undrawn lines. The stages are the IFRS 9 rules applied for "
                         "comparison only: they do not set the measurement horizon.",
        "ecl.trend": "Allowance and coverage, last 13 months (all products)",
        "ecl.trend_allowance": "Allowance",
        "ecl.trend_coverage": "Coverage (right axis)",
        "ecl.trend_alt": "Bar chart of the allowance by month, with its coverage of the on-book balance as a line.",
        "ecl.allowance_axis_0": "Allowance ({currency})",
        "ecl.allowance_axis_3": "Allowance ({currency} thousand)",
        "ecl.allowance_axis_6": "Allowance ({currency} million)",
        "ecl.coverage_axis": "Coverage",
        "ecl.migration": "Stage migration (accounts, all products; rows: stage last month)",
        "ecl.migration_note": "New: no allowance last month (opened, or not on book). Derecognised: closed this "
                              "month; written off: charged off this month; missing: absent from this month's "
                              "extract (a data error). Shading: share of the row.",
        "ecl.no_migration": "No stage migration this month: the prior month has no staging.",
        "ecl.movement": "Allowance movement",
        "ecl.waterfall_title": "From the opening to the closing allowance (all stages, all products)",
        "ecl.waterfall_alt": "Waterfall chart of the allowance from its opening to its closing amount, one bar "
                             "per movement line.",
        "ecl.movement_table": "Allowance movement by stage (all products, {currency})",
        "ecl.line_header": "Line",
        "ecl.line.opening": "Opening",
        "ecl.line.new_accounts": "New accounts",
        "ecl.line.derecognised": "Derecognised",
        "ecl.line.written_off": "Written off",
        "ecl.line.missing": "Missing",
        "ecl.line.transfers_in": "Transfers in",
        "ecl.line.transfers_out": "Transfers out",
        "ecl.line.remeasurement": "Remeasurement",
        "ecl.line.closing": "Closing",
        "ecl.movement_note": "Increases positive, releases negative; opening plus the lines equals closing. "
                             "Transfers move an account's opening allowance between stages, so they cancel in the "
                             "total. Remeasurement: the change in the allowance of accounts on book in both months.",
        "ecl.no_movement": "No allowance movement this month: the prior month has no ECL to start from.",
        "ecl.scenarios": "Scenarios (all products)",
        "ecl.scenario": "Scenario",
        "ecl.weight": "Weight",
        "ecl.pd_multiplier": "PD multiplier",
        "ecl.scenario_ecl": "ECL ({currency})",
        "ecl.weighted_ecl": "Weight × ECL",
        "ecl.weighted_total": "Probability-weighted ECL",
        "ecl.scenario_note": "Each scenario scales the marginal PDs by its multiplier (cumulative PD capped at "
                             "100 %); stage 3 ECL is the same in every scenario. The reported ECL is the "
                             "weighted sum.",
        "ecl.scenario.base": "Base",
        "ecl.scenario.upside": "Upside",
        "ecl.scenario.downside": "Downside",
        "ecl.scenario.severe": "Severe",
        "ecl.pd": "Probability of default by months ahead (all products)",
        "ecl.pd_alt": "Line chart of the cumulative probability of default by months ahead, one line per "
                      "delinquency bucket.",
        "ecl.pd_axis": "Cumulative PD",
        "ecl.horizon_axis": "Months ahead",
        "ecl.pd_12m_marker": "12 months",
        "ecl.pd_12m_table": "12-month PD by product and bucket",
        "ecl.source.portfolio": "† Portfolio: the product had fewer than the minimum accounts leaving this bucket "
                                "in the window, so the all-products row is used.",
        "ecl.source.assumed_roll_forward": "‡ Assumed roll forward: no evidence for this bucket, so accounts are "
                                           "prudently assumed to roll one bucket a month towards default.",
        "ecl.pd_note": "Default (DPD at or above the configured default, or charged off) is absorbing; the chain "
                       "is the roll-rate matrix pooled over the configured window.",
        "ecl.lgd": "Loss given default by product",
        "ecl.lgd_value": "LGD",
        "ecl.lgd_source": "Source",
        "ecl.lgd_source.empirical": "Empirical",
        "ecl.lgd_source.fallback": "Fallback (configured)",
        "ecl.accounts_used": "Accounts used",
        "ecl.charged_off_amount": "Charged off ({currency})",
        "ecl.discounted_recoveries": "Discounted recoveries ({currency})",
        "ecl.lgd_note": "Empirical: 1 − recoveries within the workout window, discounted at each account's rate, "
                        "over the charged-off amount of accounts whose window has elapsed. Fallback: the "
                        "configured LGD, while fewer than the configured minimum of such accounts exist.",
        "ecl.controls": "Controls",
        "ecl.check": "Check",
        "ecl.severity": "Severity",
        "ecl.result": "Result",
        "ecl.severity.blocking": "Blocking",
        "ecl.severity.warning": "Warning",
        "ecl.result.passed": "Passed",
        "ecl.result.failed": "Failed ({count})",
        "ecl.result.not_evaluated": "Not evaluated",
        "ecl.check.ecl_known": "Every on-book account has an ECL",
        "ecl.check.ecl_non_negative": "No negative ECL",
        "ecl.check.stage3_lgd_times_ead": "Stage 3 ECL = LGD × EAD",
        "ecl.check.movement_ties": "Movement ties: opening + lines = closing",
        "ecl.check.movement_closing_matches_ecl": "Closing allowance = Σ ECL per product and stage",
        "ecl.check.scenario_weights": "Scenario weights valid, summing to 1",
        "ecl.check.coverage_increasing": "Coverage rises from stage 1 to 2 to 3",
        "ecl.controls_note": "Failed (n): the number of accounts or rows failing the check.",
        "def.ecl": "Expected credit loss (IFRS 9 by default, CECL as an option). Stage 3: default (DPD at or "
                   "above the configured default) or litigation; stage 2: DPD ≥ 30, forbearance or a frozen line; "
                   "stage 1 otherwise; closed and charged-off accounts carry no allowance. PD: the roll-rate "
                   "Markov chain with default absorbing. LGD: 1 − discounted recoveries / charged-off amount, or "
                   "a configured fallback. EAD: the balance, plus the CCF share of the undrawn limit of active "
                   "revolving lines. ECL = Σ marginal PD × LGD × EAD, discounted, over 12 months (stage 1) or the "
                   "remaining life (stage 2; every stage under CECL); stage 3 = LGD × EAD; weighted over the "
                   "scenarios.",
        "vintage.curves": "Vintage curves",
        "vintage.no_data": "No vintage data for this month.",
        "vintage.chart.ever30_rate_title": "Ever-30+ rate by months on book (share of the cohort's accounts, all products)",
        "vintage.chart.cum_net_loss_rate_title": "Cumulative net loss rate by months on book (share of the cohort's "
                                                 "amount, all products)",
        "vintage.chart.mob_axis": "Months on book",
        "vintage.chart.ever30_rate_axis": "Ever 30+ DPD (accounts)",
        "vintage.chart.cum_net_loss_rate_axis": "Cum. net loss / amount",
        "vintage.chart.ever30_rate_alt": "Line chart of the ever-30+ rate of each cohort by months on book, "
                                         "observed solid and projected dashed.",
        "vintage.chart.cum_net_loss_rate_alt": "Line chart of the cumulative net loss rate of each cohort by months "
                                               "on book, observed solid and projected dashed.",
        "vintage.chart.older": "Older cohorts (lighter = older)",
        "vintage.chart.observed": "Observed",
        "vintage.chart.projected": "Projected",
        "vintage.chart_cohorts_all": "All cohorts; the last {recent} cohort months in colour. Solid: observed; "
                                     "dashed: projected by chain ladder.",
        "vintage.chart_cohorts_some": "Cohorts opened in the last {months} months, and one per quarter before "
                                      "(January, April, July, October cohorts); the last {recent} in colour. Solid: "
                                      "observed; dashed: projected by chain ladder.",
        "vintage.truncated_note": "Cohorts opened before the first month loaded start at their age in that month: "
                                  "their ever-rates and losses count from then on only, and read low.",
        "vintage.triangle.cum_net_loss_rate": "Cumulative net loss rate by cohort and months on book",
        "vintage.triangle.ever30_rate": "Ever-30+ rate by cohort and months on book",
        "vintage.cohort": "Cohort",
        "vintage.mob_header": "Months on book",
        "vintage.table_cohorts_all": "All cohorts, all products; the cohorts of the last {recent} months in bold.",
        "vintage.table_cohorts_some": "All products; cohorts opened in the last {months} months, and one per "
                                      "quarter before; the cohorts of the last {recent} months in bold.",
        "vintage.legend.observed": "observed",
        "vintage.legend.projected": "projected",
        "vintage.legend.unknown": "– projection undefined (no cohort has developed at that age yet; this cohort has none so far, and a chain ladder keeps a zero at zero; or the cohort is under {min_mob} months on book)",
        "vintage.legend.blank": "blank: no cell (before the first month loaded, or beyond the horizon)",
        "vintage.legend.scale": "shading from 0 (white) to {top} (darkest)",
        "vintage.lifetime": "Lifetime loss per cohort",
        "vintage.lifetime_chart_title": "Cumulative net loss rate at {horizon} months on book, every cohort "
                                        "(all products)",
        "vintage.chart.loss_to_date": "Observed to date",
        "vintage.chart.remainder": "Projected ({method})",
        "vintage.chart.lifetime_axis": "Net loss / cohort amount",
        "vintage.chart.lifetime_alt": "Bar chart of each cohort's cumulative net loss rate at the horizon: observed "
                                      "to date, and the projected remainder by method.",
        "vintage.lifetime_table_title": "Lifetime loss of the cohorts in the triangles",
        "vintage.amount": "Cohort amount ({currency})",
        "vintage.observed_mob": "Months on book",
        "vintage.loss_to_date": "Net loss to date",
        "vintage.lifetime_rate": "Lifetime (MOB {horizon})",
        "vintage.method": "Method",
        "vintage.method.observed": "Observed",
        "vintage.method.chain_ladder": "Chain ladder",
        "vintage.method.bornhuetter_ferguson": "Bornhuetter–Ferguson",
        "vintage.how.observed": "observed",
        "vintage.how.chain_ladder": "projected by chain ladder from {age} of history",
        "vintage.how.bornhuetter_ferguson": "projected by Bornhuetter–Ferguson from {age} of history",
        "vintage.method_note": "Observed: the cohort has reached the horizon. Chain ladder: the loss to date "
                               "developed with volume-weighted age-to-age factors. Bornhuetter–Ferguson: a cohort "
                               "with no loss yet (which the chain ladder leaves at zero or undefined) or under {min_mob} "
                               "months on book (too little of its own to develop); the "
                               "undeveloped share of the loss pattern is filled at the average lifetime rate of "
                               "the other cohorts. n/a: not projectable.",
        "vintage.by_segment": "Lifetime loss by risk grade and channel",
        "vintage.segment_type.risk_grade": "Risk grade",
        "vintage.segment_type.channel": "Channel",
        "vintage.grade": "Grade {grade}",
        "vintage.segment_none": "Not recorded",
        "vintage.cohorts": "Cohorts",
        "vintage.lifetime_avg": "Lifetime loss rate",
        "vintage.projected_share": "Share projected",
        "vintage.relative": "vs portfolio",
        "vintage.segment_note": "All products. Lifetime loss rates averaged over the cohorts that have one, weighted "
                                "by cohort amount; share projected: the part of that amount whose rate is projected "
                                "rather than observed; vs portfolio: the segment's rate over the whole portfolio's.",
        "vintage.worse_than_average": "Cohorts of the last {count} months running above the average ever-30+ rate "
                                      "of earlier cohorts at the same age: {items}.",
        "vintage.gap_item": "{cohort} ({rate} at {age} on book, {gap} above the average {benchmark})",
        "unit.month": "{count} month",
        "unit.months": "{count} months",
        "unit.account": "{count} account",
        "unit.accounts": "{count} accounts",
        "vintage.list_separator": "; ",
        "vintage.none_worse": "No cohort of the last {count} months runs above the average ever-30+ rate of "
                              "earlier cohorts at the same age.",
        "vintage.highest_lifetime": "The highest lifetime net loss rate is the {cohort} cohort's: {rate} at "
                                    "{horizon} months on book ({method}), against an amount-weighted average of "
                                    "{average} over all cohorts.",
        "vintage.no_lifetime": "No cohort's lifetime loss can be projected yet.",
        "def.vintage": "Vintage: a cohort is the accounts opened in one month; months on book (MOB) count from "
                       "the opening month (MOB 0). Cohort size and amount are fixed at opening. Ever-30+ rate: "
                       "share of the cohort's accounts that were 30+ DPD at least once, or charged off, by that "
                       "MOB. Cumulative net loss rate: charge-offs less recoveries up to that MOB over the cohort's "
                       "original amount. Immature cohorts are projected by chain ladder (volume-weighted "
                       "age-to-age factors) up to the horizon, from {min_mob} months on book, a projected ever-30+ "
                       "rate at most 100 %; projected figures are marked as such.",
        # charge-off charts shared by the packs
        "chart.nco_rate": "Net charge-off rate (right axis)",
        "chart.nco_axis": "Net charge-off rate (annualised)",
        "chart.amount_axis_0": "Amount ({currency})",
        "chart.amount_axis_3": "Amount ({currency} thousand)",
        "chart.amount_axis_6": "Amount ({currency} million)",
        "chart.charge_offs_alt": "Bar chart of gross charge-offs and recoveries by month, with the annualised net "
                                 "charge-off rate as a line.",
        # charge-offs, recoveries and overdue cost (management pack)
        "section.overdue": "Charge-offs, recoveries and overdue cost",
        "overdue.charge_offs": "Charge-offs and recoveries",
        "overdue.charge_offs_chart_title": "Gross charge-offs, recoveries and net charge-off rate, last 13 months "
                                           "(all products)",
        "overdue.month": "Month",
        "overdue.net_charge_offs": "Net charge-offs",
        "overdue.recovery": "Recovery curve",
        "overdue.recovery_chart_title": "Cumulative recoveries / charged-off amount by months since charge-off, "
                                        "the {count} latest charge-off cohorts (all products)",
        "overdue.cohort": "Charged off in",
        "overdue.months_since": "Months since",
        "overdue.charged_off_amount": "Charged off ({currency})",
        "overdue.recovered": "Recovered to date ({currency})",
        "overdue.recovery_rate": "Recovery rate",
        "overdue.recovery_note": "The {count} latest of {total} charge-off cohorts (those in the chart), as of this "
                                 "month. Recovery rate: cumulative recoveries since charge-off over the amount charged "
                                 "off. The average adds up, month by month since charge-off, that month's recoveries "
                                 "over the amount charged off of the cohorts observed that far (so it never falls "
                                 "as the oldest cohorts are left alone at its end).",
        "overdue.no_recovery": "No account has been charged off yet: there is no recovery curve.",
        "overdue.average_curve": "Average of all cohorts (amount-weighted)",
        "overdue.months_since_axis": "Months since charge-off",
        "overdue.recovery_axis": "Recovered / charged off",
        "overdue.recovery_alt": "Line chart of the cumulative recovery rate by months since charge-off, one line per "
                                "recent charge-off month, with the average of all cohorts dashed.",
        "overdue.cost": "Overdue cost and account actions",
        "overdue.snowball_title": "Penalty interest and late fees posted this month by bucket, and unpaid fees as a "
                                  "share of the balance (all products)",
        "overdue.penalty_interest": "Penalty interest",
        "overdue.late_fees": "Late fees",
        "overdue.fee_share_line": "Unpaid fees / balance (right axis)",
        "overdue.fee_share_axis": "Unpaid fees / balance",
        "overdue.bucket_axis": "Days past due",
        "overdue.snowball_alt": "Stacked bar chart of the penalty interest and late fees posted this month per "
                                "delinquency bucket, with unpaid fees as a share of each bucket's balance as a line.",
        "overdue.total_balance": "Total balance",
        "overdue.fee_balance": "Unpaid fees",
        "overdue.fee_share": "Fees / balance",
        "overdue.fees_over_10pct": "Fees > 10 % of principal",
        "overdue.freezes": "Frozen",
        "overdue.cures": "Cured",
        "overdue.total": "Total",
        "overdue.bucket_note": "All products; amounts in {currency}, whole units. Penalty interest and late fees: "
                               "posted this month. Unpaid fees: fee balance at month end. Fees > 10 % of principal: "
                               "accounts whose unpaid fees exceed 10 % of their principal. Frozen: accounts frozen "
                               "this month (active → frozen). Cured: accounts that cured this month.",
        "overdue.by_product": "Overdue cost and account actions by product",
        "overdue.product_note": "Amounts in {currency}, whole units; each product's buckets summed.",
        "overdue.no_cost": "No overdue cost figures for this month.",
        "overdue.sentence_snowball": "Penalty interest of {penalty} and late fees of {fees} were posted this month; "
                                     "unpaid fees are {top_share} of the balance in {bucket}, against {book_share} "
                                     "across the book.",
        "overdue.sentence_actions": "{over} with unpaid fees above 10 % of their principal; {freezes} frozen and "
                                    "{cures} cured this month.",
        "overdue.sentence_recovery": "The {cohort} charge-off cohort, the latest to reach {age} since "
                                     "charge-off, has recovered {rate} of the amount charged off, against {average} "
                                     "on the average curve of all cohorts.",
        "overdue.sentence_recovery_single": "The {cohort} charge-off cohort has recovered {rate} of the amount "
                                            "charged off after {age}.",
        "def.overdue": "Overdue cost: penalty interest and late fees posted in the month, per bucket of the account "
                       "at month end; unpaid fees as a share of the total balance; accounts whose unpaid fees exceed "
                       "10 % of principal; accounts frozen in the month (active → frozen) and cures. Recovery curve: "
                       "per charge-off month, cumulative recoveries over the charged-off amount by months since "
                       "charge-off.",
        # early warning (management pack)
        "section.early_warning": "Early warning",
        "ew.unavailable": "No early-warning score for {month} yet: the score is fitted only once enough past months "
                          "have a known three-month outcome (the settings are in the appendix).",
        "ew.band_range": "{first}–{last}",
        "ew.band_below": "{band} (< {high})",
        "ew.band_between": "{band} ({low}–{high})",
        "ew.band_above": "{band} (≥ {low})",
        "ew.watchlist_row": "Watchlist ({bands})",
        "ew.book_row": "Scored book (below 30 DPD)",
        "ew.share_row": "Watchlist share",
        "ew.signal.high_utilisation": "High utilisation",
        "ew.signal.utilisation_jump": "Utilisation jump",
        "ew.signal.min_payments": "Minimum payments only",
        "ew.signal.recent_cure": "Recently cured",
        "ew.signal.fees_growing": "Fees growing",
        "ew.signal.recent_freeze": "Recently frozen",
        "ew.signal.cohort_early_default": "Cohort defaults early",
        "ew.signal.delinquent_now": "Delinquent now (1–29 DPD)",
        "ew.signal.months_delinquent_6m": "Months delinquent in the last 6 (per month)",
        "ew.signal.was_30_plus_6m": "30+ DPD in the last 6 months",
        "ew.signal.intercept": "Intercept",
        "ew.backtest_total": "All scored accounts",
        "ew.fact.evaluated": "Scores evaluated",
        "ew.fact.evaluated_value": "scored in {scored}, outcome known in {month}",
        "ew.fact.accounts": "Accounts scored",
        "ew.fact.accounts_value": "{accounts}, of which {bads} went bad ({rate})",
        "ew.fact.auc": "AUC",
        "ew.fact.gini": "Gini",
        "ew.fact.gini_value": "{gini} (floor {floor})",
        "ew.fact.gini_below": "{gini}, below the floor of {floor}",
        "ew.fact.ks": "KS",
        "ew.fact.hit_rate": "Watchlist hit rate",
        "ew.fact.hit_rate_value": "{rate} ({bads} of {accounts})",
        "ew.fact.rest_rate": "Bad rate of the rest",
        "ew.fact.vs_rest": "Watchlist hit rate / rest",
        "ew.fact.capture": "Capture rate",
        "ew.chart.gini": "Gini",
        "ew.chart.floor": "Floor",
        "ew.chart.below": "Below the floor",
        "ew.chart.gini_axis": "Gini",
        "ew.chart.gini_alt": "Line chart of the back-test Gini by reporting month, with the floor as a dashed line "
                             "and the months below it marked.",
        "ew.chart.gini_title": "Back-test Gini by reporting month (the scores of three months earlier against their "
                               "outcome)",
        "ew.colon": ":",
        "ew.list_separator": ", ",
        "ew.action.call_now": "Call now",
        "ew.action.offer_instalments": "Offer instalments",
        "ew.action.reduce_line": "Reduce the line",
        "ew.action.review_cohort": "Review the cohort",
        "ew.action.monitor": "Monitor",
        "ew.action_meaning.call_now": "already 1–29 DPD: call before the account reaches 30.",
        "ew.action_meaning.offer_instalments": "paying little more than the minimum, or fees growing: offer an "
                                               "instalment plan.",
        "ew.action_meaning.reduce_line": "revolving line nearly full or filling fast: reduce or freeze the undrawn "
                                         "line.",
        "ew.action_meaning.review_cohort": "the loan's cohort defaults early: review the cohort's underwriting and "
                                           "contact early.",
        "ew.action_meaning.monitor": "flagged by the score alone: monitor and re-score next month.",
        "ew.cut": "{band} from {cut}",
        "ew.fact.band_cuts": "Band cuts (probability of 30+)",
        "ew.fact.watchlist": "Watchlist",
        "ew.fact.watchlist_value": "bands {bands}",
        "ew.fact.floor": "Gini floor",
        "ew.fact.model_id": "Model id",
        "ew.fact.window": "Fitted on",
        "ew.fact.window_value": "{first} – {last} ({months} months)",
        "ew.fact.fit_accounts": "Account-months fitted",
        "ew.fact.fit_accounts_value": "{accounts}, of which {bads} went bad ({rate})",
        "ew.fact.library": "Library",
        "ew.sentence_watchlist": "{accounts} on the watchlist (score bands {bands}), {share} of the "
                                 "{book} scored accounts below 30 DPD, with an exposure of {exposure} ("
                                 "{exposure_share} of the scored book's {book_exposure}).",
        "ew.sentence_no_watchlist": "No account is on the watchlist (score bands {bands}) this month; {book} "
                                    "accounts below 30 DPD were scored.",
        "ew.signal_item": "{name} ({watch} of the watchlist, {rest} of the rest)",
        "ew.sentence_signals": "The signals most over-represented on the watchlist are {items}.",
        "ew.sentence_signal": "The signal most over-represented on the watchlist is {items}.",
        "ew.and": " and ",
        "ew.sentence_no_signal": "No signal is more common on the watchlist than on the rest of the book: the "
                                 "watchlist rests on bucket history.",
        "ew.no_backtest": "No back-test yet: no scored month has reached the end of its three-month outcome window.",
        "ew.sentence_no_gini": "The latest back-test, of the scores of {scored}, has no Gini: every scored account "
                               "had the same outcome.",
        "ew.sentence_gini": "The latest back-test, of the scores of {scored} against the outcome now known, has a "
                            "Gini of {gini} against a floor of {floor}; {hit} of watchlist accounts reached 30+ DPD "
                            "or were charged off within three months, against {rest} of the rest.",
        "ew.sentence_gini_below": "Warning: the latest back-test, of the scores of {scored}, has a Gini of {gini}, "
                                  "below the floor of {floor}: the score separates the accounts going bad from the "
                                  "rest less well than required, so the model should be reviewed before the "
                                  "watchlist is relied on. {hit} of watchlist accounts went bad, against {rest} of "
                                  "the rest.",
        "ew.book_title": "Watchlist and scored book by score band and product",
        "ew.band_header": "Score band (probability of 30+)",
        "ew.exposure": "Exposure",
        "ew.book_note": "Accounts below 30 DPD scored this month; exposure: their total balance in {currency}, whole "
                        "units. The watchlist is bands {bands} (shaded). A band's probability is that of reaching "
                        "30+ DPD or charge-off within three months.",
        "ew.no_book": "No account was scored this month.",
        "ew.signals_title": "What puts accounts on the watchlist",
        "ew.signal_header": "Signal",
        "ew.watchlist_accounts": "Watchlist accounts with it",
        "ew.watchlist_share": "Share of watchlist",
        "ew.rest_share": "Share of the rest",
        "ew.coefficient": "Coefficient",
        "ew.odds": "Odds multiplier",
        "ew.history_header": "Bucket history (in the score, not signals)",
        "ew.signals_note": "Most over-represented on the watchlist first. The rest: scored accounts not on the "
                           "watchlist. Coefficients are this month's model's (log-odds per unit); the odds "
                           "multiplier, exp(coefficient), is how the odds of going 30+ change when the signal fires, "
                           "the others held equal. Each signal's thresholds are in the appendix.",
        "ew.backtest_title": "Back-test",
        "ew.backtest_bands": "Scores of {scored} by band, against their outcome known in {month}",
        "ew.account_share": "Share",
        "ew.bads": "Went bad",
        "ew.bad_rate": "Bad rate",
        "ew.mean_score": "Mean score (predicted)",
        "ew.lift": "Lift",
        "ew.bands_note": "Bad: reached 30+ DPD or was charged off within three months of scoring. Lift: the band's "
                         "bad rate over the month's. The mean score is the bad rate the model predicted; shaded "
                         "bands form the watchlist.",
        "ew.facts_note": "AUC: the chance that a bad account scored above a good one (0.5: no better than chance). "
                         "Gini = 2 × AUC − 1. KS: the largest gap between the shares of bad and good accounts scored "
                         "above a value. Hit rate: the watchlist's bad rate. Capture rate: the share of all bads "
                         "that were on the watchlist.",
        "ew.backtest_due": "The first back-test is due three months after the first scored month, when its outcome "
                           "is known.",
        "ew.trend_title": "Back-test by reporting month",
        "ew.reporting_month": "Reporting month",
        "ew.scored_month": "Scores of",
        "ew.hit_rate_short": "Watchlist hit rate",
        "ew.rest_rate_short": "Rest bad rate",
        "ew.capture_short": "Capture rate",
        "ew.trend_note": "Each reporting month evaluates the scores of three months earlier, whose outcome has just "
                         "become known. ▼: Gini below the floor in force.",
        "ew.actions_title": "Accounts flagged this month, by action",
        "ew.action_header": "Action",
        "ew.actions_total": "Watchlist",
        "ew.actions_note": "Counts and sums only: no account is listed. Each watchlist account is counted once, "
                           "under the first action above that applies; exposure in {currency}, whole units.",
        "ew.no_actions": "No account is on the watchlist this month.",
        "ew.model_title": "The model",
        "ew.model_note": "A logistic regression of going bad on the signals and the bucket history, fitted only on "
                         "months whose outcome is complete (nothing dated after the scoring month). Its "
                         "coefficients, fit window, settings and library version are stored under the model id, so "
                         "every score of the month can be explained and reproduced.",
        "def.early_warning": "Early warning: each month every on-book account below 30 DPD is scored with its "
                             "probability of reaching 30+ DPD or charge-off within the next three months, from "
                             "behaviour signals (high utilisation, a utilisation jump, minimum payments only, a "
                             "recent cure, growing fees, a recent freeze, an instalment or cash loan whose cohort "
                             "defaults early) and bucket history, by a logistic regression fitted only on past "
                             "months whose outcome is known. Bands A–E use fixed probability cuts; the watchlist is "
                             "the configured band and worse. Back-test: each month, the scores of three months "
                             "earlier against their outcome (AUC, Gini = 2·AUC − 1, KS, bad rate and lift by band); "
                             "a Gini below the configured floor is flagged.",
        # portfolio and concentration (management pack)
        "section.concentration": "Portfolio and concentration",
        "conc.by_product": "Balance by product",
        "conc.by_grade": "Balance and delinquency by risk grade",
        "conc.by_region": "Balance and delinquency by region",
        "conc.grade": "Risk grade",
        "conc.region": "Region",
        "conc.balance": "Balance ({currency})",
        "conc.share": "Share of balance",
        "conc.share_change": "Change in share",
        "conc.dq30_rate": "30+ rate",
        "conc.total": "Total",
        "conc.other_regions": "Other regions ({count})",
        "conc.region_none": "Region not recorded",
        "conc.grade_tick": "Grade {grade}",
        "conc.bar_label": "{share} of balance · 30+ rate {rate}",
        "conc.share_axis": "Share of the on-book balance (all products)",
        "conc.rate_axis": "30+ rate",
        "conc.grade_chart_title": "Balance share by risk grade, coloured by the 30+ delinquency rate (all products)",
        "conc.grade_chart_alt": "Horizontal bar chart of the share of the on-book balance in each risk grade, each bar "
                                "coloured by the grade's 30+ delinquency rate.",
        "conc.product_note": "All products; on-book balance in {currency}. Change in share: percentage points (pp) "
                             "against {month}.",
        "conc.grade_note": "Balance in {currency}. 30+ rate: the balance 30 or more days past due over the grade's "
                           "on-book balance.",
        "conc.region_note": "Region: the province of the account (6-digit administrative code). The {count} largest "
                            "regions by balance are listed, the others summed in one row; balance in {currency}.",
        "conc.region_note_all": "Region: the province of the account (6-digit administrative code); every region is "
                                "listed, largest balance first; balance in {currency}.",
        "conc.sentence_region": "{region} holds the largest share of the balance, {share} ({amount}); the {count} "
                                "largest regions together hold {top_share}.",
        "conc.sentence_region_all": "{region} holds the largest share of the balance, {share} ({amount}), of "
                                    "{count} regions.",
        "conc.sentence_grade": "Grade {grade} has the highest 30+ delinquency rate, {rate}, on {share} of the "
                               "balance.",
        "conc.sentence_grade_none": "No risk grade has any balance 30 or more days past due.",
        "conc.sentence_warning": "Concentration: {region} holds {share} of the balance, more than {limit}.",
        "conc.no_data": "No concentration figures for this month.",
        "def.concentration": "Concentration: the on-book balance at month end (all buckets) by product, risk grade "
                             "and region (province), each as a share of the on-book balance of all products; 30+ "
                             "rate: the balance 30 or more days past due over the segment's balance. A region "
                             "holding more than 25 % of the balance is called out.",
        "pack.regulatory": "Regulatory pack",
        "reg.confidential": "Confidential — supervisory reporting",
        "reg.regime": "Classification regime",
        "reg.regime_used": "Loans are classified under",
        "reg.colon": ": ",
        "sentence_gap": " ",  # between two sentences of one note
        "reg.regime_text": "{name}, regime {code}",
        "reg.regime_name.cn_2023": "Measures for the Risk Classification of Financial Assets of Commercial Banks "
                                   "(金融资产风险分类办法, 2023)",
        "reg.regime_name.cn_card_2011": "Measures for the Supervision and Administration of the Credit Card Business "
                                        "of Commercial Banks, Article 92 (信用卡业务监督管理办法 第九十二条, 2011)",
        "reg.section.key_figures": "Key figures",
        "reg.section.classification": "Loan classification and prudential ratios",
        "reg.section.past_due": "Past due, nonaccrual and charge-offs",
        "reg.section.ifrs9": "IFRS 9 stages and allowance movement",
        "reg.section.charge_off_point": "Accounts past the charge-off point",
        "reg.category": "Category",
        "reg.category.pass": "Pass",
        "reg.category.special_mention": "Special mention",
        "reg.category.substandard": "Substandard",
        "reg.category.doubtful": "Doubtful",
        "reg.category.loss": "Loss",
        "reg.category.npl": "Non-performing (NPL)",
        "reg.category.total": "Total",
        "reg.classification_title": "Five-category classification (all products)",
        "reg.classification_note": "Non-performing = substandard + doubtful + loss. Allowance: the IFRS 9 expected "
                                   "credit loss of the accounts in the category; n/a before the first ECL month.",
        "reg.balance_ccy": "Balance ({currency})",
        "reg.balance_share": "Share of balance",
        "reg.allowance_ccy": "Allowance ({currency})",
        "reg.by_product_title": "Classification by product (balance)",
        "reg.whole_units_note": "Balances in {currency}, whole units.",
        "reg.npl_ratio": "NPL ratio",
        "reg.npl_balance": "NPL balance",
        "reg.on_book_balance": "On-book balance",
        "reg.allowance": "Allowance",
        "reg.provision_coverage": "Provision coverage",
        "reg.loan_provision_ratio": "Loan provision ratio",
        "reg.value": "Ratio",
        "reg.minimum": "Minimum",
        "reg.status": "Status",
        "reg.status.met": "Met",
        "reg.status.breach": "BREACH",
        "reg.status.not_evaluated": "Not evaluated",
        "reg.ratios_title": "NPL ratio, provision coverage and loan provision ratio against the minimums",
        "reg.ratios_note": "Amounts in {currency}, whole units. Provision coverage = allowance / NPL balance; loan "
                           "provision ratio = allowance / on-book balance. BREACH: below the configured minimum; not "
                           "evaluated: no allowance yet, or no NPL balance.",
        "reg.pd.30_89": "Past due 30–89, accruing",
        "reg.pd.90_accruing": "Past due 90+, accruing",
        "reg.pd.nonaccrual": "Nonaccrual",
        "reg.past_due_title": "Past-due and nonaccrual loans",
        "reg.past_due_note": "Closed-end products stop accruing at 90 DPD; revolving accrues until charge-off.",
        "reg.net_charge_offs": "Net charge-offs",
        "reg.charge_offs_month_title": "Charge-offs and recoveries of {month} by product",
        "reg.charge_offs_trend_title": "Charge-offs and recoveries by month (all products)",
        "reg.charge_offs_chart_title": "Gross charge-offs, recoveries and net charge-off rate (all products)",
        "reg.amounts_note": "Amounts in {currency}.",
        "reg.month": "Month",
        "reg.stages_title": "IFRS 9 stages by product",
        "reg.stage": "Stage",
        "reg.ead": "EAD ({currency})",
        "reg.ecl": "ECL ({currency})",
        "reg.stages_note": "Coverage = ECL / balance. Stage 1: performing; stage 2: significant increase in credit "
                           "risk; stage 3: credit-impaired.",
        "reg.movement_title": "Allowance movement (all products)",
        "reg.movement_title_ccy": "Allowance movement (all products, {currency})",
        "reg.charge_off_point_title": "Accounts on book past the charge-off point",
        "reg.policy_dpd": "Policy charge-off DPD",
        "reg.charge_off_point_note": "Counts only: accounts still on book whose days past due exceed the product's "
                                     "charge-off policy point. A policy exception to be explained.",
        "reg.lineage_title": "Extract and run",
        "reg.run_id": "Run id",
        "reg.loads_note": "Rows in file = rows loaded + rows quarantined.",
        "reg.checksums_title": "File checksums",
        "reg.bytes": "Bytes",
        "reg.sha256": "SHA-256",
        "reg.attached_as": "Attached to the PDF as {name}.",
        "reg.sentence_npl": "Under the {regime}, non-performing loans are {npl}, {ratio} of the on-book balance of "
                            "{on_book}.",
        "reg.sentence_met": "{name} is {value}, at or above the minimum of {minimum}.",
        "reg.sentence_breach": "BREACH: {name} is {value}, below the minimum of {minimum}.",
        "reg.sentence_product_breach": "BREACH for {product}: {name} is {value}, below the minimum of {minimum}.",
        "reg.sentence_not_evaluated": "{name} is not evaluated this month (minimum {minimum}): no allowance or no "
                                      "non-performing balance.",
        "reg.sentence_no_ecl": "Expected credit loss is not available for this month: allowances and the ratios "
                               "built on them are not evaluated.",
        "reg.sentence_over_point": "Still on book past the charge-off point: {accounts}, with a balance of "
                                   "{balance}.",
        "reg.sentence_none_over_point": "No account is on book past the charge-off point.",
        "def.reg.classification": "Classification: every on-book account falls in one of five categories by days "
                                  "past due, with the ranges of the regime in force; non-performing (NPL) = "
                                  "substandard + doubtful + loss.",
        "def.reg.ratios": "NPL ratio = NPL balance / on-book balance. Provision coverage = allowance / NPL balance. "
                          "Loan provision ratio = allowance / on-book balance. Each is compared with its configured "
                          "minimum; a ratio below it is a breach.",
        "def.reg.us_past_due": "Past due 30–89 and 90+ still accruing, and nonaccrual: closed-end products stop "
                               "accruing at 90 DPD, revolving accrues until charge-off. Revolving is charged off at "
                               "180 DPD and closed-end products at 120 DPD.",
        "def.reg.charge_off_point": "Accounts past the charge-off point: on book with days past due above the "
                                    "product's policy point; listed as counts and balances, never account by "
                                    "account.",
        "def.reg.csv": "Each table of this document is attached to the PDF as a CSV file (UTF-8, comma separated, "
                       "a header of column names): products and categories as codes, amounts as stored (estimates such as "
                       "the allowance to the cent), ratios unrounded (as fractions, 0.025 = 2.5 %), dates as YYYY-MM-DD, breach flags true/false, empty "
                       "for n/a. A text cell beginning with =, +, -, or @ is prefixed with an apostrophe so that a "
                       "spreadsheet does not run it.",
        "reg.ranges.cn_2023": "Regime cn_2023 (金融资产风险分类办法, 2023), days past due: pass 0; special mention "
                              "1–90; substandard 91–270; doubtful 271–360; loss above 360.",
        "reg.ranges.cn_card_2011": "Regime cn_card_2011 (信用卡业务监督管理办法, Art. 92), days past due: pass 0; "
                                   "special mention 1–90; substandard 91–120; doubtful 121–180; loss above 180.",
        # states
        "state.current": "Current",
        "state.charged_off": "Charged off",
        "state.closed": "Closed",
        "state.bucket": "{lo}–{hi} DPD",
        "state.bucket_plus": "{lo}+ DPD",
        # the words of the parameters' values (orchestration.config's `parameters()`)
        "param.separator": "; ",
        "param.by_steps": "{value} ({steps})",
        "param.note.computed": "The configuration this month's figures were computed with: {file}, SHA-256 {digest}.",
        "param.note.changed": "The configuration this month's figures were computed with: {file}, SHA-256 {digest}. "
                              "The configuration in force now differs; the month keeps these settings until it is "
                              "run again (a backfill).",
        "param.note.mixed": "The month's steps were computed with {count} different configurations (each digest with "
                            "its steps under “configuration SHA-256”); where a setting differs, each value names "
                            "the steps computed with it. Running the month again computes every step with one.",
        "param.note.unreadable": "This month was computed with the configuration of SHA-256 {digest}, which this "
                                 "version of riskpack cannot read ({error}); shown instead is the configuration when "
                                 "this document was rendered.",
        "param.note.partial": "Only some of this month's steps have a record of the configuration they were "
                              "computed with: {steps} were computed before riskpack kept one. Shown are the "
                              "settings of the steps on record (each digest with its steps under “configuration "
                              "SHA-256”). "
                              "Running the month again records it for every step.",
        "param.note.also_unreadable": "{note} This version of riskpack cannot read the configuration used by "
                                      "{steps} ({error}), whose settings are therefore not shown.",
        "param.note.rendering": "The configuration when this document was rendered: the warehouse holds no record of "
                                "the configuration this month was computed with (it was computed before riskpack "
                                "kept one). Running the month again records it.",
        "param.all": "all",
        "param.none": "none",
        "param.default_dpd": "≥ {dpd} or charged off",
        "param.lgd_fallback": "{rate} (below {accounts} completed workouts)",
        "param.ccf": "{product} {rate}",
        "param.regime_from": "{regime} from {day}",
        "param.scenario": "{name} {weight} × {multiplier}",
        "param.ew_score": "fitted on {fit_months} months (at least {min_fit_months}), band cuts {cuts}, "
                          "watchlist band {band} and worse, Gini floor {floor}",
    },
    "zh-CN": {
        "pack.management": "管理层报告",
        "page.prefix": "第 ",
        "page.middle": " 页，共 ",
        "page.suffix": " 页",
        "confidential": "内部资料 — 仅供风险委员会使用",
        "cover.document_control": "文档控制",
        "cover.pack": "报告",
        "cover.month": "报告月份",
        "cover.portfolio": "资产组合",
        "cover.currency": "币种",
        "cover.locale": "语言",
        "locale.name": "简体中文",
        "cover.contents": "目录",
        "section.summary": "摘要",
        "section.kpis": "关键指标",
        "section.delinquency": "逾期分布",
        "section.trend": "趋势",
        "section.data_quality": "数据质量与核对",
        "section.appendix": "附录",
        "section.definitions": "定义",
        "section.parameters": "所用参数",
        "section.lineage": "数据血缘",
        "kpi.indicator": "指标",
        "kpi.this_month": "本月",
        "kpi.prior_month": "上月",
        "kpi.change": "变动",
        "kpi.year_ago": "去年同月",
        "kpi.receivable_balance": "应收余额",
        "kpi.accounts_on_book": "在册账户数",
        "kpi.dq30_rate": "30天以上逾期率（余额）",
        "kpi.dq90_rate": "90天以上逾期率（余额）",
        "kpi.gross_charge_offs": "核销总额",
        "kpi.recoveries": "回收金额",
        "kpi.nco_rate": "年化净核销率",
        "kpi.note": "比率的变动以百分点表示；其他指标的变动为相对变动。",
        "na": "不适用",
        "pp": "个百分点",
        "product.all": "全部产品",
        "product.revolving": "循环贷",
        "product.installment": "分期贷",
        "product.cash_loan": "现金贷",
        "table.state": "状态",
        "table.accounts": "账户数",
        "table.balance": "余额",
        "table.share": "占在册余额比例",
        "table.total_on_book": "在册合计",
        "table.product": "产品",
        "table.rates_by_product": "各产品逾期率",
        "table.dq30": "30+",
        "table.dq60": "60+",
        "table.dq90": "90+",
        "table.receivable_balance": "应收余额",
        "table.share_note": "比例以在册余额（全部逾期档）为分母；已核销和已结清账户仅列示，不计比例。",
        "chart.rates_title": "各月逾期率（按余额，全部产品）",
        "chart.balance_title": "各逾期档在册逾期余额（全部产品）",
        "chart.rates_alt": "30天、60天、90天以上逾期率的月度折线图。",
        "chart.balance_alt": "各逾期档在册逾期余额的月度堆积柱状图。",
        "chart.dq30": "30天以上",
        "chart.dq60": "60天以上",
        "chart.dq90": "90天以上",
        "chart.balance_axis_0": "余额（{currency}）",
        "chart.balance_axis_3": "余额（千{currency}）",
        "chart.balance_axis_6": "余额（百万{currency}）",
        "chart.rate_axis": "占应收余额比例",
        "dq.loads": "已加载文件",
        "dq.file": "文件",
        "dq.table": "数据表",
        "dq.as_of_date": "数据日期",
        "dq.format": "格式",
        "dq.rows_in_file": "文件行数",
        "dq.rows_loaded": "已加载行数",
        "dq.rows_quarantined": "隔离行数",
        "dq.quarantine": "隔离原因",
        "dq.reason": "原因",
        "dq.rows": "行数",
        "dq.no_quarantine": "本月没有隔离的数据行。",
        "dq.no_loads": "本月没有加载文件。",
        "dq.rollforward": "余额滚动核对（期末 = 期初 + 借方 − 贷方）",
        "dq.accounts_checked": "核对账户数",
        "dq.accounts_with_break": "差异账户数",
        "dq.break_amount": "净差异金额",
        "dq.no_rollforward": "本月未进行余额滚动核对。",
        "dq.vanished": "消失账户（上月在册、本月数据中缺失）",
        "dq.vanished_none": "上月至本月没有消失的账户。",
        "dq.vanished_unchecked": "本月未检查：上月数据未加载。",
        "dq.vanished_some": "上月至本月有 {count} 个账户消失，属数据错误，须由账务数据提供方说明。",
        "appendix.parameter": "参数",
        "appendix.value": "取值",
        "appendix.item": "项目",
        "def.states": "账户月状态：状态为已核销或已结清者按其状态，其余按逾期天数（DPD）归入逾期档。"
                      "逾期档边界为配置参数（见下表）；已核销和已结清为吸收状态。",
        "def.on_book": "在册：状态为正常或冻结。应收：在册且总余额（本金 + 利息 + 费用）为正。",
        "def.dq_rates": "30+/60+/90+ 逾期率：逾期天数不低于 30/60/90 天的应收账户总余额除以全部应收账户总余额。"
                        "按账户数计算的逾期率以账户数代替余额。",
        "def.charge_offs": "核销总额与回收金额：当月日期的核销与回收入账。年化净核销率 = （核销 − 回收）× 12 ÷ "
                           "上月与本月应收余额的平均值；上月未加载时不适用。",
        "def.money": "金额以精确小数汇总，仅在显示时四舍五入。",
        "summary.first_month": "本月为首个记录月份，无法与上月比较。",
        "summary.dq30_moved": "30天以上逾期率{direction} {change}，至 {value}{driver}。",
        "summary.dq30_flat": "30天以上逾期率持平，为 {value}。",
        "summary.dq90_moved": "90天以上逾期率{direction} {change}，至 {value}。",
        "summary.driver": "，主要来自{product}（{product_change}）",
        "summary.roll_driver": "影响余额最大的迁徙变化：{state}的恶化率{direction} {change}，至 {value}。",
        "summary.receivable": "应收余额{direction} {change}，至 {value}；在册账户 {accounts} 户。",
        "summary.receivable_level": "应收余额为 {value}；在册账户 {accounts} 户。",
        "summary.nco": "净核销 {amount}（核销 {gross}，回收 {recoveries}），年化净核销率 {rate}。",
        "summary.nco_no_rate": "净核销 {amount}（核销 {gross}，回收 {recoveries}）。",
        "summary.data_clean": "数据质量：全部 {files} 个文件完整加载，余额滚动核对无差异，无消失账户。",
        "summary.data_clean_first": "数据质量：全部 {files} 个文件完整加载，余额滚动核对无差异（消失账户自加载的第二个月起检查）。",
        "summary.data_issues": "数据质量需关注：隔离 {quarantined} 行，余额滚动差异账户 {breaks} 个，消失账户 {vanished} 个。",
        "rose": "上升",
        "fell": "下降",
        "grew": "增加",
        "shrank": "减少",
        "section.vintage": "账龄分析",
        "section.roll_rates": "迁徙率",
        "roll.none": "本月无迁徙数据：上月数据未加载。",
        "roll.from_to": "由 \\ 至",
        "roll.matrix_accounts": "迁徙矩阵（账户数占比，全部产品；行：上月状态）",
        "roll.matrix_balance": "迁徙矩阵（上月余额占比，全部产品）",
        "roll.matrix_note": "每行合计100%。缺失：上月在册、本月数据中不存在的账户（数据错误）。",
        "roll.bucket_rates": "各逾期档的回正率与恶化率",
        "roll.bucket": "上月逾期档",
        "roll.cure_rate": "回正率",
        "roll.roll_forward_rate": "恶化率",
        "roll.impossible_moves": "跨两档及以上迁徙",
        "roll.trend": "近13个月恶化率与回正率（账户数，全部产品）",
        "roll.series_roll": "{state}恶化率",
        "roll.series_cure": "{state}回正率",
        "roll.rate_axis": "账户占比",
        "roll.trend_alt": "各月恶化率与回正率的折线图。",
        "roll.flows": "逾期档链条的流转率（余额，全部产品）",
        "roll.flow_from": "流出档（上月）",
        "roll.flow_to": "流入档（本月）",
        "roll.flow_from_balance": "上月余额",
        "roll.flow_to_balance": "本月余额",
        "roll.flow_rate": "流转率",
        "roll.net_flow": "净损失流转率（链条乘积）",
        "roll.projection": "预测核销（基于汇总矩阵的马尔可夫链）",
        "roll.projected_charge_offs": "累计核销余额",
        "roll.projection_alt": "预计进入核销的余额的逐月柱状图。",
        "roll.projection_note": "以近几个月汇总的余额加权矩阵，将当前在册余额向前推演 {months} 个月；柱为累计值。",
        "roll.sentence_move": "{state}的恶化率{direction} {change}，至 {value}，为各逾期档中变动最大。",
        "roll.sentence_impossible": "{accounts}一个月内跨越两个及以上逾期档（数据质量信号）。",
        "section.expected_loss": "预期信用损失",
        "ecl.unavailable": "{month}无法计算预期信用损失：本月为首个加载月份，此前没有迁徙数据可用于估计违约概率。",
        "ecl.parameters": "预期信用损失参数",
        "ecl.parameters_note": "全部所用参数见附录。",
        "ecl.param.mode": "计量方法",
        "ecl.mode.ifrs9": "IFRS 9（第一阶段按12个月预期信用损失，第二、三阶段按整个存续期）",
        "ecl.mode.cecl": "CECL（所有在册账户按整个存续期预期信用损失计量）",
        "ecl.param.scenario": "情景：{name}",
        "ecl.param.scenario_value": "权重 {weight}，违约概率乘数 {multiplier}",
        "ecl.allowance.ifrs9": "损失准备",
        "ecl.allowance.cecl": "整个存续期损失准备（CECL）",
        "ecl.sentence_level": "{allowance}为 {amount}，占在册余额的 {coverage}。",
        "ecl.sentence_change": "{allowance}为 {amount}，占在册余额的 {coverage}；较月初的 {opening} {direction} "
                               "{change}（{relative}）。",
        "ecl.sentence_unchanged": "{allowance}为 {amount}，占在册余额的 {coverage}，与月初的 {opening} 持平。",
        "ecl.sentence_largest": "变动最大的项目为“{line}”，{direction} {amount}。",
        "ecl.added": "增加",
        "ecl.released": "减少",
        "ecl.sentence_stages": "各阶段覆盖率：第一阶段 {s1}，第二阶段 {s2}，第三阶段 {s3}。",
        "ecl.sentence_controls_failed": "未通过的控制检查：{names}。",
        "ecl.list_separator": "；",
        "ecl.coverage_title": "各产品、各阶段的损失准备与覆盖率",
        "ecl.stage.1": "第一阶段",
        "ecl.stage.2": "第二阶段",
        "ecl.stage.3": "第三阶段",
        "ecl.stage.all": "合计",
        "ecl.stage.new": "新增",
        "ecl.stage.derecognised": "终止确认",
        "ecl.stage.written_off": "核销",
        "ecl.stage.missing": "缺失",
        "ecl.balance": "余额",
        "ecl.ecl": "损失准备",
        "ecl.coverage": "覆盖率",
        "ecl.amounts_note": "余额与损失准备单位为{currency}，取整；覆盖率 = 损失准备 ÷ 余额。–：该阶段无余额。",
        "ecl.note.ifrs9": "IFRS 9：第一阶段（正常）计提12个月预期信用损失；第二阶段（逾期30天以上、重组或额度冻结，即信用风险显著增加）"
                          "计提整个存续期预期信用损失；第三阶段（违约或涉诉）按违约损失率 × 违约风险敞口计提。",
        "ecl.note.cecl": "CECL：所有在册账户计提一项整个存续期损失准备，可无条件撤销的未使用额度不计提。"
                         "表中阶段仅按 IFRS 9 规则划分以供比较，不决定计量期限。",
        "ecl.trend": "近13个月损失准备与覆盖率（全部产品）",
        "ecl.trend_allowance": "损失准备",
        "ecl.trend_coverage": "覆盖率（右轴）",
        "ecl.trend_alt": "各月损失准备的柱状图，及其占在册余额比例（覆盖率）的折线。",
        "ecl.allowance_axis_0": "损失准备（{currency}）",
        "ecl.allowance_axis_3": "损失准备（千{currency}）",
        "ecl.allowance_axis_6": "损失准备（百万{currency}）",
        "ecl.coverage_axis": "覆盖率",
        "ecl.migration": "阶段迁移（账户数，全部产品；行：上月阶段）",
        "ecl.migration_note": "新增：上月无损失准备（新开户或上月不在册）。终止确认：本月结清；核销：本月核销；"
                              "缺失：本月数据中不存在（数据错误）。底色：占该行的比例。",
        "ecl.no_migration": "本月无阶段迁移：上月没有阶段划分。",
        "ecl.movement": "损失准备变动",
        "ecl.waterfall_title": "由期初至期末损失准备（全部阶段，全部产品）",
        "ecl.waterfall_alt": "损失准备由期初至期末的瀑布图，每个变动项目一根柱。",
        "ecl.movement_table": "各阶段损失准备变动（全部产品，{currency}）",
        "ecl.line_header": "项目",
        "ecl.line.opening": "期初",
        "ecl.line.new_accounts": "新增账户",
        "ecl.line.derecognised": "终止确认",
        "ecl.line.written_off": "核销",
        "ecl.line.missing": "缺失账户",
        "ecl.line.transfers_in": "转入",
        "ecl.line.transfers_out": "转出",
        "ecl.line.remeasurement": "重新计量",
        "ecl.line.closing": "期末",
        "ecl.movement_note": "增加为正，转回为负；期初加各项目等于期末。转入与转出是账户期初损失准备在阶段之间的转移，"
                             "合计中相互抵消。重新计量：两个月均在册账户的损失准备变动。",
        "ecl.no_movement": "本月无损失准备变动：上月没有预期信用损失可作为期初。",
        "ecl.scenarios": "情景（全部产品）",
        "ecl.scenario": "情景",
        "ecl.weight": "权重",
        "ecl.pd_multiplier": "违约概率乘数",
        "ecl.scenario_ecl": "预期信用损失（{currency}）",
        "ecl.weighted_ecl": "权重 × 预期信用损失",
        "ecl.weighted_total": "概率加权预期信用损失",
        "ecl.scenario_note": "各情景以其乘数调整边际违约概率（累计违约概率不超过100%）；第三阶段在各情景下相同。"
                             "报告的预期信用损失为加权合计。",
        "ecl.scenario.base": "基准",
        "ecl.scenario.upside": "乐观",
        "ecl.scenario.downside": "悲观",
        "ecl.scenario.severe": "严重不利",
        "ecl.pd": "各期限累计违约概率（全部产品）",
        "ecl.pd_alt": "累计违约概率随未来月数变化的折线图，每个逾期档一条线。",
        "ecl.pd_axis": "累计违约概率",
        "ecl.horizon_axis": "未来月数",
        "ecl.pd_12m_marker": "12个月",
        "ecl.pd_12m_table": "各产品、各逾期档的12个月违约概率",
        "ecl.source.portfolio": "† 组合：该产品在观察窗口内离开此逾期档的账户数低于下限，借用全部产品的迁徙行。",
        "ecl.source.assumed_roll_forward": "‡ 假设恶化：该逾期档没有迁徙数据，审慎假设账户每月恶化一档直至违约。",
        "ecl.pd_note": "违约（逾期天数达到配置的违约标准，或已核销）为吸收状态；迁徙矩阵为配置窗口内汇总的迁徙率矩阵。",
        "ecl.lgd": "各产品违约损失率",
        "ecl.lgd_value": "违约损失率",
        "ecl.lgd_source": "来源",
        "ecl.lgd_source.empirical": "实际回收",
        "ecl.lgd_source.fallback": "配置默认值",
        "ecl.accounts_used": "使用账户数",
        "ecl.charged_off_amount": "核销金额（{currency}）",
        "ecl.discounted_recoveries": "折现回收（{currency}）",
        "ecl.lgd_note": "实际回收：1 − 清收期内的回收（按各账户利率折现）÷ 核销金额，仅计清收期已满的账户。"
                        "配置默认值：此类账户数低于配置下限时采用。",
        "ecl.controls": "控制检查",
        "ecl.check": "检查项",
        "ecl.severity": "级别",
        "ecl.result": "结果",
        "ecl.severity.blocking": "阻断",
        "ecl.severity.warning": "警告",
        "ecl.result.passed": "通过",
        "ecl.result.failed": "未通过（{count}）",
        "ecl.result.not_evaluated": "未评估",
        "ecl.check.ecl_known": "每个在册账户均有预期信用损失",
        "ecl.check.ecl_non_negative": "预期信用损失无负值",
        "ecl.check.stage3_lgd_times_ead": "第三阶段预期信用损失 = 违约损失率 × 违约风险敞口",
        "ecl.check.movement_ties": "变动勾稽：期初 + 各项目 = 期末",
        "ecl.check.movement_closing_matches_ecl": "期末损失准备 = 各产品、各阶段预期信用损失合计",
        "ecl.check.scenario_weights": "情景权重有效且合计为1",
        "ecl.check.coverage_increasing": "覆盖率由第一阶段至第三阶段递增",
        "ecl.controls_note": "未通过（n）：未通过该检查的账户数或行数。",
        "def.ecl": "预期信用损失（默认 IFRS 9，可选 CECL）。第三阶段：违约（逾期天数达到配置的违约标准）或涉诉；第二阶段：逾期30天以上、"
                   "重组或额度冻结；其余为第一阶段；已结清和已核销账户不计提。违约概率：以违约为吸收状态的迁徙率马尔可夫链。"
                   "违约损失率：1 − 折现回收 ÷ 核销金额，或配置的默认值。违约风险敞口：余额，加上正常状态循环贷未使用额度乘以信用转换系数。"
                   "预期信用损失 = 边际违约概率 × 违约损失率 × 违约风险敞口，折现后在12个月（第一阶段）或剩余存续期（第二阶段；"
                   "CECL 下所有阶段）内加总；第三阶段 = 违约损失率 × 违约风险敞口；按情景权重加权。",
        "vintage.curves": "账龄曲线",
        "vintage.no_data": "本月没有账龄数据。",
        "vintage.chart.ever30_rate_title": "各批次 30 天以上曾逾期率（占批次账户数，全部产品）",
        "vintage.chart.cum_net_loss_rate_title": "各批次累计净损失率（占批次放款金额，全部产品）",
        "vintage.chart.mob_axis": "账龄（月）",
        "vintage.chart.ever30_rate_axis": "30天以上曾逾期（账户）",
        "vintage.chart.cum_net_loss_rate_axis": "累计净损失 / 放款金额",
        "vintage.chart.ever30_rate_alt": "各批次 30 天以上曾逾期率随账龄变化的折线图，实线为实际，虚线为预测。",
        "vintage.chart.cum_net_loss_rate_alt": "各批次累计净损失率随账龄变化的折线图，实线为实际，虚线为预测。",
        "vintage.chart.older": "较早批次（颜色越浅越早）",
        "vintage.chart.observed": "实际",
        "vintage.chart.projected": "预测",
        "vintage.chart_cohorts_all": "全部批次；最近 {recent} 个月的批次以彩色显示。实线：实际；虚线：链梯法预测。",
        "vintage.chart_cohorts_some": "最近 {months} 个月放款的批次，以及此前每季度一个批次（1、4、7、10 月）；"
                                      "最近 {recent} 个月的批次以彩色显示。实线：实际；虚线：链梯法预测。",
        "vintage.truncated_note": "首个加载月份之前放款的批次自其在该月的账龄起显示：其曾逾期率和损失仅自该月起累计，数值偏低。",
        "vintage.triangle.cum_net_loss_rate": "各批次按账龄的累计净损失率",
        "vintage.triangle.ever30_rate": "各批次按账龄的 30 天以上曾逾期率",
        "vintage.cohort": "放款月份",
        "vintage.mob_header": "账龄（月）",
        "vintage.table_cohorts_all": "全部批次，全部产品；最近 {recent} 个月的批次以粗体显示。",
        "vintage.table_cohorts_some": "全部产品；最近 {months} 个月放款的批次，以及此前每季度一个批次；"
                                      "最近 {recent} 个月的批次以粗体显示。",
        "vintage.legend.observed": "实际",
        "vintage.legend.projected": "预测",
        "vintage.legend.unknown": "– 无法预测（尚无批次在该账龄发生变化；该批次至今为零：链梯法无法由零推演；或账龄不足 {min_mob} 个月）",
        "vintage.legend.blank": "空白：无数据（早于首个加载月份，或超出预测期）",
        "vintage.legend.scale": "底色由 0（白色）至 {top}（最深）",
        "vintage.lifetime": "各批次生命周期损失",
        "vintage.lifetime_chart_title": "各批次账龄 {horizon} 个月时的累计净损失率（全部批次，全部产品）",
        "vintage.chart.loss_to_date": "截至目前实际",
        "vintage.chart.remainder": "预测部分（{method}）",
        "vintage.chart.lifetime_axis": "净损失 / 放款金额",
        "vintage.chart.lifetime_alt": "各批次在预测期末累计净损失率的柱状图：截至目前的实际部分，以及按方法区分的预测部分。",
        "vintage.lifetime_table_title": "上表所列批次的生命周期损失",
        "vintage.amount": "放款金额（{currency}）",
        "vintage.observed_mob": "账龄（月）",
        "vintage.loss_to_date": "截至目前净损失率",
        "vintage.lifetime_rate": "生命周期（账龄 {horizon} 个月）",
        "vintage.method": "方法",
        "vintage.method.observed": "实际观察",
        "vintage.method.chain_ladder": "链梯法",
        "vintage.method.bornhuetter_ferguson": "BF 法",
        "vintage.how.observed": "实际观察",
        "vintage.how.chain_ladder": "链梯法预测，基于 {age}的实际数据",
        "vintage.how.bornhuetter_ferguson": "BF 法预测，基于 {age}的实际数据",
        "vintage.method_note": "实际观察：批次已达到预测期末。链梯法：以截至目前的损失乘以按量加权的逐期发展因子。"
                               "BF 法（Bornhuetter–Ferguson）：尚无损失（链梯法无法发展）或账龄不足 {min_mob} 个月（自身数据过少）的批次；"
                               "损失模式中尚未发展的部分"
                               "按其他批次的平均生命周期损失率补足。不适用：无法预测。",
        "vintage.by_segment": "按风险等级和渠道的生命周期损失",
        "vintage.segment_type.risk_grade": "风险等级",
        "vintage.segment_type.channel": "渠道",
        "vintage.grade": "{grade} 级",
        "vintage.segment_none": "未记录",
        "vintage.cohorts": "批次数",
        "vintage.lifetime_avg": "生命周期损失率",
        "vintage.projected_share": "预测部分占比",
        "vintage.relative": "相对全组合",
        "vintage.segment_note": "全部产品。生命周期损失率为有该比率的各批次按放款金额加权的平均值；预测部分占比：其中比率为预测"
                                "而非实际观察的金额占比；相对全组合：该细分的比率除以全组合的比率。",
        "vintage.worse_than_average": "近 {count} 个月的放款批次中，相同账龄下 30 天以上曾逾期率高于此前批次平均水平的有：{items}。",
        "vintage.gap_item": "{cohort}批次（账龄 {age}时为 {rate}，比平均水平 {benchmark} 高 {gap}）",
        "unit.month": "{count} 个月",
        "unit.months": "{count} 个月",
        "unit.account": "{count} 个账户",
        "unit.accounts": "{count} 个账户",
        "vintage.list_separator": "；",
        "vintage.none_worse": "近 {count} 个月的放款批次在相同账龄下的 30 天以上曾逾期率均未高于此前批次的平均水平。",
        "vintage.highest_lifetime": "生命周期净损失率最高的是{cohort}批次：账龄 {horizon} 个月时为 {rate}（{method}），"
                                    "全部批次按金额加权平均为 {average}。",
        "vintage.no_lifetime": "目前尚无可预测生命周期损失的批次。",
        "def.vintage": "账龄分析：批次为同一月份放款的账户；账龄（MOB）自放款当月起算（MOB 0）。批次的账户数和放款金额在放款时确定，"
                       "此后不变。30 天以上曾逾期率：截至该账龄曾逾期 30 天以上或已核销的账户占批次账户数的比例。累计净损失率："
                       "截至该账龄的核销减回收，除以批次放款金额。账龄满 {min_mob} 个月的未成熟批次以链梯法（按量加权的逐期发展因子）"
                       "预测至预测期末，预测的 30 天以上曾逾期率不超过 100%；预测数均有标注。",
        "chart.nco_rate": "年化净核销率（右轴）",
        "chart.nco_axis": "年化净核销率",
        "chart.amount_axis_0": "金额（{currency}）",
        "chart.amount_axis_3": "金额（千{currency}）",
        "chart.amount_axis_6": "金额（百万{currency}）",
        "chart.charge_offs_alt": "各月核销总额与回收金额的柱状图，年化净核销率为折线。",
        "section.overdue": "核销、回收与逾期成本",
        "overdue.charge_offs": "核销与回收",
        "overdue.charge_offs_chart_title": "近13个月核销总额、回收金额与年化净核销率（全部产品）",
        "overdue.month": "月份",
        "overdue.net_charge_offs": "净核销",
        "overdue.recovery": "回收曲线",
        "overdue.recovery_chart_title": "核销后各月累计回收率（累计回收 ÷ 核销金额），最近 {count} 个核销批次（全部产品）",
        "overdue.cohort": "核销月份",
        "overdue.months_since": "核销后月数",
        "overdue.charged_off_amount": "核销金额（{currency}）",
        "overdue.recovered": "累计回收（{currency}）",
        "overdue.recovery_rate": "回收率",
        "overdue.recovery_note": "截至本月，共 {total} 个核销批次中最近的 {count} 个（即图中各批次）。回收率：核销后的累计回收除以核销金额。"
                                 "平均曲线按核销后月数逐月累加：每个月数上，已观察到该月数的各批次当月回收之和除以其核销金额之和"
                                 "（因此不会因末端只剩最早的批次而下降）。",
        "overdue.no_recovery": "尚无核销账户，没有回收曲线。",
        "overdue.average_curve": "全部批次平均（按金额加权）",
        "overdue.months_since_axis": "核销后月数",
        "overdue.recovery_axis": "累计回收 ÷ 核销金额",
        "overdue.recovery_alt": "核销后累计回收率随月数变化的折线图，每个近期核销月份一条线，虚线为全部批次的平均。",
        "overdue.cost": "逾期成本与账户措施",
        "overdue.snowball_title": "本月各逾期档计入的罚息与滞纳金，及未付费用占余额比例（全部产品）",
        "overdue.penalty_interest": "罚息",
        "overdue.late_fees": "滞纳金",
        "overdue.fee_share_line": "未付费用占余额比例（右轴）",
        "overdue.fee_share_axis": "未付费用 ÷ 余额",
        "overdue.bucket_axis": "逾期天数",
        "overdue.snowball_alt": "本月各逾期档计入的罚息与滞纳金的堆积柱状图，各档未付费用占余额比例为折线。",
        "overdue.total_balance": "总余额",
        "overdue.fee_balance": "未付费用",
        "overdue.fee_share": "费用占余额",
        "overdue.fees_over_10pct": "费用超本金10%",
        "overdue.freezes": "冻结",
        "overdue.cures": "回正",
        "overdue.total": "合计",
        "overdue.bucket_note": "全部产品；金额单位为{currency}，取整。罚息与滞纳金：本月计入金额。未付费用：月末费用余额。"
                               "费用超本金10%：未付费用超过本金10%的账户数。冻结：本月由正常转为冻结的账户数。回正：本月回正的账户数。",
        "overdue.by_product": "各产品逾期成本与账户措施",
        "overdue.product_note": "金额单位为{currency}，取整；各产品为其各逾期档合计。",
        "overdue.no_cost": "本月没有逾期成本数据。",
        "overdue.sentence_snowball": "本月计入罚息 {penalty}、滞纳金 {fees}；{bucket}的未付费用占余额 {top_share}，"
                                     "全部在册余额为 {book_share}。",
        "overdue.sentence_actions": "{over}的未付费用超过本金的10%；本月冻结 {freezes}，回正 {cures}。",
        "overdue.sentence_recovery": "{cohort}核销批次是最近一个核销满 {age}的批次，已回收核销金额的 {rate}，"
                                     "全部批次平均曲线在同一月数为 {average}。",
        "overdue.sentence_recovery_single": "{cohort}核销批次在核销 {age}后已回收核销金额的 {rate}。",
        "def.overdue": "逾期成本：当月计入的罚息与滞纳金，按账户月末所在逾期档归集；未付费用占总余额的比例；未付费用超过本金10%的账户；"
                       "当月冻结（由正常转为冻结）与回正的账户。回收曲线：按核销月份，核销后各月累计回收除以核销金额。",
        # early warning (management pack)
        "section.early_warning": "早期预警",
        "ew.unavailable": "{month}尚无早期预警评分：须有足够多已知三个月后结果的历史月份才能拟合模型（参数见附录）。",
        "ew.band_range": "{first}–{last}",
        "ew.band_below": "{band} 档（< {high}）",
        "ew.band_between": "{band} 档（{low}–{high}）",
        "ew.band_above": "{band} 档（≥ {low}）",
        "ew.watchlist_row": "预警名单（{bands} 档）",
        "ew.book_row": "已评分账户（逾期 30 天以下）",
        "ew.share_row": "预警名单占比",
        "ew.signal.high_utilisation": "额度使用率高",
        "ew.signal.utilisation_jump": "额度使用率骤升",
        "ew.signal.min_payments": "仅还最低还款额",
        "ew.signal.recent_cure": "近期回正",
        "ew.signal.fees_growing": "费用持续增加",
        "ew.signal.recent_freeze": "近期被冻结",
        "ew.signal.cohort_early_default": "所在批次早期违约率高",
        "ew.signal.delinquent_now": "当前逾期（1–29 天）",
        "ew.signal.months_delinquent_6m": "近 6 个月逾期月数（每月）",
        "ew.signal.was_30_plus_6m": "近 6 个月曾逾期 30 天以上",
        "ew.signal.intercept": "截距",
        "ew.backtest_total": "全部已评分账户",
        "ew.fact.evaluated": "回测的评分",
        "ew.fact.evaluated_value": "{scored}评分，{month}得知结果",
        "ew.fact.accounts": "评分账户",
        "ew.fact.accounts_value": "{accounts} 个，其中坏账户 {bads} 个（{rate}）",
        "ew.fact.auc": "AUC",
        "ew.fact.gini": "基尼系数",
        "ew.fact.gini_value": "{gini}（下限 {floor}）",
        "ew.fact.gini_below": "{gini}，低于下限 {floor}",
        "ew.fact.ks": "KS",
        "ew.fact.hit_rate": "预警名单命中率",
        "ew.fact.hit_rate_value": "{rate}（{accounts} 个中 {bads} 个）",
        "ew.fact.rest_rate": "其余账户坏账率",
        "ew.fact.vs_rest": "名单命中率 ÷ 其余坏账率",
        "ew.fact.capture": "名单捕获率",
        "ew.chart.gini": "基尼系数",
        "ew.chart.floor": "下限",
        "ew.chart.below": "低于下限",
        "ew.chart.gini_axis": "基尼系数",
        "ew.chart.gini_alt": "各报告月份回测基尼系数的折线图，虚线为下限，低于下限的月份以红点标出。",
        "ew.chart.gini_title": "各报告月份的回测基尼系数（三个月前的评分与其结果对比）",
        "ew.colon": "：",
        "ew.list_separator": "、",
        "ew.action.call_now": "立即致电",
        "ew.action.offer_instalments": "提供分期还款",
        "ew.action.reduce_line": "降低额度",
        "ew.action.review_cohort": "复核所在批次",
        "ew.action.monitor": "持续监控",
        "ew.action_meaning.call_now": "已逾期 1–29 天：在逾期达到 30 天前致电。",
        "ew.action_meaning.offer_instalments": "还款仅略高于最低还款额，或费用持续增加：提供分期还款方案。",
        "ew.action_meaning.reduce_line": "循环额度接近用满或快速用满：降低或冻结未用额度。",
        "ew.action_meaning.review_cohort": "贷款所在批次早期违约率高：复核该批次的审批并尽早联系。",
        "ew.action_meaning.monitor": "仅因评分进入名单：持续监控，下月重新评分。",
        "ew.cut": "{band} 档自 {cut}",
        "ew.fact.band_cuts": "分档界限（逾期 30 天以上概率）",
        "ew.fact.watchlist": "预警名单",
        "ew.fact.watchlist_value": "{bands} 档",
        "ew.fact.floor": "基尼系数下限",
        "ew.fact.model_id": "模型编号",
        "ew.fact.window": "拟合区间",
        "ew.fact.window_value": "{first}至{last}（{months} 个月）",
        "ew.fact.fit_accounts": "拟合账户月数",
        "ew.fact.fit_accounts_value": "{accounts}，其中坏账户 {bads} 个（{rate}）",
        "ew.fact.library": "软件库",
        "ew.sentence_watchlist": "预警名单（{bands} 档）共 {accounts}，占 {book} 个已评分账户（逾期 30 天以下"
                                 "）的 {share}；风险敞口 {exposure}，占已评分账户余额 {book_exposure} 的 "
                                 "{exposure_share}。",
        "ew.sentence_no_watchlist": "本月预警名单（{bands} 档）没有账户；共评分 {book} 个逾期 30 天以下的账户。",
        "ew.signal_item": "{name}（预警名单中 {watch}，其余账户中 {rest}）",
        "ew.sentence_signals": "在预警名单中最为突出的信号是{items}。",
        "ew.sentence_signal": "在预警名单中最为突出的信号是{items}。",
        "ew.and": "和",
        "ew.sentence_no_signal": "没有信号在预警名单中比在其余账户中更常见：名单主要由逾期历史决定。",
        "ew.no_backtest": "尚无回测：还没有评分月份的三个月结果期已满。",
        "ew.sentence_no_gini": "最近一次回测（{scored}的评分）无法计算基尼系数：所有评分账户的结果相同。",
        "ew.sentence_gini": "最近一次回测（{scored}的评分与现已得知的结果对比）基尼系数为 {gini}（下限 {floor}）；预"
                            "警名单中 {hit} 的账户在三个月内逾期 30 天以上或被核销，其余账户为 {rest}。",
        "ew.sentence_gini_below": "警示：最近一次回测（{scored}的评分）基尼系数为 {gini}，低于下限 {floor}：评分区分"
                                  "坏账户的能力未达要求，依赖预警名单前应复核模型。预警名单中 {hit} 的账户转坏，其余"
                                  "账户为 {rest}。",
        "ew.book_title": "各评分档、各产品的预警名单与已评分账户",
        "ew.band_header": "评分档（逾期 30 天以上概率）",
        "ew.exposure": "风险敞口",
        "ew.book_note": "本月评分的逾期 30 天以下账户；风险敞口：其总余额，单位为{currency}，取整。预警名单为 "
                        "{bands} 档（底色标出）。评分档的概率指三个月内逾期 30 天以上或被核销的概率。",
        "ew.no_book": "本月没有评分账户。",
        "ew.signals_title": "账户进入预警名单的原因",
        "ew.signal_header": "信号",
        "ew.watchlist_accounts": "名单中触发账户",
        "ew.watchlist_share": "名单中占比",
        "ew.rest_share": "其余账户中占比",
        "ew.coefficient": "系数",
        "ew.odds": "优势比",
        "ew.history_header": "逾期历史（纳入评分，非信号）",
        "ew.signals_note": "按在预警名单中的突出程度排序。其余账户：未进入预警名单的已评分账户。系数为本月模型的拟合"
                           "系数（对数优势，每单位）；优势比 = exp(系数)，即其他因素不变时，触发该信号使逾期 30 天以"
                           "上的优势变为原来的倍数。各信号的阈值见附录。",
        "ew.backtest_title": "回测",
        "ew.backtest_bands": "{scored}的评分按评分档与{month}得知的结果对比",
        "ew.account_share": "占比",
        "ew.bads": "坏账户",
        "ew.bad_rate": "坏账率",
        "ew.mean_score": "平均评分（预测）",
        "ew.lift": "提升度",
        "ew.bands_note": "坏账户：评分后三个月内逾期 30 天以上或被核销。提升度：该档坏账率除以当月整体坏账率。平均评"
                         "分为模型预测的坏账率；底色标出的评分档构成预警名单。",
        "ew.facts_note": "AUC：坏账户评分高于好账户的概率（0.5 即与随机无异）。基尼系数 = 2 × AUC − 1。KS：某一评分"
                         "以上坏账户与好账户占比的最大差距。命中率：预警名单的坏账率。捕获率：全部坏账户中在预警名单"
                         "上的比例。",
        "ew.backtest_due": "首次回测将在首个评分月份的三个月后、其结果得知时进行。",
        "ew.trend_title": "各报告月份的回测",
        "ew.reporting_month": "报告月份",
        "ew.scored_month": "评分月份",
        "ew.hit_rate_short": "名单命中率",
        "ew.rest_rate_short": "其余坏账率",
        "ew.capture_short": "名单捕获率",
        "ew.trend_note": "每个报告月份回测三个月前的评分，其结果刚刚得知。▼：基尼系数低于当时的下限。",
        "ew.actions_title": "本月预警账户按建议措施统计",
        "ew.action_header": "措施",
        "ew.actions_total": "预警名单合计",
        "ew.actions_note": "仅列账户数与金额，不逐户列示。每个预警账户只计一次，归入上表中第一个适用的措施；风险敞口"
                           "单位为{currency}，取整。",
        "ew.no_actions": "本月预警名单没有账户。",
        "ew.model_title": "模型",
        "ew.model_note": "以信号与逾期历史对是否转坏做逻辑回归，只用结果期已满的月份拟合（不使用评分月份之后的任何数"
                         "据）。其系数、拟合区间、参数与软件库版本以模型编号存储，本月的每个评分均可据此解释与重现。",
        "def.early_warning": "早期预警：每月对逾期 30 天以下的在册账户评分，即未来三个月内逾期 30 天以上或被核销的概"
                             "率；依据行为信号（额度使用率高、使用率骤升、仅还最低还款额、近期回正、费用持续增加、近"
                             "期被冻结、分期或现金贷所在批次早期违约率高）与逾期历史，以仅用结果已知的历史月份拟合的"
                             "逻辑回归计算。A–E 档采用固定概率界限；预警名单为配置的评分档及更差的档。回测：每月以三"
                             "个月前的评分与其结果对比（AUC、基尼系数 = 2·AUC − 1、KS、各档坏账率与提升度）；基尼系"
                             "数低于配置的下限时予以警示。",
        # 资产组合与集中度（管理报告）
        "section.concentration": "资产组合与集中度",
        "conc.by_product": "按产品的余额",
        "conc.by_grade": "按风险等级的余额与逾期",
        "conc.by_region": "按地区的余额与逾期",
        "conc.grade": "风险等级",
        "conc.region": "地区",
        "conc.balance": "余额（{currency}）",
        "conc.share": "余额占比",
        "conc.share_change": "占比变动",
        "conc.dq30_rate": "30+ 逾期率",
        "conc.total": "合计",
        "conc.other_regions": "其他地区（{count} 个）",
        "conc.region_none": "未记录地区",
        "conc.grade_tick": "{grade} 级",
        "conc.bar_label": "余额占比 {share} · 30+ 逾期率 {rate}",
        "conc.share_axis": "占在册余额比例（全部产品）",
        "conc.rate_axis": "30+ 逾期率",
        "conc.grade_chart_title": "各风险等级余额占比，颜色表示 30+ 逾期率（全部产品）",
        "conc.grade_chart_alt": "横向条形图：各风险等级占在册余额的比例，条形颜色表示该等级的 30+ 逾期率。",
        "conc.product_note": "全部产品；在册余额单位为{currency}。占比变动以百分点（pp）计，与{month}相比。",
        "conc.grade_note": "余额单位为{currency}。30+ 逾期率：逾期 30 天及以上的余额除以该等级的在册余额。",
        "conc.region_note": "地区：账户所属省份（6 位行政区划代码）。按余额列示最大的 {count} 个地区，其余合并为一行；"
                            "余额单位为{currency}。",
        "conc.region_note_all": "地区：账户所属省份（6 位行政区划代码），按余额从大到小列示全部地区；余额单位为{currency}。",
        "conc.sentence_region": "{region}余额占比最大，为 {share}（{amount}）；余额最大的 {count} 个地区合计占 "
                                "{top_share}。",
        "conc.sentence_region_all": "{region}余额占比最大，为 {share}（{amount}），共 {count} 个地区。",
        "conc.sentence_grade": "{grade} 级的 30+ 逾期率最高，为 {rate}，其余额占比 {share}。",
        "conc.sentence_grade_none": "各风险等级均无逾期 30 天及以上的余额。",
        "conc.sentence_warning": "集中度警示：{region}余额占比 {share}，超过 {limit}。",
        "conc.no_data": "本月没有集中度数据。",
        "def.concentration": "集中度：月末在册余额（全部逾期档）按产品、风险等级和地区（省份）分列，比例均以全部产品的"
                             "在册余额为分母；30+ 逾期率：逾期 30 天及以上的余额除以该分组的余额。单一地区余额占比超过"
                             " 25 % 时予以警示。",
        "pack.regulatory": "监管报告",
        "reg.confidential": "机密 — 监管报送使用",
        "reg.regime": "风险分类制度",
        "reg.regime_used": "贷款风险分类依据",
        "reg.colon": "：",  # a full-width colon holds its own space
        "sentence_gap": "",  # and so does a full stop
        "reg.regime_text": "{name}，制度代码 {code}",
        "reg.regime_name.cn_2023": "《金融资产风险分类办法》（2023）",
        "reg.regime_name.cn_card_2011": "《信用卡业务监督管理办法》第九十二条（2011）",
        "reg.section.key_figures": "主要指标",
        "reg.section.classification": "贷款五级分类与监管指标",
        "reg.section.past_due": "逾期、非应计与核销",
        "reg.section.ifrs9": "IFRS 9 阶段与损失准备变动",
        "reg.section.charge_off_point": "超过核销时点仍在册的账户",
        "reg.category": "分类",
        "reg.category.pass": "正常",
        "reg.category.special_mention": "关注",
        "reg.category.substandard": "次级",
        "reg.category.doubtful": "可疑",
        "reg.category.loss": "损失",
        "reg.category.npl": "不良贷款",
        "reg.category.total": "合计",
        "reg.classification_title": "五级分类（全部产品）",
        "reg.classification_note": "不良贷款 = 次级 + 可疑 + 损失。损失准备：该类别账户按 IFRS 9 计提的预期信用损失；首个计提月份之前为不适用。",
        "reg.balance_ccy": "余额（{currency}）",
        "reg.balance_share": "余额占比",
        "reg.allowance_ccy": "损失准备（{currency}）",
        "reg.by_product_title": "各产品五级分类（余额）",
        "reg.whole_units_note": "余额单位为{currency}，取整。",
        "reg.npl_ratio": "不良贷款率",
        "reg.npl_balance": "不良贷款余额",
        "reg.on_book_balance": "在册余额",
        "reg.allowance": "损失准备",
        "reg.provision_coverage": "拨备覆盖率",
        "reg.loan_provision_ratio": "贷款拨备率",
        "reg.value": "比率",
        "reg.minimum": "最低要求",
        "reg.status": "状态",
        "reg.status.met": "达标",
        "reg.status.breach": "未达标",
        "reg.status.not_evaluated": "未评估",
        "reg.ratios_title": "不良贷款率、拨备覆盖率与贷款拨备率及最低要求",
        "reg.ratios_note": "金额单位为{currency}，取整。拨备覆盖率 = 损失准备 ÷ 不良贷款余额；贷款拨备率 = 损失准备 ÷ 在册余额。"
                           "未达标：低于配置的最低要求；未评估：尚无损失准备，或无不良贷款余额。",
        "reg.pd.30_89": "逾期30–89天（仍计息）",
        "reg.pd.90_accruing": "逾期90天以上（仍计息）",
        "reg.pd.nonaccrual": "非应计",
        "reg.past_due_title": "逾期与非应计贷款",
        "reg.past_due_note": "非循环产品逾期90天起停止计息；循环产品计息至核销。",
        "reg.net_charge_offs": "净核销",
        "reg.charge_offs_month_title": "{month}各产品核销与回收",
        "reg.charge_offs_trend_title": "各月核销与回收（全部产品）",
        "reg.charge_offs_chart_title": "核销总额、回收金额与年化净核销率（全部产品）",
        "reg.amounts_note": "金额单位为{currency}。",
        "reg.month": "月份",
        "reg.stages_title": "各产品 IFRS 9 阶段",
        "reg.stage": "阶段",
        "reg.ead": "违约风险敞口（{currency}）",
        "reg.ecl": "预期信用损失（{currency}）",
        "reg.stages_note": "覆盖率 = 预期信用损失 ÷ 余额。第一阶段：正常；第二阶段：信用风险显著增加；第三阶段：已发生信用减值。",
        "reg.movement_title": "损失准备变动（全部产品）",
        "reg.movement_title_ccy": "损失准备变动（全部产品，{currency}）",
        "reg.charge_off_point_title": "超过核销时点仍在册的账户",
        "reg.policy_dpd": "政策核销逾期天数",
        "reg.charge_off_point_note": "仅列账户数与余额：逾期天数已超过该产品核销政策时点但仍在册的账户，属政策例外，须说明原因。",
        "reg.lineage_title": "数据提取与运行",
        "reg.run_id": "运行编号",
        "reg.loads_note": "文件行数 = 已加载行数 + 隔离行数。",
        "reg.checksums_title": "文件校验和",
        "reg.bytes": "字节数",
        "reg.sha256": "SHA-256",
        "reg.attached_as": "已作为 {name} 附于 PDF。",
        "reg.sentence_npl": "按{regime}，不良贷款余额为 {npl}，占在册余额 {on_book} 的 {ratio}。",
        "reg.sentence_met": "{name}为 {value}，不低于最低要求 {minimum}。",
        "reg.sentence_breach": "未达标：{name}为 {value}，低于最低要求 {minimum}。",
        "reg.sentence_product_breach": "{product}未达标：{name}为 {value}，低于最低要求 {minimum}。",
        "reg.sentence_not_evaluated": "本月未评估{name}（最低要求 {minimum}）：尚无损失准备或无不良贷款余额。",
        "reg.sentence_no_ecl": "本月无法提供预期信用损失：损失准备及以其为基础的比率均未评估。",
        "reg.sentence_over_point": "{accounts}（余额 {balance}）已超过核销时点但仍在册。",
        "reg.sentence_none_over_point": "没有超过核销时点仍在册的账户。",
        "def.reg.classification": "风险分类：每个在册账户按逾期天数、依现行分类制度的区间归入五类之一；不良贷款 = 次级 + 可疑 + 损失。",
        "def.reg.ratios": "不良贷款率 = 不良贷款余额 ÷ 在册余额。拨备覆盖率 = 损失准备 ÷ 不良贷款余额。贷款拨备率 = 损失准备 ÷ 在册余额。"
                          "各比率与配置的最低要求比较，低于最低要求即为未达标。",
        "def.reg.us_past_due": "逾期30–89天及90天以上仍计息的贷款，以及非应计贷款：非循环产品逾期90天起停止计息，循环产品计息至核销。"
                               "循环产品逾期180天核销，非循环产品逾期120天核销。",
        "def.reg.charge_off_point": "超过核销时点的账户：逾期天数超过该产品政策核销时点但仍在册；只列账户数与余额，不逐户列示。",
        "def.reg.csv": "本文件的每张表均以 CSV 文件附于 PDF（UTF-8 编码，逗号分隔，首行为列名）：产品与分类为代码，金额按存储精度（损失准备等估计值精确到分），"
                       "比率不四舍五入（以小数表示，0.025 = 2.5%），日期为 YYYY-MM-DD，未达标标志为 true/false，不适用为空。以 =、+、- 或 @ "
                       "开头的文本单元格前加单引号，以免电子表格将其作为公式执行。",
        "reg.ranges.cn_2023": "分类制度 cn_2023（金融资产风险分类办法，2023），按逾期天数：正常 0；关注 1–90；次级 91–270；"
                              "可疑 271–360；损失 360 以上。",
        "reg.ranges.cn_card_2011": "分类制度 cn_card_2011（信用卡业务监督管理办法第九十二条），按逾期天数：正常 0；关注 1–90；"
                                   "次级 91–120；可疑 121–180；损失 180 以上。",
        "state.current": "正常",
        "state.charged_off": "已核销",
        "state.closed": "已结清",
        "state.bucket": "逾期 {lo}–{hi} 天",
        "state.bucket_plus": "逾期 {lo} 天以上",
        "param.separator": "；",
        "param.by_steps": "{value}（{steps}）",
        "param.note.computed": "本月数据计算时所用的配置：{file}，SHA-256 {digest}。",
        "param.note.changed": "本月数据计算时所用的配置：{file}，SHA-256 {digest}。现行配置已有变更；本月沿用上述参数，"
                              "重新运行（回补）后才按现行配置计算。",
        "param.note.mixed": "本月各计算步骤使用了 {count} 套不同的配置（各自的摘要及对应步骤见“配置 SHA-256 摘要”一栏）；"
                            "参数取值不同之处，每个取值后注明以其计算的步骤。重新运行本月即以同一套配置计算全部步骤。",
        "param.note.unreadable": "本月数据以 SHA-256 为 {digest} 的配置计算，当前版本的 riskpack 无法读取该配置（{error}）；"
                                 "下表为本文件生成时的配置。",
        "param.note.partial": "本月仅部分计算步骤记录了所用配置：{steps} 在 riskpack 开始记录配置之前计算。"
                              "下表为有记录步骤的参数（其摘要及对应步骤见“配置 SHA-256 摘要”一栏）。重新运行本月即会为全部步骤记录。",
        "param.note.also_unreadable": "{note}当前版本的 riskpack 无法读取 {steps} 计算时所用的配置（{error}），"
                                      "其参数未列出。",
        "param.note.rendering": "本文件生成时的配置：数据仓库中没有本月计算时所用配置的记录（本月在 riskpack "
                                "开始记录配置之前计算）。重新运行本月即会记录。",
        "param.all": "全部",
        "param.none": "无",
        "param.default_dpd": "逾期 ≥ {dpd} 天或已核销",
        "param.lgd_fallback": "{rate}（已完成清收少于 {accounts} 笔时）",
        "param.ccf": "{product} {rate}",
        "param.regime_from": "{regime}，自 {day} 起",
        "param.scenario": "{name} {weight} × {multiplier}",
        "param.ew_score": "以 {fit_months} 个月拟合（至少 {min_fit_months} 个月），分档切点 {cuts}，"
                          "预警名单为 {band} 档及风险更高的各档，基尼系数下限 {floor}",
    },
}

# The names the settings and the load lineage print beside their values (orchestration.config's
# `parameters()`, orchestration.documents' `lineage()`), in English there, in the other locales here.
# Their values are numbers, codes and the configuration's own names, printed as configured, or
# `Phrase`s: words, printed in the pack's locale.
SETTING_NAMES: dict[str, dict[str, str]] = {
    "zh-CN": {
        "config file": "配置文件",
        "bucket edges (DPD)": "逾期分档下限（逾期天数）",
        "charge-off point (DPD)": "核销点（逾期天数）",
        "quarantine threshold": "隔离行占比上限",
        "roll-forward tolerance": "余额滚动核对容差",
        "first month": "首个报告月",
        "currency": "币种",
        "vintage horizon (months on book)": "账龄分析期限（账龄月数）",
        "chain-ladder origins per factor": "链梯法每个发展因子所用批次",
        "roll-rate pooling window (months)": "迁徙率合并窗口（月）",
        "Markov projection horizon (months)": "马尔可夫预测期限（月）",
        "ECL mode": "预期信用损失计量模式",
        "default (DPD)": "违约定义（逾期天数）",
        "behavioural life of revolving lines (months)": "循环额度行为期限（月）",
        "LGD workout window (months)": "违约损失率清收观察期（月）",
        "LGD fallback": "违约损失率后备值",
        "PD chain: minimum transitions per bucket row": "违约概率链：每个逾期档最少迁移账户数",
        "CCF on undrawn active lines": "未使用额度信用转换系数",
        "ECL scenarios (weight × PD multiplier)": "预期信用损失情景（权重 × 违约概率乘数）",
        "regulatory classification regimes": "监管分类制度",
        "minimum provision coverage": "拨备覆盖率下限",
        "minimum loan provision ratio": "贷款拨备率下限",
        "early-warning signals": "预警信号参数",
        "early-warning score": "预警评分参数",
        "extract as_of_date": "数据提取日（as_of_date）",
        "files loaded": "已加载文件数",
        "load run id": "加载运行编号",
        "code version": "程序版本",
        "configuration SHA-256": "配置 SHA-256 摘要",
    },
}


def setting_name(name: str, locale: str) -> str:
    """`name` (as the settings or the lineage print it) in `locale`; a name with no translation
    (one added to the settings later, tests check there is none) prints as it is."""
    return SETTING_NAMES.get(check_locale(locale), {}).get(name, name)


@dataclass(frozen=True)
class Phrase:
    """A setting's value in words: the label `key`, filled with `values` (each printed as it is,
    or itself a phrase), so that a pack prints it in its own locale. With a `fallback`, a key the
    locale lacks (a name the configuration made up) prints the fallback instead of failing."""

    key: str
    values: tuple[tuple[str, object], ...] = ()
    fallback: str | None = None


def phrase(key: str, **values: object) -> Phrase:
    return Phrase(key, tuple(values.items()))


def setting_value(value: object, locale: str) -> str:
    """A setting's value as printed in `locale`: a phrase in its words, a tuple as its items in a list."""
    if isinstance(value, Phrase):
        if value.fallback is not None:
            return optional_label(locale, value.key, value.fallback)
        return label(locale, value.key, **{name: setting_value(v, locale) for name, v in value.values})
    if isinstance(value, tuple):
        return label(locale, "param.separator").join(setting_value(item, locale) for item in value)
    return str(value)


def setting_rows(settings: Mapping[str, object], locale: str) -> list[tuple[str, str]]:
    """The (name, value) rows of a pack's parameters or lineage table, in `locale`."""
    return [(setting_name(str(name), locale), setting_value(value, locale)) for name, value in settings.items()]


_BUCKET = re.compile(r"^dpd_(\d+)_(\d+|plus)$")


def check_locale(locale: str) -> str:
    if locale not in LABELS:
        raise ValueError(f"unsupported locale {locale!r}; one of {', '.join(LOCALES)}")
    return locale


def label(locale: str, key: str, **values: object) -> str:
    """The display text of `key`; a missing key is an error, never a silently empty cell."""
    try:
        text = LABELS[check_locale(locale)][key]
    except KeyError:
        raise KeyError(f"no {locale} label for {key!r}") from None
    return text.format(**values) if values else text


def counted(count: int, unit: str, locale: str, shown: str | None = None) -> str:
    """`1 month`, `3 months`, `1,204 accounts`, `3 个月`: a count and its noun in the locale's grammar
    (`unit.<unit>` for one, `unit.<unit>s` otherwise); `shown` is the count as printed, if not plain."""
    return label(locale, f"unit.{unit}" if count == 1 else f"unit.{unit}s", count=count if shown is None else shown)


def optional_label(locale: str, key: str, fallback: str) -> str:
    """Known machine names (scenarios, checks, regimes) are translated; an unknown one prints as it is."""
    return LABELS[check_locale(locale)].get(key, fallback)


def _bucket_bounds(state: str) -> tuple[int, int | None] | None:
    match = _BUCKET.match(state)
    if not match:
        return None
    lo, hi = match.groups()
    return int(lo), None if hi == "plus" else int(hi)


def _chinese_convention(buckets: list[tuple[int, int | None]]) -> bool:
    """True when the buckets are 1–30, 31–60, … (30-day months), each ending where the next starts."""
    for lo, hi in buckets:
        if (lo - 1) % 30 != 0 or (hi is not None and hi != lo + 29):
            return False
    return bool(buckets)


def state_labels(states: Iterable[str], locale: str) -> dict[str, str]:
    """Display label per machine state label.

    zh-CN uses M-naming (M0 current, M1 = 1–30 … and `M<n>+` for the open-ended last bucket)
    only when every bucket follows the Chinese 30-day convention; otherwise plain DPD ranges,
    so a label never claims a convention the edges do not follow.
    """
    states = list(states)
    bounds = {s: _bucket_bounds(s) for s in states}
    m_naming = locale == "zh-CN" and _chinese_convention([b for b in bounds.values() if b])
    out = {}
    for state in states:
        b = bounds[state]
        if b is None:
            out[state] = label(locale, f"state.{state}") if f"state.{state}" in LABELS[locale] else state
        elif m_naming:
            lo, hi = b
            out[state] = f"M{(lo - 1) // 30 + 1}" if hi is not None else f"M{(lo - 1) // 30}+"
        elif b[1] is None:
            out[state] = label(locale, "state.bucket_plus", lo=b[0])
        else:
            out[state] = label(locale, "state.bucket", lo=b[0], hi=b[1])
    if m_naming and "current" in out:
        out["current"] = "M0"
    return out


def product_label(product: str, locale: str) -> str:
    """Known products are translated; an unknown one prints as it is (escaped by the template)."""
    key = f"product.{product}"
    return LABELS[check_locale(locale)].get(key, product)


MONTH_NAMES_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")


def month_label(month, locale: str) -> str:
    """`October 2026` / `2026年10月`: spelled out, so a month never reads as a day."""
    if check_locale(locale) == "zh-CN":
        return f"{month.year}年{month.month}月"
    return f"{MONTH_NAMES_EN[month.month - 1]} {month.year}"


# Region segments of mart.concentration: the 6-digit administrative code of a mainland province, or
# NO_REGION when the account has none. Names in both locales; an unknown code prints as the code.
NO_REGION = "(none)"
PROVINCES: dict[str, tuple[str, str]] = {  # code -> (zh-CN, en)
    "110000": ("北京", "Beijing"), "120000": ("天津", "Tianjin"), "130000": ("河北", "Hebei"),
    "140000": ("山西", "Shanxi"), "150000": ("内蒙古", "Inner Mongolia"), "210000": ("辽宁", "Liaoning"),
    "220000": ("吉林", "Jilin"), "230000": ("黑龙江", "Heilongjiang"), "310000": ("上海", "Shanghai"),
    "320000": ("江苏", "Jiangsu"), "330000": ("浙江", "Zhejiang"), "340000": ("安徽", "Anhui"),
    "350000": ("福建", "Fujian"), "360000": ("江西", "Jiangxi"), "370000": ("山东", "Shandong"),
    "410000": ("河南", "Henan"), "420000": ("湖北", "Hubei"), "430000": ("湖南", "Hunan"),
    "440000": ("广东", "Guangdong"), "450000": ("广西", "Guangxi"), "460000": ("海南", "Hainan"),
    "500000": ("重庆", "Chongqing"), "510000": ("四川", "Sichuan"), "520000": ("贵州", "Guizhou"),
    "530000": ("云南", "Yunnan"), "540000": ("西藏", "Xizang (Tibet)"), "610000": ("陕西", "Shaanxi"),
    "620000": ("甘肃", "Gansu"), "630000": ("青海", "Qinghai"), "640000": ("宁夏", "Ningxia"),
    "650000": ("新疆", "Xinjiang"),
}


def region_label(code: str, locale: str) -> str:
    """A province's name in the locale; NO_REGION as "region not recorded"; any other code as it is
    (escaped by the template)."""
    if code == NO_REGION:
        return label(locale, "conc.region_none")
    names = PROVINCES.get(code)
    if names is None:
        return code
    return names[0] if check_locale(locale) == "zh-CN" else names[1]
