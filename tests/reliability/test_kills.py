"""SIGKILL at random moments: during a reload of three months (loads and mart builds), during a
report render, during email delivery.

The reload replaces a warehouse built from one portfolio (A) with corrected extracts of another
(B) under the same dates, so every month-table differs between the two states. After each kill the
warehouse must open, every month of every table must be entirely A or entirely B (and the tables
one transaction writes together must agree), and a rerun must give exactly the undisturbed B.
"""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.config import REPO_ROOT
from simulator.portfolio import SimulationParams, simulate
from tests.smtp_server import Inbox, smtp_config, smtp_server
from tests.warehouse_dump import by_month, dump

FIRST, LAST = "2024-01-01", "2024-03-01"
# the tables each transaction writes for a month (a kill may fall between transactions, not inside)
TRANSACTIONS = {
    "ledger": ("core.accounts", "core.account_month", "core.postings", "core.loss_postings"),
    "delinquency": ("mart.delinquency", "mart.delinquency_by_state"),
    "vintage": ("mart.vintage", "mart.vintage_lifetime"),
    "roll_rates": ("mart.roll_rates", "mart.roll_rate_summary", "mart.flow_rates", "mart.roll_rates_pooled",
                   "mart.markov_projection", "mart.absorption"),
    "ecl": ("mart.ecl_account", "mart.ecl_summary", "mart.ecl_scenarios", "mart.pd_term_structure", "mart.lgd",
            "mart.stage_migration", "mart.allowance_movement", "mart.ecl_checks"),
}


def run_job(env: dict, part: str, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "tests.reliability.job", FIRST, LAST, part], cwd=REPO_ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def finish(env: dict, part: str, log: Path) -> None:
    assert run_job(env, part, log).wait(timeout=600) == 0, log.read_text()[-3000:]


def kill_after(env: dict, part: str, log: Path, seconds: float) -> None:
    proc = run_job(env, part, log)
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """Warehouse A (portfolio 1 loaded), the corrected landing (portfolio 2), and the undisturbed
    result B of reloading A from it, with the time that reload took."""
    root = tmp_path_factory.mktemp("kills")
    first, corrected = root / "landing-a", root / "landing-b"
    for seed, landing in ((1, first), (2, corrected)):
        simulate(SimulationParams(accounts=300, months=3, first_month=date(2024, 1, 1), seed=seed), landing,
                 progress=False)
    env_a = {**os.environ, "RISKPACK_LANDING_DIR": str(first), "RISKPACK_WAREHOUSE": str(root / "a.duckdb"),
             "RISKPACK_OUTPUT_DIR": str(root / "reports"), "RISKPACK_OUTBOX": str(root / "outbox")}
    finish(env_a, "marts", root / "a.log")
    shutil.copy(root / "a.duckdb", root / "b.duckdb")
    env_b = {**env_a, "RISKPACK_LANDING_DIR": str(corrected), "RISKPACK_WAREHOUSE": str(root / "b.duckdb")}
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "import tests.reliability.job, orchestration.definitions"], cwd=REPO_ROOT,
                   env=env_b, check=True, capture_output=True)
    startup = time.monotonic() - started  # the kills land after it, in the work itself
    started = time.monotonic()
    finish(env_b, "marts", root / "b.log")
    return {"root": root, "env": env_b, "a": dump(root / "a.duckdb"), "b": dump(root / "b.duckdb"),
            "startup": startup, "seconds": time.monotonic() - started}


def month_states(tables: dict, a: dict, b: dict, warehouse: Path) -> dict[tuple[str, object], set[str]]:
    """For each (table, month): which of the states A and B its rows equal (empty: neither, torn)."""
    now, then, after = by_month(tables, warehouse), by_month(a, warehouse), by_month(b, warehouse)
    keys = set(now) | set(then) | set(after)
    return {k: {name for name, state in (("A", then), ("B", after)) if now.get(k, []) == state.get(k, [])}
            for k in keys}


