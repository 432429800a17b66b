from dataclasses import replace
from pathlib import Path

import pytest

from orchestration.config import REPO_ROOT, ConfigError, load_settings
from reports.i18n import setting_rows

SHIPPED = (REPO_ROOT / "riskpack.toml").read_text(encoding="utf-8")


def settings_with(tmp_path: Path, old: str, new: str):
    assert old in SHIPPED
    path = tmp_path / "riskpack.toml"
    path.write_text(SHIPPED.replace(old, new), encoding="utf-8")
    return load_settings({"RISKPACK_CONFIG": str(path)})


def test_shipped_config_is_valid_and_paths_default_under_the_repo():
    settings = load_settings({})
    assert settings.warehouse == REPO_ROOT / "data" / "warehouse.duckdb"
    assert settings.bucket_edges == (0, 1, 30, 60, 90, 120, 150, 180)


def test_environment_overrides_paths(tmp_path):
    settings = load_settings({"RISKPACK_WAREHOUSE": str(tmp_path / "w.duckdb")})
    assert settings.warehouse == tmp_path / "w.duckdb"


@pytest.mark.parametrize(("old", "new", "setting"), [
    ("bucket_edges = [0, 1, 30, 60, 90, 120, 150, 180]", "bucket_edges = [0, 30, 30, 60]", "states.bucket_edges"),
    ("bucket_edges = [0, 1, 30, 60, 90, 120, 150, 180]", "bucket_edges = [1, 30]", "states.bucket_edges"),
    ("quarantine_threshold = 0.005", "quarantine_threshold = 1.5", "loader.quarantine_threshold"),
    ('rollforward_tolerance = "1.00"', 'rollforward_tolerance = "one"', "loader.rollforward_tolerance"),
    ('first_month = "2023-11"\n\n[states]', 'first_month = "November"\n\n[states]', "portfolio.first_month"),
    ('currency = "CNY"', 'currency = "yuan"', "portfolio.currency"),
    ('format = "csv"', 'format = "xlsx"', "demo.format"),
    ("horizon = 24", "horizon = 0", "vintage.horizon"),
    ("n_periods = 0", "n_periods = -2", "vintage.n_periods"),
    ("window = 6", "window = 0", "roll_rates.window"),
    ('mode = "ifrs9"', 'mode = "ifrs17"', "ecl.mode"),
    ("default_dpd = 90", "default_dpd = 45", "ecl.default_dpd"),
    ("lgd_fallback = 0.85", "lgd_fallback = 1.2", "ecl.lgd_fallback"),
    ("behavioural_life = 36", "behavioural_life = 0", "ecl.behavioural_life"),
    ("revolving = 0.5", "overdraft = 0.5", "ecl.ccf.overdraft"),
    ("revolving = 0.5", "revolving = 1.5", "ecl.ccf.revolving"),
    ("weight = 0.6", "weight = 0.5", "ecl.scenarios"),
    ("pd_multiplier = 1.5", "pd_multiplier = -1.0", "ecl.scenarios"),
    ('name = "upside"', 'name = "base"', "ecl.scenarios"),
    ('cron = "0 2 * * *"', 'cron = "at two"', "schedule.cron"),
    ('["cn_2023", "2023-07-01"]]', '["cn_2031", "2031-07-01"]]', "regulatory.schedule"),
    ('["cn_2023", "2023-07-01"]]', '["cn_2023", "2011-01-13"]]', "regulatory.schedule"),
    ("provision_coverage_min = 1.50", "provision_coverage_min = -1.0", "regulatory.provision_coverage_min"),
    ('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"', "schedule.timezone"),
    ("settle_minutes = 10", "settle_minutes = 0", "sensor.settle_minutes"),
    ('tls = "starttls"', 'tls = "maybe"', "delivery.tls"),
    ("smtp_port = 587", "smtp_port = 70000", "delivery.smtp_port"),
    ('management = ["risk-committee@example.com"]', 'management = ["risk committee"]', "delivery.recipients.management"),
    ('operators = ["riskpack-ops@example.com"]', "operators = []", "alerts.operators"),
])
def test_bad_settings_are_named(tmp_path, old, new, setting):
    with pytest.raises(ConfigError, match=setting.replace(".", r"\.")):
        settings_with(tmp_path, old, new)


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="RISKPACK_CONFIG"):
        load_settings({"RISKPACK_CONFIG": str(tmp_path / "absent.toml")})


