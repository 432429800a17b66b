"""The loader on hand-made extracts: what loads, what is quarantined and why, on which line."""

from datetime import date
from decimal import Decimal

import duckdb
import polars as pl
import pytest

from orchestration.ingest.load import LOSS_ENTRY_TYPES, load_month
from orchestration.ingest.manifest import ExtractRefused
from orchestration.warehouse import connect, frame
from tests.ledger_builder import Extract, account, posting, snapshot

JAN, FEB = date(2024, 1, 1), date(2024, 2, 1)


def january() -> Extract:
    return Extract("2024-01-31",
                   [account("A1", channel="合作商户"), account("A2", "installment"), account("A3", "cash_loan")],
                   [snapshot("2024-01-31", "A1", "500.00"), snapshot("2024-01-31", "A2", "800.00", dpd=31),
                    snapshot("2024-01-31", "A3", "300.00", limit="0.00")],
                   [posting("P1", "A1", "2024-01-20", "disbursement", "500.00"),
                    posting("P2", "A2", "2024-01-15", "disbursement", "800.00"),
                    posting("P3", "A3", "2024-01-16", "disbursement", "300.00")])


def february(as_of: str, a1_principal: str, postings: list[dict]) -> Extract:
    """January's accounts in a February extract: A1 at `a1_principal`, A2 and A3 as they were."""
    return Extract(as_of, january().accounts,
                   [snapshot(as_of, "A1", a1_principal), snapshot(as_of, "A2", "800.00"),
                    snapshot(as_of, "A3", "300.00", limit="0.00")], postings)


