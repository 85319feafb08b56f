"""The lots and serials screen's tables and headings: a unit's timeline, where a lot came from and
went, where it still sits, and the colours that flag expiry, holds and transit."""

from __future__ import annotations

from datetime import date
from html import escape

from ...domain.postings import MovementRow
from ...services.lot_files import Expiry, LotFile, SerialFile, Tracked
from ...services.recall import LotPlace
from ..movements import place
from ..table import Column, display
from ..theme import Status

EXPIRY_STATUS = {Expiry.EXPIRED: Status.SHORTFALL, Expiry.SOON: Status.BELOW_REORDER, Expiry.FRESH: Status.GOOD}


RECEIPT_COLUMNS = (
    Column("Received", lambda r: r.posted_at),
    Column("Supplier", lambda r: r.supplier),
    Column("Reference", lambda r: r.reference, tooltip="Purchase order or delivery note"),
    Column("Qty", lambda r: r.qty, numeric=True),
    Column("Into", lambda r: r.location),
)

DESTINATION_COLUMNS = (
    Column("Went to", lambda d: place(d.location)),
    Column("Movement", lambda d: d.movement),
    Column("Order / reference", lambda d: d.reference),
    Column("Units", lambda d: d.qty, numeric=True),
    Column("Last", lambda d: d.last),
)

PLACE_COLUMNS = (
    Column("Where", lambda p: place(p.location)),
    Column("On hand", lambda p: p.on_hand, numeric=True),
    Column("Reserved", lambda p: p.reserved, numeric=True, tooltip="Promised to orders: a recall leaves these"),
    Column("On hold", lambda p: p.quarantined, numeric=True, tooltip="Quarantined"),
    Column("Free", lambda p: p.can_hold, numeric=True, tooltip="What a recall puts on hold"),
)

CUSTOMER_COLUMNS = (
    Column("Order", lambda d: d.reference),
    Column("Units", lambda d: d.qty, numeric=True),
    Column("Last", lambda d: d.last),
)


def movement_status(m: MovementRow) -> Status | None:
    if m.to_bucket == "Q":
        return Status.QUARANTINED
    return Status.IN_TRANSIT if m.to_location == "@TRANSIT" else None


def place_status(p: LotPlace) -> Status | None:
    if p.in_transit:
        return Status.IN_TRANSIT
    return Status.QUARANTINED if p.quarantined else None


def choice_text(t: Tracked) -> str:
    """One line of the 'which item?' list."""
    expiry = f", expires {t.expires_on} ({t.expiry})" if t.expires_on else ""
    return f"{t.sku} — {t.name}: {t.kind}{expiry}"


def lot_heading(file: LotFile, today: date) -> str:
    lot = file.lot
    facts = [f"supplier <b>{escape(lot.supplier or 'unknown')}</b>"]
    if lot.expires_on:
        status = EXPIRY_STATUS[file.expiry]
        days = (lot.expires_on - today).days
        when = f"{-days} days ago" if days < 0 else f"in {days} days"
        facts.append(
            f"<span style='color: {status.color().name()}'><b>expires {display(lot.expires_on)}</b> "
            f"({file.expiry}, {when})</span>"
        )
    if lot.manufactured_on:
        facts.append(f"made {display(lot.manufactured_on)}")
    if lot.certificate_ref:
        facts.append(f"certificate {escape(lot.certificate_ref)}")
    left = sum(p.on_hand for p in file.places)
    facts.append(f"{left:,} still in stock at {len(file.places)} places" if left else "none left in stock")
    return _heading(f"Lot {lot.number}", file.sku, file.name, facts)


def serial_heading(file: SerialFile) -> str:
    where = "" if file.location.startswith("@") else f" at <b>{escape(file.location)}</b>"
    facts = [f"now{where}: <b>{file.state}</b>"]
    if file.lot:
        facts.append(f"lot {escape(file.lot)}")
    facts.append(f"{len(file.timeline)} movements")
    return _heading(f"Serial {file.serial}", file.sku, file.name, facts)


def _heading(title: str, sku: str, name: str, facts: list[str]) -> str:
    return (
        f"<span style='font-size: 13pt'><b>{escape(title)}</b></span> &nbsp; of <b>{escape(sku)}</b> "
        f"{escape(name)}<br>{' &nbsp;·&nbsp; '.join(facts)}"
    )
