import os
from pathlib import Path

import pytest

from orchestration.config import REPO_ROOT, load_settings


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--long", action="store_true",
                     help="reliability suite: many more kills and fault combinations (`make reliability LONG=1`)")


@pytest.fixture
def long_mode(request) -> bool:
    return request.config.getoption("--long")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Every path of the job under tmp_path, set in the environment as an operator would; and the
    shipped config with English packs only, which halves the rendering of every job test (the
    end-to-end and report tests render both locales)."""
    config = tmp_path / "riskpack.toml"
    config.write_text((REPO_ROOT / "riskpack.toml").read_text(encoding="utf-8")
                      .replace('locales = ["en", "zh-CN"]', 'locales = ["en"]'), encoding="utf-8")
    values = {
        "RISKPACK_CONFIG": str(config),
        "RISKPACK_LANDING_DIR": str(tmp_path / "landing"),
        "RISKPACK_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
        "RISKPACK_OUTPUT_DIR": str(tmp_path / "reports"),
        "RISKPACK_OUTBOX": str(tmp_path / "outbox"),
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return dict(os.environ)


@pytest.fixture
def settings(env):
    return load_settings(env)
