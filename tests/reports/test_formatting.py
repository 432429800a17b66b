"""Locale number formatting and labels (reports.formatting, reports.i18n)."""

import string
from datetime import date
from decimal import Decimal

import pytest

from reports import formatting
from reports.i18n import (
    LABELS,
    SETTING_NAMES,
    label,
    month_label,
    product_label,
    setting_name,
    state_labels,
)

US_STATES = ["current", "dpd_1_29", "dpd_30_59", "dpd_60_89", "dpd_90_119", "dpd_120_149",
             "dpd_150_179", "dpd_180_plus", "charged_off", "closed"]
CN_STATES = ["current", "dpd_1_30", "dpd_31_60", "dpd_61_90", "dpd_91_120", "dpd_121_150",
             "dpd_151_180", "dpd_181_plus", "charged_off", "closed"]


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (1234567, 0, "1,234,567"),
    (Decimal("1234567.891"), 2, "1,234,567.89"),
    (Decimal("2.345"), 2, "2.35"),          # half-up on the exact decimal, not banker's rounding
    (Decimal("2.335"), 2, "2.34"),
    (-1234.5, 2, "-1,234.50"),
    (Decimal("-0.001"), 2, "0.00"),          # never "-0.00"
    (999, 0, "999"),
])
def test_en_numbers(value, decimals, expected):
    assert formatting.number(value, "en", decimals) == expected


def test_en_percent_money_and_changes():
    assert formatting.percent(0.031, "en") == "3.10%"
    assert formatting.percent(0.031, "en", 1) == "3.1%"
    assert formatting.percent(0.0125, "en", 3) == "1.250%"
    assert formatting.money(Decimal("1100000.00"), "en", "CNY") == "CNY 1,100,000.00"
    assert formatting.money(Decimal("-1234.5"), "en", "EUR") == "EUR -1,234.50"
    assert formatting.change_pp(0.004, "en") == "+0.40 pp"
    assert formatting.change_pp(-0.004, "en") == "-0.40 pp"
    assert formatting.change_pp(0.00001, "en") == "0.00 pp"
    assert formatting.change_percent(Decimal(50000) / Decimal(1050000), "en") == "+4.8%"
    assert formatting.change_percent(-0.25, "en") == "-25.0%"


def test_missing_values_print_as_na():
    for fmt in (lambda v: formatting.number(v, "en"), lambda v: formatting.percent(v, "en"),
                lambda v: formatting.money(v, "en", "CNY"), lambda v: formatting.change_pp(v, "en"),
                lambda v: formatting.change_percent(v, "en")):
        assert fmt(None) == "n/a"
        assert fmt(float("nan")) == "n/a"
    assert formatting.percent(None, "zh-CN") == "不适用"


def test_zh_cn_money_uses_the_yuan_sign_for_cny_only():
    assert formatting.money(Decimal("1234.5"), "zh-CN", "CNY") == "¥1,234.50"
    assert formatting.money(Decimal("-1234.5"), "zh-CN", "CNY") == "-¥1,234.50"
    assert formatting.money(Decimal("1234.5"), "zh-CN", "USD") == "USD 1,234.50"
    assert formatting.change_pp(0.004, "zh-CN") == "+0.40个百分点"


def test_every_label_exists_in_every_locale():
    assert set(LABELS["en"]) == set(LABELS["zh-CN"])
    for locale in LABELS:
        # placeholders must match, or a format() call fails in one locale only
        for key, text in LABELS[locale].items():
            other = LABELS["en"][key]
            assert sorted(_fields(text)) == sorted(_fields(other)), (locale, key)


def test_every_setting_the_packs_print_has_its_name_in_every_locale():
    import polars as pl

    from orchestration.config import load_settings
    from orchestration.documents import lineage
    from orchestration.provenance import computed_with

    loads = pl.DataFrame({"as_of_date": [date(2026, 10, 31)], "run_id": ["run-1"]})
    settings = load_settings({})
    recorded = pl.DataFrame({"step": ["mart/ecl"], "config_file": ["riskpack.toml"],
                             "config_sha256": [settings.configuration.sha256],
                             "config_text": [settings.configuration.text]})
    names = [*settings.parameters(), *lineage(loads, computed_with(settings, recorded, {}))]
    assert "configuration SHA-256" in names
    assert set(SETTING_NAMES) == set(LABELS) - {"en"}
    for locale, translated in SETTING_NAMES.items():
        assert [name for name in names if name not in translated] == [], locale
    assert setting_name("config file", "zh-CN") == "配置文件" and setting_name("config file", "en") == "config file"
    assert setting_name("a name added later", "zh-CN") == "a name added later"


def _fields(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_unknown_label_and_locale_fail_loudly():
    with pytest.raises(KeyError):
        label("en", "no.such.key")
    with pytest.raises(ValueError):
        label("fr", "na")


def test_state_labels_en():
    labels = state_labels(US_STATES, "en")
    assert labels["current"] == "Current"
    assert labels["dpd_30_59"] == "30–59 DPD"
    assert labels["dpd_180_plus"] == "180+ DPD"
    assert labels["charged_off"] == "Charged off"
    assert labels["closed"] == "Closed"


def test_state_labels_zh_cn_use_m_naming_only_on_the_chinese_convention():
    cn = state_labels(CN_STATES, "zh-CN")
    assert [cn[s] for s in CN_STATES[:8]] == ["M0", "M1", "M2", "M3", "M4", "M5", "M6", "M6+"]
    assert cn["charged_off"] == "已核销"
    us = state_labels(US_STATES, "zh-CN")
    assert us["current"] == "正常"
    assert us["dpd_30_59"] == "逾期 30–59 天"
    assert us["dpd_180_plus"] == "逾期 180 天以上"


def test_products_and_months():
    assert product_label("revolving", "en") == "Revolving"
    assert product_label("cash_loan", "zh-CN") == "现金贷"
    assert product_label("new_thing", "en") == "new_thing"
    assert month_label(date(2026, 10, 1), "en") == "October 2026"
    assert month_label(date(2026, 10, 1), "zh-CN") == "2026年10月"


def test_counts_in_each_locales_grammar():
    """"after 1 months" and "at 1 months on book" were printed before these existed."""
    assert [formatting.months(n, "en") for n in (0, 1, 2, 12)] == ["0 months", "1 month", "2 months", "12 months"]
    assert [formatting.months(n, "zh-CN") for n in (1, 6)] == ["1 个月", "6 个月"]
    assert [formatting.accounts(n, "en") for n in (0, 1, 1204)] == ["0 accounts", "1 account", "1,204 accounts"]
    assert formatting.accounts(1204, "zh-CN") == "1,204 个账户"
