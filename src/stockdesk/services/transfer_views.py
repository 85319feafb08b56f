"""What the transfers screen shows: the list with dates, people and line totals, one transfer's lines
with what is free at the source to pick, and which transfer a scanned reference means."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..db import transfer_views
from ..domain.errors import InvalidInput, NotFound
from . import resolve
from .context import Context
from .transfers import reference

STATUSES = ("requested", "approved", "picked", "received", "cancelled")
"""In the order a transfer goes through them (cancelled only from the first two)."""

_REFERENCE = re.compile(r"^(?:TRANSFER-?)?#?(\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class TransferSummary:
    id: int
    reference: str
    status: str
    from_location: str
    to_location: str
    lines: int
    units: int
    """Requested, over all lines."""
    picked: int
    received: int
    damaged: int
    short: int
    created_at: datetime
    updated_at: datetime
    requested_by: str | None
    approved_by: str | None
    note: str | None

    @property
    def in_transit(self) -> int:
        return self.picked - self.received - self.damaged - self.short


@dataclass(frozen=True)
class TransferLineDetail:
    variant_id: int
    sku: str
    name: str
    requested: int
    picked: int
    received: int
    damaged: int
    short: int
    free_at_source: int | None
    """Unexpired units free to pick at the source now; None once the line is picked."""

    @property
    def in_transit(self) -> int:
        return self.picked - self.received - self.damaged - self.short


@dataclass(frozen=True)
class TransferDetail:
    summary: TransferSummary
    lines: tuple[TransferLineDetail, ...]


def transfer_summaries(ctx: Context, status: str | None = None, *, site: str | None = None) -> list[TransferSummary]:
    """Transfers newest first, in one status (or all), from or to one site (or anywhere)."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"'{status}' is not a transfer status; use one of: {', '.join(STATUSES)}.")
    with ctx.reading() as uow:
        within = resolve.location(uow, site).path if site else None
        return [_summary(r) for r in transfer_views.transfer_summaries(uow.connection, status=status, within=within)]


def transfer_detail(ctx: Context, transfer_id: int) -> TransferDetail:
    with ctx.reading() as uow:
        found = transfer_views.transfer_summaries(uow.connection, transfer_id=transfer_id)
        if not found:
            raise NotFound(f"There is no transfer number {transfer_id}.")
        summary = _summary(found[0])
        source = resolve.location(uow, summary.from_location)
        to_pick = summary.status in ("requested", "approved")
        lines = tuple(
            TransferLineDetail(
                line.variant_id,
                line.sku,
                line.name,
                line.qty_requested,
                line.qty_picked,
                line.qty_received,
                line.qty_damaged,
                line.qty_short,
                sum(n for *_, n in uow.queries.available_within(line.variant_id, source.path, ctx.today()))
                if to_pick
                else None,
            )
            for line in transfer_views.transfer_line_details(uow.connection, transfer_id)
        )
        return TransferDetail(summary, lines)


def transfer_number(code: str) -> int:
    """The transfer a scanned or typed code names: 'TRANSFER-12', 'transfer 12', '#12' or '12'."""
    found = _REFERENCE.match(code.strip().replace(" ", ""))
    if found is None:
        raise InvalidInput(
            f"'{code.strip()}' is not a transfer. Scan the transfer's label (such as TRANSFER-12) or type its number."
        )
    return int(found.group(1))


def _summary(row) -> TransferSummary:
    return TransferSummary(
        id=row.id,
        reference=reference(row.id),
        status=row.status,
        from_location=row.from_code,
        to_location=row.to_code,
        lines=int(row.lines),
        units=int(row.units),
        picked=int(row.picked),
        received=int(row.received),
        damaged=int(row.damaged),
        short=int(row.short),
        created_at=row.created_at,
        updated_at=row.updated_at,
        requested_by=row.requested_by,
        approved_by=row.approved_by,
        note=row.note,
    )
