"""Display labels per locale: every word a pack prints comes from here, never from a template.

Keeping the words in one dictionary per locale means a new pack or a new locale is a matter
of filling a table, and a test can check that every key used exists in every locale.
Machine labels of states (`current`, `dpd_30_59`, `charged_off` …) are translated here too,
from their structure, so a change of bucket edges needs no new translation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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
        "section.parameters": "Parameters in force",
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
        "product.installment": "Installment",
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
        "summary.receivable": "The receivable balance {direction} {change} to {value}, on {accounts} "
                              "accounts on book.",
        "summary.receivable_level": "The receivable balance is {value}, on {accounts} accounts on book.",
        "summary.nco": "Net charge-offs were {amount} (gross {gross}, recoveries {recoveries}), an "
                       "annualised rate of {rate}.",
        "summary.nco_no_rate": "Net charge-offs were {amount} (gross {gross}, recoveries {recoveries}).",
        "summary.data_clean": "Data quality: every file loaded in full ({files} in all), no roll-forward "
                              "break, no vanished account.",
        "summary.data_issues": "Data quality needs attention: quarantined rows {quarantined}; accounts "
                               "with a roll-forward break {breaks}; vanished accounts {vanished}.",
        "rose": "rose",
        "fell": "fell",
        "grew": "grew",
        "shrank": "shrank",
        # states
        "state.current": "Current",
        "state.charged_off": "Charged off",
        "state.closed": "Closed",
        "state.bucket": "{lo}–{hi} DPD",
        "state.bucket_plus": "{lo}+ DPD",
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
        "section.parameters": "现行参数",
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
        "summary.receivable": "应收余额{direction} {change}，至 {value}；在册账户 {accounts} 户。",
        "summary.receivable_level": "应收余额为 {value}；在册账户 {accounts} 户。",
        "summary.nco": "净核销 {amount}（核销 {gross}，回收 {recoveries}），年化净核销率 {rate}。",
        "summary.nco_no_rate": "净核销 {amount}（核销 {gross}，回收 {recoveries}）。",
        "summary.data_clean": "数据质量：全部 {files} 个文件完整加载，余额滚动核对无差异，无消失账户。",
        "summary.data_issues": "数据质量需关注：隔离 {quarantined} 行，余额滚动差异账户 {breaks} 个，消失账户 {vanished} 个。",
        "rose": "上升",
        "fell": "下降",
        "grew": "增加",
        "shrank": "减少",
        "state.current": "正常",
        "state.charged_off": "已核销",
        "state.closed": "已结清",
        "state.bucket": "逾期 {lo}–{hi} 天",
        "state.bucket_plus": "逾期 {lo} 天以上",
    },
}

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
