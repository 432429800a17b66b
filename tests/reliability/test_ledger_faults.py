"""Every fault of the ledger contract the simulator can inject, alone and mixed, in CSV, gzip CSV and
Parquet, UTF-8 and GBK: the documented outcome, and rows_in_file = loaded + quarantined."""

import shutil
from datetime import date

import duckdb
import pytest

from orchestration.config import load_settings
from orchestration.ingest.load import load_month
from orchestration.ingest.manifest import ExtractRefused
from simulator.faults import FAULTS, inject
from simulator.portfolio import SimulationParams, simulate

LAYOUTS = [("csv", "utf-8"), ("csv", "gbk"), ("csv.gz", "utf-8"), ("csv.gz", "gbk"), ("parquet", "utf-8")]
TEXT_ONLY = {"malformed_value", "gbk_undeclared"}
REFUSAL = {"wrong_control_total": "control total mismatch", "truncated_file": "checksum mismatch",
           "gbk_undeclared": "unreadable encoding"}
ROW_FAULTS = ("vanished_account", "malformed_value", "duplicate_key", "unknown_account")  # in injection order


def applicable(fault: str, fmt: str, encoding: str) -> bool:
    if fault in TEXT_ONLY and fmt == "parquet":
        return False
    return not (fault == "gbk_undeclared" and encoding == "gbk")  # a GBK extract declares its encoding


CASES = ([(fmt, enc, (fault,)) for fmt, enc in LAYOUTS for fault in FAULTS if applicable(fault, fmt, enc)]
         + [(fmt, enc, tuple(f for f in ROW_FAULTS if applicable(f, fmt, enc))) for fmt, enc in LAYOUTS]
         + [(fmt, enc, (*(f for f in ROW_FAULTS if applicable(f, fmt, enc)), "truncated_file"))
            for fmt, enc in LAYOUTS])


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """Per layout: two simulated months, and a warehouse with the first one loaded."""
    root = tmp_path_factory.mktemp("faults")
    out = {}
    for fmt, enc in LAYOUTS:
        base = root / f"{fmt}-{enc}"
        simulate(SimulationParams(accounts=250, months=2, first_month=date(2024, 1, 1), seed=5, file_format=fmt,
                                  encoding=enc), base / "landing", progress=False)
        settings = load_settings({"RISKPACK_LANDING_DIR": str(base / "landing"),
                                  "RISKPACK_WAREHOUSE": str(base / "warehouse.duckdb")})
        load_month(settings, date(2024, 1, 1), "run-1")
        out[(fmt, enc)] = base
    return out


def case_id(case) -> str:
    fmt, enc, faults = case
    return f"{fmt}-{enc}-{'+'.join(faults)}"


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_fault_outcome(books, tmp_path, outcomes, case):
    fmt, enc, faults = case
    shutil.copytree(books[(fmt, enc)], tmp_path, dirs_exist_ok=True)
    settings = load_settings({"RISKPACK_LANDING_DIR": str(tmp_path / "landing"),
                              "RISKPACK_WAREHOUSE": str(tmp_path / "warehouse.duckdb")})
    february = tmp_path / "landing" / "2024-02-29"
    records = [inject(february, fault, seed=3 + i) for i, fault in enumerate(faults)]
    label = f"{' + '.join(faults)} ({fmt}, {enc})"
    file_level = [r for r in records if r.level == "file"]
    if file_level:
        with pytest.raises(ExtractRefused) as refused:
            load_month(settings, date(2024, 2, 1), "run-2")
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            loaded = con.execute("select count(*) from core.account_month where month = '2024-02-01'").fetchone()[0]
        expected = REFUSAL[file_level[-1].fault]
        outcomes.record(label, f"refused: {expected}", f"refused: {refused.value.fault} ({refused.value.file_name})",
                        loaded)
        assert refused.value.fault == expected and loaded == 0
        return
    result = load_month(settings, date(2024, 2, 1), "run-2")
    log = result.tables["audit.loads"]
    lost = int((log["rows_in_file"] - log["rows_loaded"] - log["rows_quarantined"]).sum())
    quarantine = result.tables["audit.quarantine"]
    expected_lines = {(r.file_name, line) for r in records for line in r.lines}
    seen_lines = set(zip(quarantine["file_name"].to_list(), quarantine["line"].to_list()))
    vanished = result.tables["audit.vanished_accounts"]["account_id"].to_list()
    expected_vanished = [r.account_id for r in records if r.fault == "vanished_account"]
    outcomes.record(label, f"loaded; {len(expected_lines)} rows quarantined; {len(expected_vanished)} vanished listed",
                    f"loaded; {quarantine.height} rows quarantined; {len(vanished)} vanished listed", lost)
    assert lost == 0
    assert seen_lines == expected_lines
    for record in records:
        if record.level == "row":
            reason = record.outcome.split(": ", 1)[1]
            mine = quarantine.filter(quarantine["line"].is_in(list(record.lines)))
            assert mine["reason"].str.contains(reason, literal=True).any(), (record, mine["reason"].to_list())
    assert vanished == expected_vanished
