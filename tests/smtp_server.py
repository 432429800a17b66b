"""Real SMTP servers on 127.0.0.1 for the delivery and alert tests: aiosmtpd, no mocks.

`Inbox` accepts (optionally refusing the first messages with a transient 451, or refusing every
login); `dropping_server` accepts TCP connections and closes them at once, as a crashed relay does.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """The aiosmtpd handler: keeps every accepted message, parsed."""

    def __init__(self, refuse_first: int = 0, reply_after: float = 0.0) -> None:
        self.refuse_first = refuse_first
        self.reply_after = reply_after  # seconds before answering DATA: a slow relay
        self.attempts = 0
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        self.attempts += 1
        if self.attempts <= self.refuse_first:
            return "451 4.3.0 try again later"
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        await asyncio.sleep(self.reply_after)
        return "250 OK"


def _refuse_every_login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    return AuthResult(success=False, handled=False)


@contextmanager
def smtp_server(inbox: Inbox, refuse_login: bool = False) -> Iterator[int]:
    """Runs the server on a free 127.0.0.1 port for the block; yields the port."""
    port = free_port()
    options = {"authenticator": _refuse_every_login, "auth_require_tls": False} if refuse_login else {}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@contextmanager
def dropping_server() -> Iterator[int]:
    """A listener that closes every connection before the SMTP greeting."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        stop.set()
        thread.join()
        listener.close()


def smtp_config(tmp_path: Path, port: int, user: str = "", attempts: int = 3, timeout: int = 5) -> Path:
    """The shipped config pointing delivery at 127.0.0.1:port, plain SMTP, no wait between attempts,
    English packs only (fast)."""
    from orchestration.config import REPO_ROOT

    text = (REPO_ROOT / "riskpack.toml").read_text(encoding="utf-8")
    for old, new in (('smtp_host = ""', 'smtp_host = "127.0.0.1"'), ("smtp_port = 587", f"smtp_port = {port}"),
                     ('tls = "starttls"', 'tls = "none"'), ('smtp_user = ""', f'smtp_user = "{user}"'),
                     ("attempts = 3", f"attempts = {attempts}"), ("retry_delay_seconds = 5.0", "retry_delay_seconds = 0.0"),
                     ("timeout_seconds = 30", f"timeout_seconds = {timeout}"),
                     ('locales = ["en", "zh-CN"]', 'locales = ["en"]')):  # as the `env` fixture: English only
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "riskpack-smtp.toml"
    path.write_text(text, encoding="utf-8")
    return path
