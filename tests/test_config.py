from pathlib import Path

import pytest

from orchestration.config import REPO_ROOT, ConfigError, load_settings

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
    shown = settings.parameters()
    assert shown["ECL scenarios (weight × PD multiplier)"] == "base 60% × 1; downside 30% × 1.5; upside 10% × 0.8"
    assert shown["LGD fallback"] == "85.00% (below 30 completed workouts)"


def test_an_smtp_login_needs_its_password_in_the_environment(tmp_path):
    text = SHIPPED.replace('smtp_host = ""', 'smtp_host = "mail.example.com"').replace('smtp_user = ""',
                                                                                    'smtp_user = "riskpack"')
    path = tmp_path / "riskpack.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="RISKPACK_SMTP_PASSWORD"):
        load_settings({"RISKPACK_CONFIG": str(path)})
    delivery = load_settings({"RISKPACK_CONFIG": str(path), "RISKPACK_SMTP_PASSWORD": "s3cret"}).delivery
    assert (delivery.smtp_user, delivery.smtp_password) == ("riskpack", "s3cret")
