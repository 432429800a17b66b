"""Delivery: each final month's packs by email to their configured readers (operations.md).

A month is final once its reporting snapshot is the month-end extract; month-to-date figures are
never sent. A pack is sent once: audit.deliveries records each message the server accepted, and a
later run skips that month's pack unless the run carries the force tag. The record is written
only after the server accepted the message, so a failure leaves nothing marked as sent (a crash
between acceptance and the record can send it once more: at least once, never silently lost).
"""


from datetime import UTC, date, datetime, timedelta
from hashlib import sha256

import polars as pl
from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue

from orchestration.assets.metadata import preview
from orchestration.assets.monthly import monthly_asset
from orchestration.assets.reports import MANAGEMENT_PACK, REGULATORY_PACK
from orchestration.config import Settings
from orchestration.mail import build_message, deliver
from orchestration.partitions import partition_month
from orchestration.resources import RiskpackSettings
from orchestration.warehouse import append, connect, frame, one, transaction
from reports.render import output_paths
from transforms.months import add_months

DELIVERY = AssetKey(["delivery", "packs"])
FORCE_TAG = "riskpack/force_delivery"
PACKS = {"management": MANAGEMENT_PACK, "regulatory": REGULATORY_PACK}


def month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def _body(settings: Settings, pack: str, month: date, as_of: date, files: list) -> str:
    names = "\n".join(f"  - {p.name}" for p in files)
    return (f"The {pack} pack of {settings.portfolio_name} for {month:%Y-%m} (extract as of {as_of}) is attached:\n"
            f"{names}\n\nFigures are final for the month. Sent by riskpack; do not reply.\n")


def deliver_month(context: AssetExecutionContext, settings: Settings, month: date, force: bool) -> list[dict]:
    """Sends each configured pack of a final month once; returns one row per pack (sent or why not)."""
    with connect(settings.warehouse, read_only=True) as con:
        as_of = one(con, "read/month_as_of", {"month": month})[0]
        sent_before = {pack: frame(con, "read/month_deliveries", {"month": month, "pack": pack}) for pack in PACKS}
    if as_of != month_end(month):
        return [{"month": month, "pack": pack, "outcome": f"not final (extract as of {as_of})", "message_id": None}
                for pack in PACKS]
    outcomes = []
    for pack in PACKS:
        recipients = settings.delivery.recipients_of(pack)
        if not recipients:
            outcomes.append({"month": month, "pack": pack, "outcome": "no recipients configured", "message_id": None})
            continue
        if sent_before[pack].height and not force:
            outcomes.append({"month": month, "pack": pack, "message_id": sent_before[pack]["message_id"][-1],
                             "outcome": "already sent (force with tag riskpack/force_delivery=true)"})
            continue
        files = [output_paths(settings.output_dir, pack, month, locale)["pdf"] for locale in settings.locales]
        message = build_message(settings.delivery.sender, recipients,
                                f"[riskpack] {settings.portfolio_name}: {pack} pack {month:%Y-%m}",
                                _body(settings, pack, month, as_of, files), files)
        sent = deliver(message, settings.delivery, log=context.log.warning)
        record = pl.DataFrame({
            "month": [month], "pack": [pack], "files": [", ".join(p.name for p in files)],
            "sha256": [", ".join(sha256(p.read_bytes()).hexdigest() for p in files)],
            "recipients": [", ".join(recipients)], "message_id": [sent.message_id], "transport": [sent.transport],
            "destination": [sent.where], "attempts": [sent.attempts], "forced": [force],
            "run_id": [context.run.run_id], "sent_at": [datetime.now(UTC)]})
        with connect(settings.warehouse) as con, transaction(con):
            append(con, "audit.deliveries", record)
        outcomes.append({"month": month, "pack": pack, "outcome": f"sent by {sent.transport} to {sent.where}",
                         "message_id": sent.message_id})
    return outcomes


@monthly_asset(
    DELIVERY,
    "delivery",
    list(PACKS.values()),
    "Emails each final month's packs (every locale's PDF) to the recipients configured per pack, once; an .eml "
    "outbox when no SMTP server is configured. audit.deliveries records what was sent.",
    {"email"},
)
def pack_delivery(context: AssetExecutionContext, riskpack: RiskpackSettings) -> MaterializeResult:
    settings = riskpack.get()
    force = context.run.tags.get(FORCE_TAG, "").lower() == "true"
    outcomes = [row for key in context.partition_keys
                for row in deliver_month(context, settings, partition_month(key), force)]
    table = pl.DataFrame(outcomes, schema={"month": pl.Date, "pack": pl.String, "outcome": pl.String,
                                           "message_id": pl.String})
    sent = table.filter(pl.col("outcome").str.starts_with("sent"))
    return MaterializeResult(metadata={
        "messages_sent": sent.height,
        "recipients": MetadataValue.json(dict(settings.delivery.recipients)),
        "message_ids": MetadataValue.json(sent["message_id"].to_list()),
        "outcomes": preview(table.tail(24), rows=24),
        "transport": "smtp " + settings.delivery.smtp_host if settings.delivery.smtp_host
        else f"outbox {settings.delivery.outbox}",
    })