def test_ecl_settings_and_their_appendix_lines():
    settings = load_settings({})
    assert settings.ecl.scenarios == (("base", 0.6, 1.0), ("downside", 0.3, 1.5), ("upside", 0.1, 0.8))
    assert settings.ecl.ccf == (("revolving", 0.5),)
    shown = {locale: dict(setting_rows(settings.parameters(), locale)) for locale in ("en", "zh-CN")}
    assert shown["en"]["ECL scenarios (weight × PD multiplier)"] == "Base 60% × 1; Downside 30% × 1.5; Upside 10% × 0.8"
    assert shown["en"]["LGD fallback"] == "85.00% (below 30 completed workouts)"
    assert shown["en"]["CCF on undrawn active lines"] == "Revolving 50%"
    assert shown["en"]["default (DPD)"] == "≥ 90 or charged off"
    assert shown["zh-CN"]["预期信用损失情景（权重 × 违约概率乘数）"] == "基准 60% × 1；悲观 30% × 1.5；乐观 10% × 0.8"
    assert shown["zh-CN"]["违约损失率后备值"] == "85.00%（已完成清收少于 30 笔时）"
    assert shown["zh-CN"]["未使用额度信用转换系数"] == "循环贷 50%"
    assert shown["zh-CN"]["违约定义（逾期天数）"] == "逾期 ≥ 90 天或已核销"


def test_the_appendix_words_follow_the_locale_and_made_up_names_print_as_configured():
    settings = load_settings({})
    zh = dict(setting_rows(settings.parameters(), "zh-CN"))
    assert zh["监管分类制度"] == "cn_card_2011，自 2011-01-13 起；cn_2023，自 2023-07-01 起"
    assert zh["链梯法每个发展因子所用批次"] == "全部"
    assert zh["预警评分参数"] == "以 12 个月拟合（至少 6 个月），分档切点 0.02, 0.05, 0.1, 0.2，预警名单为 D 档及风险更高的各档，基尼系数下限 0.3"
    en = dict(setting_rows(settings.parameters(), "en"))
    assert en["regulatory classification regimes"] == "cn_card_2011 from 2011-01-13; cn_2023 from 2023-07-01"
    assert en["early-warning score"] == ("fitted on 12 months (at least 6), band cuts 0.02, 0.05, 0.1, 0.2, "
                                         "watchlist band D and worse, Gini floor 0.3")
    custom = replace(settings, ecl=replace(settings.ecl, ccf=(), scenarios=(("stagflation", 1.0, 2.0),)),
                     vintage_n_periods=5)
    zh = dict(setting_rows(custom.parameters(), "zh-CN"))
    assert (zh["未使用额度信用转换系数"], zh["预期信用损失情景（权重 × 违约概率乘数）"], zh["链梯法每个发展因子所用批次"]) == (
        "无", "stagflation 100% × 2", "5")


def test_an_smtp_login_needs_its_password_in_the_environment(tmp_path):
    text = SHIPPED.replace('smtp_host = ""', 'smtp_host = "mail.example.com"').replace('smtp_user = ""',
                                                                                    'smtp_user = "riskpack"')
    path = tmp_path / "riskpack.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="RISKPACK_SMTP_PASSWORD"):
        load_settings({"RISKPACK_CONFIG": str(path)})
    delivery = load_settings({"RISKPACK_CONFIG": str(path), "RISKPACK_SMTP_PASSWORD": "s3cret"}).delivery
    assert (delivery.smtp_user, delivery.smtp_password) == ("riskpack", "s3cret")