def query(settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def table(settings, name: str) -> pl.DataFrame:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.sql(f"select * exclude (run_id) from {name}" if name.startswith("audit.q") else
                       f"select * from {name}").pl()


def test_clean_extract_loads_every_row(settings):
    january().write(settings.landing_dir)
    result = load_month(settings, JAN, "run-a")
    assert result.rows("core.accounts") == 3
    assert result.rows("core.account_month") == 3
    assert result.rows("core.postings") == 3
    assert query(settings, "select sum(rows_in_file), sum(rows_loaded), sum(rows_quarantined) from audit.loads") \
        == [(9, 9, 0)]
    assert query(settings, "select channel from core.accounts where account_id = 'A1'") == [("合作商户",)]
    assert query(settings, "select state, mob, total_balance from core.account_month where account_id = 'A2'") \
        == [("dpd_30_59", 0, Decimal("800.00"))]


def test_row_level_faults_are_quarantined_with_reason_and_line(settings):
    bad = january()
    bad.accounts.append(account("A4", grade="Z"))                                   # accounts line 5
    bad.account_months += [
        snapshot("2024-01-31", "A9", "1.00"),                                      # line 5: unknown account
        snapshot("2024-01-31", "A1", "1.00"),                                      # line 6: duplicate key (A1 twice)
        {**snapshot("2024-01-31", "A3", "0.00"), "days_past_due": "12.5"},         # line 7: not an integer + dup
        snapshot("2024-01-31", "A2", "5.00", status="closed"),                     # line 8: closed with balance + dup
    ]
    bad.postings += [posting("P4", "A1", "2024-02-03", "repayment", "1.00"),      # line 5: after as_of
                     posting("P5", "A1", "2024-01-05", "fee", "1.00"),            # line 6: unknown type
                     posting("P6", "A1", "2024-01-05", "repayment", "1.005")]     # line 7: 3 decimals
    bad.write(settings.landing_dir)
    result = load_month(settings, JAN, "run-a")
    quarantine = result.tables["audit.quarantine"]
    reasons = {(r["file_name"], r["line"]): r["reason"] for r in quarantine.to_dicts()}
    assert reasons[("accounts.csv", 5)] == "risk_grade: unknown value — 'Z'"
    assert reasons[("account_months.csv", 5)].startswith("account_id: not among the loaded accounts")
    assert "not unique in the file" in reasons[("account_months.csv", 2)]
    assert "not unique in the file" in reasons[("account_months.csv", 6)]
    assert "days_past_due: not an integer — '12.5'" in reasons[("account_months.csv", 7)]
    assert "balances: must be zero for a closed account" in reasons[("account_months.csv", 8)]
    assert reasons[("postings.csv", 5)].startswith("posting_date: outside the extract period")
    assert reasons[("postings.csv", 6)] == "entry_type: unknown value — 'fee'"
    assert reasons[("postings.csv", 7)] == "amount: more than 2 decimals — 1.005"
    # every copy of a duplicated key is quarantined: which copy is right is not the loader's guess
    assert result.rows("core.account_month") == 0
    raw = quarantine.filter((pl.col("file_name") == "postings.csv") & (pl.col("line") == 6))["raw_text"][0]
    assert raw == "P5,A1,2024-01-05,fee,1.00"
    log = result.tables["audit.loads"]
    assert (log["rows_in_file"] == log["rows_loaded"] + log["rows_quarantined"]).all()
    assert log.filter(pl.col("file_name") == "account_months.csv")["rows_quarantined"][0] == 7


def test_every_copy_of_a_repeated_key_is_quarantined_in_every_file(settings):
    extract = january()
    extract.accounts += [account("A5"), account("A5", "cash_loan")]                # lines 5 and 6
    extract.postings += [posting("P7", "A1", "2024-01-21", "repayment", "1.00"),   # lines 5 and 6
                         posting("P7", "A2", "2024-01-22", "repayment", "2.00")]
    extract.write(settings.landing_dir)
    result = load_month(settings, JAN, "run-a")
    reasons = {(r["file_name"], r["line"]): r["reason"] for r in result.tables["audit.quarantine"].to_dicts()}
    assert reasons == {("accounts.csv", 5): "account_id: not unique in the file — A5",
                       ("accounts.csv", 6): "account_id: not unique in the file — A5",
                       ("postings.csv", 5): "posting_id: not unique in the file — P7",
                       ("postings.csv", 6): "posting_id: not unique in the file — P7"}
    assert sorted(result.tables["core.accounts"]["account_id"]) == ["A1", "A2", "A3"]
    assert sorted(result.tables["core.postings"]["posting_id"]) == ["P1", "P2", "P3"]


def test_line_numbers_count_rows_rejected_by_the_csv_reader(settings):
    extract = january()
    extract.postings = [posting(f"P{i}", "A1", "2024-01-10", "disbursement", "1.00") for i in range(1, 9)]
    folder = extract.write(settings.landing_dir)
    lines = (folder / "postings.csv").read_text().splitlines()
    lines[2] = "P2,A1,2024-01-10"                        # line 3: a column short
    lines[3] = "P3,A1,2024-01-10,disbursement,1.00,xx"   # line 4: a column too many
    lines[6] = "P6,A1,2024-01-10,refund,1.00"            # line 7: accepted by the reader, broken rule
    (folder / "postings.csv").write_text("\n".join(lines) + "\n")
    Extract.refresh_manifest(folder)
    result = load_month(settings, JAN, "run-a")
    quarantine = result.tables["audit.quarantine"].filter(pl.col("file_name") == "postings.csv").sort("line")
    assert quarantine["line"].to_list() == [3, 4, 7]
    assert quarantine["raw_text"].to_list()[:2] == ["P2,A1,2024-01-10", "P3,A1,2024-01-10,disbursement,1.00,xx"]
    assert quarantine["reason"][0].startswith("row: malformed csv (missing columns)")
    assert quarantine["reason"][2] == "entry_type: unknown value — 'refund'"
    assert result.rows("core.postings") == 5


@pytest.mark.parametrize(("fault", "mutate", "message"), [
    ("checksum mismatch", lambda f: (f / "postings.csv").write_text("posting_id\n"), "postings.csv"),
    ("missing file", lambda f: (f / "accounts.csv").unlink(), "accounts.csv"),
    ("as_of_date mismatch", lambda f: Extract.edit_manifest(f, as_of_date="2024-01-30"), "2024-01-30"),
    ("control total mismatch",
     lambda f: Extract.edit_manifest(f, sum_of=("postings.csv", "amount", "1600.01")), "sum of amount"),
    ("row count mismatch", lambda f: Extract.edit_manifest(f, rows_of=("accounts.csv", 4)), "manifest says 4 rows"),
    ("unsupported encoding", lambda f: Extract.edit_manifest(f, encoding="ebcdic"), "ebcdic"),
])
def test_file_level_faults_refuse_the_extract_whole(settings, fault, mutate, message):
    january().write(settings.landing_dir)
    load_month(settings, JAN, "run-a")
    before = {t: table(settings, t) for t in ("core.accounts", "core.account_month", "audit.loads")}
    feb = Extract("2024-02-29", january().accounts, [snapshot("2024-02-29", "A1", "500.00")], [])
    folder = feb.write(settings.landing_dir)
    mutate(folder)
    with pytest.raises(ExtractRefused) as refused:
        load_month(settings, FEB, "run-b")
    assert refused.value.fault == fault
    assert message in str(refused.value)
    for name, rows in before.items():
        assert table(settings, name).equals(rows), f"{name} changed by a refused extract"
    assert query(settings, "select fault from audit.refused_extracts") == [(fault,)]


def test_missing_column_is_a_file_level_fault(settings):
    folder = january().write(settings.landing_dir)
    text = (folder / "postings.csv").read_text().replace("entry_type,", "kind,", 1)
    (folder / "postings.csv").write_text(text)
    Extract.refresh_manifest(folder)
    with pytest.raises(ExtractRefused, match="missing column.*entry_type"):
        load_month(settings, JAN, "run-a")


def test_gbk_declared_in_the_manifest_loads(settings):
    january().write(settings.landing_dir, encoding="gbk")
    raw = (settings.landing_dir / "2024-01-31" / "accounts.csv").read_bytes()
    assert "合作商户".encode("gbk") in raw
    load_month(settings, JAN, "run-a")
    assert query(settings, "select channel from core.accounts where account_id = 'A1'") == [("合作商户",)]


def test_gbk_not_declared_is_refused_naming_the_file(settings):
    folder = january().write(settings.landing_dir, encoding="gbk")
    Extract.edit_manifest(folder, encoding="utf-8")
    with pytest.raises(ExtractRefused, match="accounts.csv.*not valid UTF-8"):
        load_month(settings, JAN, "run-a")


@pytest.mark.parametrize("fmt", ["csv.gz", "parquet"])
def test_formats_load_the_same_rows_as_csv(settings, tmp_path, fmt, monkeypatch):
    january().write(settings.landing_dir)
    csv_rows = load_month(settings, JAN, "run-a").tables
    monkeypatch.setenv("RISKPACK_LANDING_DIR", str(tmp_path / fmt))
    monkeypatch.setenv("RISKPACK_WAREHOUSE", str(tmp_path / f"{fmt}.duckdb"))
    from orchestration.config import load_settings
    other = load_settings()
    january().write(other.landing_dir, fmt=fmt)
    other_rows = load_month(other, JAN, "run-a").tables
    for name in ("core.accounts", "core.account_month", "core.postings"):
        assert other_rows[name].equals(csv_rows[name]), name


def test_reloading_gives_identical_tables(settings):
    january().write(settings.landing_dir)
    load_month(settings, JAN, "run-a")
    first = {t: table(settings, t) for t in ("core.accounts", "core.account_month", "core.postings")}
    load_month(settings, JAN, "run-b")
    load_month(settings, JAN, "run-c")
    for name, rows in first.items():
        assert table(settings, name).equals(rows), name
    assert query(settings, "select count(*), count(distinct run_id) from audit.loads") == [(3, 1)]


def test_corrected_extract_replaces_the_previous_load(settings):
    january().write(settings.landing_dir)
    load_month(settings, JAN, "run-a")
    corrected = january()
    corrected.accounts.append(account("A4"))
    corrected.account_months.append(snapshot("2024-01-31", "A4", "0.00"))
    corrected.write(settings.landing_dir)
    load_month(settings, JAN, "run-b")
    assert query(settings, "select count(*) from core.accounts") == [(4,)]
    assert query(settings, "select count(*) from core.account_month") == [(4,)]


def test_a_month_with_two_extracts_uses_the_latest_snapshot_and_all_postings(settings):
    january().write(settings.landing_dir)
    load_month(settings, JAN, "run-a")
    mid = february("2024-02-15", "450.00", [posting("P10", "A1", "2024-02-10", "repayment", "50.00")])
    end = february("2024-02-29", "440.00", [posting("P11", "A1", "2024-02-20", "repayment", "10.00"),
                                            posting("P12", "A1", "2024-02-14", "repayment", "1.00")])  # before mid
    mid.write(settings.landing_dir)
    end.write(settings.landing_dir)
    result = load_month(settings, FEB, "run-b")
    assert result.rows("core.postings") == 2
    assert result.tables["audit.quarantine"]["line"].to_list() == [3]
    assert query(settings, "select count(distinct as_of_date) from core.account_month where month = '2024-02-01'") \
        == [(2,)]
    summary = result.tables["audit.rollforward_summary"].filter(pl.col("product") == "all").to_dicts()[0]
    assert summary["accounts_with_break"] == 0  # 500 − 50 − 10 = 440 from January's closing


def test_vanished_account_is_recorded(settings):
    january().write(settings.landing_dir)
    load_month(settings, JAN, "run-a")
    feb = Extract("2024-02-29", january().accounts,
                  [snapshot("2024-02-29", "A1", "500.00"), snapshot("2024-02-29", "A3", "300.00", limit="0.00")], [])
    feb.write(settings.landing_dir)
    result = load_month(settings, FEB, "run-b")
    assert result.tables["audit.vanished_accounts"]["account_id"].to_list() == ["A2"]
    assert result.tables["audit.rollforward_summary"].filter(pl.col("product") == "all")["accounts_with_break"][0] == 0


def test_a_posting_id_loaded_from_another_months_extract_is_quarantined(settings):
    january().write(settings.landing_dir)
    load_month(settings, JAN, "run-a")
    feb = february("2024-02-29", "420.00",
                   [posting("P0", "A1", "2024-02-10", "repayment", "30.00"),     # line 2: new, below January's ids
                    posting("P2", "A1", "2024-02-11", "repayment", "40.00"),     # line 3: January's P2 again
                    posting("P9", "A1", "2024-02-12", "repayment", "50.00")])    # line 4: new, above them
    feb.write(settings.landing_dir)
    result = load_month(settings, FEB, "run-b")
    assert result.tables["core.postings"]["posting_id"].to_list() == ["P0", "P9"]
    quarantine = result.tables["audit.quarantine"].select("line", "reason").rows()
    assert quarantine == [(3, "posting_id: already loaded from another extract — P2")]
    load_month(settings, FEB, "run-c")  # a reload of February does not find its own ids "loaded before"
    assert query(settings, "select posting_id from core.postings where month = '2024-02-01' order by 1") \
        == [("P0",), ("P9",)]


def test_the_key_check_finds_a_posting_id_in_two_months(settings):
    january().write(settings.landing_dir)
    load_month(settings, JAN, "run-a")
    with connect(settings.warehouse) as con:
        check = {"months": [JAN]}
        assert frame(con, "checks/duplicate_keys", check)["duplicated_keys"].to_list() == [0, 0, 0]
        con.execute("insert into core.postings select * replace (date '2023-12-01' as month) "
                    "from core.postings where posting_id = 'P3'")
        assert frame(con, "checks/duplicate_keys", check)["duplicated_keys"].to_list() == [0, 0, 1]


# the postings the load keeps apart, by the loader's own list (a tuple prints as an SQL list)
LOSSES = f"select * from core.postings where entry_type in {LOSS_ENTRY_TYPES} order by posting_id"


def test_charge_offs_and_recoveries_are_kept_apart_with_their_month_and_replaced_with_it(settings):
    january().write(settings.landing_dir)
    load_month(settings, JAN, "run-a")
    feb = february("2024-02-29", "490.00", [posting("P10", "A2", "2024-02-20", "charge_off", "800.00"),
                                            posting("P11", "A1", "2024-02-21", "repayment", "10.00"),
                                            posting("P12", "A3", "2024-02-22", "recovery", "5.00")])
    feb.write(settings.landing_dir)
    load_month(settings, FEB, "run-b")
    assert [row[2] for row in query(settings, LOSSES)] == ["P10", "P12"]
    assert query(settings, "select * from core.loss_postings order by posting_id") == query(settings, LOSSES)
    corrected = february("2024-02-29", "490.00", [posting("P10", "A2", "2024-02-20", "charge_off", "790.00"),
                                                  posting("P11", "A1", "2024-02-21", "repayment", "10.00")])
    corrected.write(settings.landing_dir)
    load_month(settings, FEB, "run-c")
    assert query(settings, "select posting_id, amount from core.loss_postings") == [("P10", Decimal("790.00"))]
    assert query(settings, "select * from core.loss_postings order by posting_id") == query(settings, LOSSES)


def test_a_warehouse_from_before_the_loss_postings_gets_them_when_a_writer_opens_it(settings):
    january().write(settings.landing_dir)
    load_month(settings, JAN, "run-a")
    february("2024-02-29", "490.00", [posting("P10", "A2", "2024-02-20", "charge_off", "800.00"),
                                      posting("P12", "A3", "2024-02-22", "recovery", "5.00")]
             ).write(settings.landing_dir)
    load_month(settings, FEB, "run-b")
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("drop table core.loss_postings")
    with connect(settings.warehouse):
        pass
    assert [row[2] for row in query(settings, "select * from core.loss_postings order by posting_id")] \
        == ["P10", "P12"]
    assert query(settings, "select * from core.loss_postings order by posting_id") == query(settings, LOSSES)
