"""The reliability suite's summary: every test records the faults it tried, the outcome expected,
the outcome seen and the rows lost; `pytest_terminal_summary` prints them as one table.

Workers (pytest-xdist) append to one JSON-lines file; the controlling process prints it.
"""

import json
from pathlib import Path

import pytest

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
