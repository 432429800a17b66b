import json
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


# --- the reliability suite's summary --------------------------------------------------------------
# Every reliability test records the faults it tried, the outcome expected, the outcome seen and the
# rows lost; the table is printed at the end of the session. Workers (pytest-xdist) append to one
# JSON-lines file; the controlling process clears it first and prints it last. These hooks live in
# this top-level conftest because pytest calls session hooks only in the conftests it starts with.

LOG_NAME = "reliability.jsonl"


def _log(config: pytest.Config) -> Path:
    return Path(config.rootpath) / ".pytest_cache" / LOG_NAME


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # the controller, before any worker starts
        path = _log(session.config)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")


class Outcomes:
    def __init__(self, path: Path, test: str) -> None:
        self.path, self.test = path, test

    def record(self, fault: str, expected: str, seen: str, rows_lost: int = 0) -> None:
        line = {"fault": fault, "expected": expected, "seen": seen, "rows_lost": rows_lost, "test": self.test}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


@pytest.fixture
def outcomes(request) -> Outcomes:
    return Outcomes(_log(request.config), request.node.nodeid)


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    path = _log(config)
    if hasattr(config, "workerinput") or not path.is_file():
        return
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if not rows:
        return
    widths = [max(len(str(r[k])) for r in rows + [{"fault": "fault", "expected": "outcome expected",
                                                        "seen": "outcome seen", "rows_lost": "rows lost"}])
              for k in ("fault", "expected", "seen", "rows_lost")]
    widths = [min(w, 60) for w in widths]
    line = "  ".join(f"{{:{w}.{w}}}" for w in widths)
    terminalreporter.section("reliability: faults tried")
    terminalreporter.write_line(line.format("fault", "outcome expected", "outcome seen", "rows lost"))
    for r in rows:
        terminalreporter.write_line(line.format(r["fault"], r["expected"], r["seen"], str(r["rows_lost"])))
    lost = sum(r["rows_lost"] for r in rows)
    terminalreporter.write_line(f"{len(rows)} faults tried, {lost} rows lost")
