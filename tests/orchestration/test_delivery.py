"""The delivery asset in the monthly job, against a real SMTP server on 127.0.0.1."""

import duckdb
import pytest
from dagster import DagsterInstance

from orchestration.assets.delivery import FORCE_TAG
from orchestration.cli import RANGE_END_TAG, RANGE_START_TAG
from orchestration.definitions import defs
from tests.portfolios import three_clean_months
from tests.smtp_server import Inbox, smtp_config, smtp_server


def run(first: str, last: str, **tags: str):
    with DagsterInstance.ephemeral() as instance:
        return defs.resolve_job_def("riskpack_monthly").execute_in_process(
            instance=instance, raise_on_error=False, tags={RANGE_START_TAG: first, RANGE_END_TAG: last, **tags})


def deliveries(settings) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute("select strftime(month, '%Y-%m'), pack, message_id, transport, forced "
                           "from audit.deliveries order by sent_at").fetchall()


@pytest.fixture
def smtp(settings, tmp_path, monkeypatch):
    inbox = Inbox()
    with smtp_server(inbox) as port:
        monkeypatch.setenv("RISKPACK_CONFIG", str(smtp_config(tmp_path, port)))
        yield inbox


def test_each_final_month_is_sent_once_unless_forced(settings, smtp):
    three_clean_months(settings.landing_dir)
    assert run("2024-01-01", "2024-03-01").success
    assert [m["Subject"] for m in smtp.messages] == [
        f"[riskpack] Demo consumer-credit portfolio: {pack} pack 2024-0{i}" for i in (1, 2, 3)
        for pack in ("management", "regulatory")]
    assert smtp.messages[-1]["To"] == "regulatory-reporting@example.com"
    for message, pack in zip(smtp.messages[-2:], ("management", "regulatory")):
        pdfs = {p.get_filename(): p.get_content() for p in message.iter_attachments()}  # every locale's PDF
        assert pdfs == {f"{pack}_2024-03_{locale}.pdf": (settings.output_dir / "2024-03" /
                                                          f"{pack}_2024-03_{locale}.pdf").read_bytes()
                        for locale in settings.locales}
    sent = deliveries(settings)
    assert [(m, pack, transport, forced) for m, pack, _, transport, forced in sent] == [
        (f"2024-0{i}", pack, "smtp", False) for i in (1, 2, 3) for pack in ("management", "regulatory")]
    assert sorted(row[2] for row in sent) == sorted(m["Message-ID"] for m in smtp.messages)

    assert run("2024-01-01", "2024-03-01").success  # a rerun sends nothing again
    assert len(smtp.messages) == 6 and len(deliveries(settings)) == 6

    assert run("2024-03-01", "2024-03-01", **{FORCE_TAG: "true"}).success
    assert len(smtp.messages) == 8 and deliveries(settings)[-1][4] is True


def test_a_month_to_date_pack_is_not_sent(settings, smtp):
    three_clean_months(settings.landing_dir, last_as_of_day=20)
    assert run("2024-01-01", "2024-03-01").success
    assert [m["Subject"][-7:] for m in smtp.messages] == ["2024-01", "2024-01", "2024-02", "2024-02"]


def test_a_refusing_server_fails_the_run_and_marks_nothing_sent(settings, tmp_path, monkeypatch):
    three_clean_months(settings.landing_dir)
    inbox = Inbox(refuse_first=100)
    with smtp_server(inbox) as port:
        monkeypatch.setenv("RISKPACK_CONFIG", str(smtp_config(tmp_path, port, attempts=2)))
        result = run("2024-01-01", "2024-01-01")
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert failure.step_key == "delivery__packs"
    assert "did not accept the message after 2 attempt(s)" in failure.event_specific_data.error.to_string()
    assert deliveries(settings) == [] and inbox.messages == []
