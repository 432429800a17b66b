"""The mail server misbehaving: down, dropping connections, refusing for a while, refusing the
login, slow to answer. Each gives a clear failure or a delivery, never two copies of a message."""

import pytest

from orchestration.config import load_settings
from orchestration.mail import DeliveryFailed, build_message, deliver
from tests.smtp_server import (
    Inbox,
    dropping_server,
    free_port,
    smtp_config,
    smtp_server,
)


def config_for(env, tmp_path, port, **options):
    return load_settings({**env, "RISKPACK_CONFIG": str(smtp_config(tmp_path, port, **options)),
                          "RISKPACK_SMTP_PASSWORD": "secret"}).delivery


def message():
    return build_message("riskpack@example.com", ["risk@example.com"], "pack 2024-03", "attached")


def attempt(config, inbox: Inbox | None) -> tuple[str, int]:
    """(what happened, messages the server holds)."""
    try:
        sent = deliver(message(), config, log=lambda _: None)
        seen = f"sent after {sent.attempts} attempt(s)"
    except DeliveryFailed as failure:
        seen = f"failed: {failure}"
    return seen, len(inbox.messages) if inbox else 0


CASES = {
    "SMTP server down": ("failed after 3 attempts, nothing sent", None, {}),
    "SMTP server drops the connection": ("failed after 3 attempts, nothing sent", "drop", {}),
    "SMTP server refuses (451) twice, then accepts": ("sent once, on the third attempt", Inbox(refuse_first=2), {}),
    "SMTP server refuses (451) every time": ("failed after 3 attempts, nothing sent", Inbox(refuse_first=99), {}),
    "SMTP server refuses the login": ("failed at once (permanent), nothing sent", Inbox(), {"refuse_login": True}),
    "SMTP server slow to answer the data": ("failed, not retried: at most one copy", Inbox(reply_after=2.0), {}),
}


@pytest.mark.parametrize("fault", list(CASES))
def test_smtp_fault(env, tmp_path, outcomes, fault):
    expected, server, options = CASES[fault]
    user = "riskpack" if options.get("refuse_login") else ""
    timeout = 1 if fault.endswith("data") else 5
    if server is None:
        seen, held = attempt(config_for(env, tmp_path, free_port(), timeout=timeout), None)
    elif server == "drop":
        with dropping_server() as port:
            seen, held = attempt(config_for(env, tmp_path, port, timeout=timeout), None)
    else:
        with smtp_server(server, **options) as port:
            seen, held = attempt(config_for(env, tmp_path, port, user=user, timeout=timeout), server)
    outcomes.record(fault, expected, f"server holds {held}; {seen}", 0)
    if fault.startswith("SMTP server refuses (451) twice"):
        assert seen == "sent after 3 attempt(s)" and held == 1
    elif fault.endswith("login"):
        assert "1 attempt(s) (permanent" in seen and held == 0
    elif fault.endswith("data"):
        assert "the connection failed after the message was sent" in seen and held == 1
    else:
        assert "after 3 attempt(s) (transient" in seen and held == 0
