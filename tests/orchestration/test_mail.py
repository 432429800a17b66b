"""Email through a real SMTP server on 127.0.0.1: accepted, retried, refused, or the outbox."""

from email import message_from_bytes, policy

import pytest

from orchestration.config import load_settings
from orchestration.mail import build_message, deliver
from tests.smtp_server import (
    Inbox,
    smtp_config,
    smtp_server,
)


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


def test_without_a_server_the_message_goes_to_the_outbox(settings, pdf):
    sent = deliver(message(pdf), settings.delivery)
    assert sent.transport == "outbox"
    [eml] = list(settings.delivery.outbox.glob("*.eml"))
    assert str(eml) == sent.where
    written = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert written["Message-ID"] == sent.message_id
    assert next(written.iter_attachments()).get_content() == pdf.read_bytes()
