"""The transfers screen's columns and colours: what each row says, and which rows need an eye."""

from __future__ import annotations

from html import escape

from ...services.transfer_views import TransferLineDetail, TransferSummary
from ..table import Column, display
from ..theme import Status

TRANSFER_COLUMNS = (
    Column("Transfer", lambda t: t.id, numeric=True, tooltip="TRANSFER-<number> on its label"),
    Column("Status", lambda t: t.status),
    Column("From", lambda t: t.from_location),
    Column("To", lambda t: t.to_location),
    Column("Lines", lambda t: t.lines, numeric=True),
    Column("Units", lambda t: t.units, numeric=True, tooltip="Units requested"),
    Column("In transit", lambda t: t.in_transit, numeric=True, tooltip="Picked and not yet received"),
    Column("Damaged", lambda t: t.damaged, numeric=True, tooltip="Arrived damaged, now in quarantine"),
    Column("Short", lambda t: t.short, numeric=True, tooltip="Picked but never arrived"),
    Column("Requested by", lambda t: t.requested_by),
    Column("Created", lambda t: t.created_at),
)

LINE_COLUMNS = (
    Column("SKU", lambda line: line.sku),
    Column("Item", lambda line: line.name),
    Column("Requested", lambda line: line.requested, numeric=True),
    Column("Free at source", lambda line: line.free_at_source, numeric=True, tooltip="Unexpired units free to pick"),
    Column("Picked", lambda line: line.picked, numeric=True),
    Column("In transit", lambda line: line.in_transit, numeric=True),
    Column("Received", lambda line: line.received, numeric=True, tooltip="Arrived sound"),
    Column("Damaged", lambda line: line.damaged, numeric=True, tooltip="Arrived damaged, now in quarantine"),
    Column("Short", lambda line: line.short, numeric=True, tooltip="Picked but never arrived"),
)


def transfer_status(row: TransferSummary) -> Status | None:
    if row.status == "picked":
        return Status.IN_TRANSIT
    if row.status != "received":
        return None
    if row.short:
        return Status.SHORTFALL
    return Status.QUARANTINED if row.damaged else None


def line_status(line: TransferLineDetail) -> Status | None:
    if line.free_at_source is not None and line.free_at_source < line.requested:
        return Status.SHORTFALL  # the pick would be refused
    if line.short:
        return Status.SHORTFALL
    if line.damaged:
        return Status.QUARANTINED
    return Status.IN_TRANSIT if line.in_transit else None


def describe(summary: TransferSummary) -> str:
    """The heading over a transfer's lines: who asked for what, from where to where, and when."""
    status = transfer_status(summary)
    colour = f' style="color: {status.color().name()}"' if status else ""
    people = f"requested by {escape(summary.requested_by or '?')} on {display(summary.created_at)}"
    if summary.approved_by:
        people += f", approved by {escape(summary.approved_by)}"
    note = f" &nbsp;·&nbsp; note: <i>{escape(summary.note)}</i>" if summary.note else ""
    return (
        f"<span style='font-size: 13pt'><b>{summary.reference}</b></span> &nbsp; <b{colour}>{summary.status}</b>"
        f" &nbsp;·&nbsp; {escape(summary.from_location)} → {escape(summary.to_location)}"
        f"<br>{people}; last change {display(summary.updated_at)}{note}"
    )