def test_killed_loads_and_mart_builds_leave_every_month_whole(states, outcomes, long_mode, tmp_path):
    kills = 25 if long_mode else 3
    rng = random.Random(20261129)
    for trial in range(kills):
        warehouse = tmp_path / f"w{trial}.duckdb"
        shutil.copy(states["root"] / "a.duckdb", warehouse)
        env = {**states["env"], "RISKPACK_WAREHOUSE": str(warehouse)}
        moment = rng.uniform(states["startup"], states["seconds"])
        kill_after(env, "marts", tmp_path / f"w{trial}.log", moment)
        seen = month_states(dump(warehouse), states["a"], states["b"], warehouse)  # opens after the kill
        torn = sorted(f"{table} {month}" for (table, month), match in seen.items() if not match)
        mixed = []
        for name, tables in TRANSACTIONS.items():
            for month in {m for (_, m) in seen}:
                common = set.intersection(*(seen.get((t, month), {"A", "B"}) for t in tables))
                if not common:
                    mixed.append(f"{name} {month}")
        finish(env, "marts", tmp_path / f"w{trial}.log")
        rerun_equal = dump(warehouse) == states["b"]
        months_new = sum(1 for (t, _), match in seen.items() if t == "core.account_month" and match == {"B"})
        outcomes.record(f"SIGKILL during load/marts at {moment:.1f} s (trial {trial + 1})",
                        "every month whole (old or new); rerun = undisturbed",
                        f"{'torn: ' + ', '.join(torn) if torn else 'whole'}; {months_new} of 3 months reloaded; "
                        f"rerun {'equal' if rerun_equal else 'DIFFERENT'}", len(torn) + len(mixed))
        assert not torn and not mixed, (torn, mixed)
        assert rerun_equal


def complete_file(path: Path) -> bool:
    data = path.read_bytes()
    return data.rstrip().endswith(b"%%EOF") if path.suffix == ".pdf" else data.rstrip().endswith(b"</html>")


def test_a_killed_render_leaves_no_partial_report(states, outcomes, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(states["root"] / "b.duckdb", warehouse)
    output = tmp_path / "reports"
    env = {**states["env"], "RISKPACK_WAREHOUSE": str(warehouse), "RISKPACK_OUTPUT_DIR": str(output)}
    started = time.monotonic()
    finish(env, "reports", tmp_path / "first.log")
    seconds = time.monotonic() - started
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file() and not p.name.startswith(".")}
    for trial, fraction in enumerate((0.5, 0.8)):
        kill_after(env, "reports", tmp_path / "kill.log", seconds * fraction)
        visible = [p for p in output.rglob("*") if p.is_file() and not p.name.startswith(".")]
        partial = [str(p) for p in visible if not complete_file(p)]
        outcomes.record(f"SIGKILL during report render ({fraction:.0%} of a render)",
                        "no partial file under a reader's name",
                        f"{len(visible)} visible files, {len(partial)} partial", len(partial))
        assert not partial and set(visible) == set(before)
    finish(env, "reports", tmp_path / "again.log")
    assert {p: p.read_bytes() for p in before} == before  # the rerun writes the same bytes


def test_a_killed_delivery_marks_nothing_sent_that_was_not(states, outcomes, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(states["root"] / "b.duckdb", warehouse)
    output = tmp_path / "reports"
    env = {**states["env"], "RISKPACK_WAREHOUSE": str(warehouse), "RISKPACK_OUTPUT_DIR": str(output)}
    finish(env, "reports", tmp_path / "render.log")
    inbox = Inbox(reply_after=1.5)  # a slow relay: the kill lands while messages are in flight
    with smtp_server(inbox) as port:
        env = {**env, "RISKPACK_CONFIG": str(smtp_config(tmp_path, port))}
        kill_after(env, "delivery", tmp_path / "kill.log", 8.0)
        with duckdb.connect(str(warehouse)) as con:
            recorded = [m for (m,) in con.execute("select message_id from audit.deliveries").fetchall()]
        received = [m["Message-ID"] for m in inbox.messages]
        unsent = sorted(set(recorded) - set(received))
        finish(env, "delivery", tmp_path / "rest.log")
        with duckdb.connect(str(warehouse)) as con:
            months = [m for (m,) in con.execute("select strftime(month, '%Y-%m') from audit.deliveries "
                                                "order by month").fetchall()]
    outcomes.record("SIGKILL during email delivery (slow SMTP server)", "nothing recorded as sent that was not",
                    f"{len(recorded)} recorded, {len(received)} received before the kill; "
                    f"{len(unsent)} recorded but not received", len(unsent))
    assert not unsent
    # the rerun sent the rest: each month's two packs recorded once
    assert months == ["2024-01", "2024-01", "2024-02", "2024-02", "2024-03", "2024-03"]
