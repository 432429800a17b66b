"""The Dagster webserver and daemon as real processes on 127.0.0.1, for tests that use the UI's
GraphQL API and the run queue the way an operator's browser and the nightly machine do."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orchestration.config import REPO_ROOT
from tests.smtp_server import free_port

BIN = Path(sys.executable).parent


def dagster_home(tmp_path: Path) -> Path:
    """A fresh instance directory with the shipped instance config (pools, run queue)."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO_ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    return home


@contextmanager
def process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    with log.open("wb") as out:
        proc = subprocess.Popen(args, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class GraphQL:
    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/graphql"

    def __call__(self, query: str, variables: dict | None = None) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
        assert "errors" not in answer, answer["errors"]
        return answer["data"]


@contextmanager
def webserver(env: dict[str, str], log: Path, timeout: float = 120) -> Iterator[GraphQL]:
    """`dagster-webserver -w workspace.yaml` on a free 127.0.0.1 port; yields its GraphQL client."""
    port = free_port()
    args = [str(BIN / "dagster-webserver"), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)]
    with process(args, env, log) as proc:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"dagster-webserver did not start:\n{log.read_text()}") from None
                time.sleep(0.5)
        yield GraphQL(port)


@contextmanager
def daemon(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """`dagster-daemon run`: the run queue, schedules, sensors and backfills of the instance."""
    with process([str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"], env, log) as proc:
        yield proc


def environment(home: Path, **paths: str) -> dict[str, str]:
    return {**os.environ, "DAGSTER_HOME": str(home), **paths}
