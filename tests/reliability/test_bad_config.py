"""A wrong configuration stops `riskpack run` at start-up with a message naming the setting, before
anything is simulated, loaded or written."""

import pytest

from orchestration import cli
from orchestration.config import REPO_ROOT

SHIPPED = (REPO_ROOT / "riskpack.toml").read_text(encoding="utf-8")
CASES = {
    "scenario weights not summing to 1": ("weight = 0.6", "weight = 0.7", "ecl.scenarios"),
    "unknown regulatory regime": ('["cn_2023", "2023-07-01"]]', '["cn_2031", "2023-07-01"]]',
                                  "regulatory.schedule"),
    "bucket edges not increasing": ("bucket_edges = [0, 1, 30, 60, 90, 120, 150, 180]",
                                    "bucket_edges = [0, 1, 60, 30, 90]", "states.bucket_edges"),
    "missing environment variable (SMTP password)": (
        'smtp_host = ""\nsmtp_port = 587\ntls = "starttls"          # "none", "starttls" or "ssl"\nsmtp_user = ""',
        'smtp_host = "mail.example.com"\nsmtp_port = 587\ntls = "starttls"\nsmtp_user = "riskpack"',
        "RISKPACK_SMTP_PASSWORD"),
    "config file missing": (None, None, "RISKPACK_CONFIG"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_configuration_stops_everything_at_start_up(settings, tmp_path, monkeypatch, capsys, outcomes, case):
    old, new, setting = CASES[case]
    config = tmp_path / "bad-config" / "riskpack.toml"  # not the `env` fixture's config file
    config.parent.mkdir()
    if old is not None:
        assert old in SHIPPED, old
        config.write_text(SHIPPED.replace(old, new), encoding="utf-8")
    monkeypatch.setenv("RISKPACK_CONFIG", str(config))
    monkeypatch.delenv("RISKPACK_SMTP_PASSWORD", raising=False)
    code = cli.main(["run"])
    message = capsys.readouterr().err.strip()
    touched = [p.name for p in (settings.landing_dir, settings.warehouse, settings.output_dir) if p.exists()]
    outcomes.record(f"bad configuration: {case}", f"exit 2 naming {setting}, nothing run",
                    f"exit {code}: {message[:70]}; touched: {', '.join(touched) or 'nothing'}")
    assert code == 2 and message.startswith("configuration error: ") and setting in message
    assert touched == []
