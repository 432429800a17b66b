"""Email out of riskpack: the packs to their readers, alerts to the operators.

SMTP has no transaction: a message is either accepted by the server (it has a Message-ID the
caller records) or the call raises. Transient faults (connection refused, dropped or timed out,
4xx replies) are retried with a delay; permanent ones (5xx, authentication refused) are not,
because retrying cannot help and would only delay the alert.
"""

from __future__ import annotations

import io
import smtplib
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from orchestration.config import DeliverySettings

PDF = ("application", "pdf")


class DeliveryFailed(Exception):
    """The message was not accepted; nothing may be recorded as sent."""


@dataclass(frozen=True)
class Sent:
    message_id: str
    transport: str        # "smtp" or "outbox"
    where: str            # the server, or the .eml file written
    attempts: int


def build_message(sender: str, recipients: Sequence[str], subject: str, body: str,
                  attachments: Sequence[Path] = (), sent_at: datetime | None = None) -> EmailMessage:
    """A plain-text message with the files attached byte for byte (PDFs as application/pdf)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message["Date"] = format_datetime(sent_at or datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "riskpack.local")
    message.set_content(body)
    for path in attachments:
        maintype, subtype = PDF if path.suffix == ".pdf" else ("application", "octet-stream")
        message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
    return message


def _transient(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    return isinstance(error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError))


def _wire_bytes(message: EmailMessage) -> bytes:
    """The message as smtplib's send_message puts it on the wire (CRLF line ends)."""
    with io.BytesIO() as buffer:
        BytesGenerator(buffer, policy=message.policy).flatten(message, linesep="\r\n")
        return buffer.getvalue()


class _MaybeAccepted(Exception):
    """The connection failed after the whole message was handed over: the server may have taken
    it. Retrying could send it twice, so this is reported, never retried."""


def _send_once(message: EmailMessage, config: DeliverySettings) -> None:
    """Everything up to the end of DATA can fail and be retried safely; a failure while waiting for
    the server's verdict on the data cannot (see _MaybeAccepted)."""
    host, port, timeout = config.smtp_host, config.smtp_port, config.timeout_seconds
    if config.tls == "ssl":
        client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        client.ehlo_or_helo_if_needed()
        if config.tls == "starttls":
            client.starttls(context=ssl.create_default_context())
        if config.smtp_user:
            client.login(config.smtp_user, config.smtp_password or "")
        recipients = [a.strip() for a in message["To"].split(",")]
        code, reply = client.mail(message["From"])
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, message["From"])
        refused = {}
        for address in recipients:
            code, reply = client.rcpt(address)
            if code not in (250, 251):
                refused[address] = (code, reply)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)
        try:
            code, reply = client.data(_wire_bytes(message))
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            raise _MaybeAccepted(f"{type(error).__name__}: {error}") from error
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)


def _write_outbox(message: EmailMessage, outbox: Path) -> Path:
    """The whole message as an .eml file, written atomically (a reader never sees half of it)."""
    outbox.mkdir(parents=True, exist_ok=True)
    name = message["Message-ID"].strip("<>").replace("@", "_at_").replace("/", "_")
    path = outbox / f"{name}.eml"
    partial = path.with_suffix(".eml.partial")
    partial.write_bytes(bytes(message))
    partial.replace(path)
    return path


def deliver(message: EmailMessage, config: DeliverySettings, log=print) -> Sent:
    """Sends through the configured server, or writes to the outbox when none is configured.

    Raises DeliveryFailed naming the server and the last error once the attempts are spent or a
    permanent error is met.
    """
    if not config.smtp_host:
        path = _write_outbox(message, config.outbox)
        return Sent(message["Message-ID"], "outbox", str(path), 1)
    server = f"{config.smtp_host}:{config.smtp_port} ({config.tls})"
    attempt = 0
    while True:
        attempt += 1
        try:
            _send_once(message, config)
            return Sent(message["Message-ID"], "smtp", server, attempt)
        except _MaybeAccepted as error:
            raise DeliveryFailed(f"SMTP {server}: the connection failed after the message was sent ({error}); the "
                                 "server may have accepted it, so it is not retried and not recorded as sent; "
                                 "check the recipients' mailbox before forcing a resend") from error
        except (smtplib.SMTPException, OSError) as error:
            retry = _transient(error) and attempt < config.attempts
            log(f"SMTP {server} attempt {attempt} of {config.attempts}: {type(error).__name__}: {error}"
                + (f"; retrying in {config.retry_delay_seconds:g} s" if retry else ""))
            if not retry:
                kind = "transient, attempts spent" if _transient(error) else "permanent"
                raise DeliveryFailed(f"SMTP {server} did not accept the message after {attempt} attempt(s) "
                                     f"({kind}): {type(error).__name__}: {error}") from error
            time.sleep(config.retry_delay_seconds)
