"""Email through a real SMTP server on 127.0.0.1: accepted, retried, refused, or the outbox."""

from email import message_from_bytes, policy

import pytest

from orchestration.config import load_settings
from orchestration.mail import DeliveryFailed, build_message, deliver
from tests.smtp_server import Inbox, dropping_server, free_port, smtp_config, smtp_server


@pytest.fixture
def pdf(tmp_path):
    path = tmp_path / "management_2024-03_en.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")  # every byte value survives
    return path


def config_for(env, tmp_path, port, **options):
    return load_settings({**env, "RISKPACK_CONFIG": str(smtp_config(tmp_path, port, **options)),
                          "RISKPACK_SMTP_PASSWORD": "secret"}).delivery


def message(pdf):
    return build_message("riskpack@example.com", ["a@example.com", "b@example.com"], "pack 2024-03", "attached",
                         [pdf])


def test_the_pdf_arrives_byte_for_byte(env, tmp_path, pdf):
    inbox = Inbox()
    with smtp_server(inbox) as port:
        sent = deliver(message(pdf), config_for(env, tmp_path, port))
    assert (sent.transport, sent.attempts) == ("smtp", 1)
    [received] = inbox.messages
    assert received["Message-ID"] == sent.message_id
    assert received["To"] == "a@example.com, b@example.com"
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == pdf.name and attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == pdf.read_bytes()


def test_transient_refusals_are_retried(env, tmp_path, pdf):
    inbox = Inbox(refuse_first=2)
    logged = []
    with smtp_server(inbox) as port:
        sent = deliver(message(pdf), config_for(env, tmp_path, port), log=logged.append)
    assert sent.attempts == 3 and len(inbox.messages) == 1
    assert len(logged) == 2 and "451" in logged[0] and "retrying" in logged[0]


def test_a_server_that_keeps_refusing_fails_clearly(env, tmp_path, pdf):
    inbox = Inbox(refuse_first=10)
    with smtp_server(inbox) as port, pytest.raises(DeliveryFailed, match=r"after 3 attempt\(s\) \(transient"):
        deliver(message(pdf), config_for(env, tmp_path, port))
    assert inbox.messages == []


@pytest.mark.parametrize("server", ["down", "dropping"])
def test_no_server_or_a_dropped_connection_fails_after_the_attempts(env, tmp_path, pdf, server):
    if server == "down":
        port = free_port()
        with pytest.raises(DeliveryFailed, match=f"127.0.0.1:{port}.*ConnectionRefusedError"):
            deliver(message(pdf), config_for(env, tmp_path, port, attempts=2))
    else:
        with dropping_server() as port, pytest.raises(DeliveryFailed, match="SMTPServerDisconnected"):
            deliver(message(pdf), config_for(env, tmp_path, port, attempts=2))


def test_a_refused_login_is_permanent_and_not_retried(env, tmp_path, pdf):
    inbox = Inbox()
    logged = []
    with smtp_server(inbox, refuse_login=True) as port, pytest.raises(DeliveryFailed, match=r"1 attempt\(s\) \(permanent"):
        deliver(message(pdf), config_for(env, tmp_path, port, user="riskpack"), log=logged.append)
    assert len(logged) == 1 and inbox.messages == []


def test_without_a_server_the_message_goes_to_the_outbox(settings, pdf):
    sent = deliver(message(pdf), settings.delivery)
    assert sent.transport == "outbox"
    [eml] = list(settings.delivery.outbox.glob("*.eml"))
    assert str(eml) == sent.where
    written = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert written["Message-ID"] == sent.message_id
    assert next(written.iter_attachments()).get_content() == pdf.read_bytes()


def test_a_slow_server_is_never_sent_the_same_message_twice(env, tmp_path, pdf):
    """The server takes the data but answers after the client gave up: it may have accepted the
    message, so it is reported, not retried (a retry would deliver it twice)."""
    inbox = Inbox(reply_after=2.0)
    with smtp_server(inbox) as port, pytest.raises(DeliveryFailed, match="may have accepted it"):
        deliver(message(pdf), config_for(env, tmp_path, port, timeout=1))
    assert len(inbox.messages) == 1
