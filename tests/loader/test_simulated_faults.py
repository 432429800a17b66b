"""Every fault the simulator injects gives the documented outcome when the loader meets it."""

from datetime import date

import duckdb
import polars as pl
import pytest

from orchestration.ingest.load import load_month
from orchestration.ingest.manifest import ExtractRefused
from simulator.faults import FAULTS, inject
from simulator.portfolio import SimulationParams, simulate

REFUSAL = {"wrong_control_total": "control total mismatch", "truncated_file": "checksum mismatch",
           "gbk_undeclared": "unreadable encoding"}
CSV_ONLY = {"malformed_value", "gbk_undeclared"}
CASES = [(fault, fmt) for fault in FAULTS for fmt in ("csv", "csv.gz", "parquet")
         if not (fault in CSV_ONLY and fmt == "parquet")]


@pytest.mark.parametrize(("fault", "fmt"), CASES)
def test_fault_outcome(settings, fault, fmt):
    params = SimulationParams(accounts=400, months=2, first_month=date(2024, 1, 1), seed=9, file_format=fmt)
    january, february = simulate(params, settings.landing_dir, progress=False)
    load_month(settings, date(2024, 1, 1), "run-1")
    record = inject(february, fault, seed=1)

    if record.level == "file":
        with pytest.raises(ExtractRefused) as refused:
            load_month(settings, date(2024, 2, 1), "run-2")
        assert refused.value.fault == REFUSAL[fault]
        assert refused.value.file_name == record.file_name
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            assert con.execute("select count(*) from core.account_month where month = '2024-02-01'").fetchone() == (0,)
        return

    result = load_month(settings, date(2024, 2, 1), "run-2")
    log = result.tables["audit.loads"]
    assert (log["rows_in_file"] == log["rows_loaded"] + log["rows_quarantined"]).all()
    quarantine = result.tables["audit.quarantine"]
    if record.level == "row":
        assert sorted(quarantine["line"].to_list()) == sorted(record.lines)
        assert (quarantine["file_name"] == record.file_name).all()
        expected = record.outcome.split(": ", 1)[1]
        assert quarantine["reason"].str.contains(expected, literal=True).all(), quarantine["reason"].to_list()
    else:
        assert quarantine.height == 0
        assert result.tables["audit.vanished_accounts"]["account_id"].to_list() == [record.account_id]
        breaks = result.tables["audit.rollforward_summary"].filter(pl.col("product") == "all")
        assert breaks["accounts_with_break"][0] == 0


def test_unknown_fault_is_named(tmp_path):
    with pytest.raises(ValueError, match="unknown fault 'nonsense'"):
        inject(tmp_path, "nonsense")
