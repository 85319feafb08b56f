"""Everything the lots and serials screen shows about one lot or one serial unit, read in one task.

A scanned number can belong to several items (suppliers reuse lot numbers), so finding it returns
every reading and the screen asks which item was meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from ..domain.catalog import LotRow
from ..domain.errors import NotFound
from ..domain.postings import MovementRow
from ..domain.quantities import LocationKind
from . import catalog, queries, resolve
from .context import Context
from .lookup import ScanKind, identify
from .queries import LotDestination
from .recall import LotPlace, lot_places

NEAR_EXPIRY = timedelta(days=14)
"""A lot expiring within this is flagged, so it is sold or moved first."""


class Expiry(StrEnum):
    EXPIRED = "expired"
    SOON = "expires soon"
    FRESH = "in date"


def expiry_of(expires_on: date | None, today: date) -> Expiry | None:
    if expires_on is None:
        return None
    if expires_on < today:
        return Expiry.EXPIRED
    return Expiry.SOON if expires_on - today <= NEAR_EXPIRY else Expiry.FRESH


@dataclass(frozen=True)
class Tracked:
    """One reading of a lot or serial number: which item it belongs to."""

    kind: ScanKind
    number: str
    sku: str
    name: str
    expires_on: date | None = None
    expiry: Expiry | None = None


@dataclass(frozen=True)
class SupplierReceipt:
    """One receipt of the lot, with the supplier the lot came from."""

    supplier: str | None
    reference: str | None
    qty: int
    posted_at: datetime
    location: str


@dataclass(frozen=True)
class LotFile:
    sku: str
    name: str
    lot: LotRow
    expiry: Expiry | None
    timeline: tuple[MovementRow, ...]
    receipts: tuple[SupplierReceipt, ...]
    """Backward trace: which receipts brought the lot in, from whom."""
    destinations: tuple[LotDestination, ...]
    """Forward trace: where every unit that left the shelves went, with its order."""
    places: tuple[LotPlace, ...]
    """Where it still is."""

    @property
    def customers(self) -> tuple[LotDestination, ...]:
        """The orders whose customers got units of the lot: who to call in a recall."""
        return tuple(d for d in self.destinations if d.kind == LocationKind.CUSTOMER.value)


@dataclass(frozen=True)
class SerialFile:
    variant_id: int
    sku: str
    name: str
    serial: str
    location: str
    state: str
    """Where the unit is, in words: free, on hold, reserved, with a customer, in transit..."""
    lot: str | None
    timeline: tuple[MovementRow, ...]


_STATE_OF_PLACE = {
    LocationKind.CUSTOMER: "with a customer",
    LocationKind.TRANSIT: "in transit",
    LocationKind.SCRAP: "scrapped",
    LocationKind.ADJUSTMENT: "written off",
    LocationKind.SUPPLIER: "not received",
}
_STATE_OF_BUCKET = {"A": "on the shelf, free", "R": "on the shelf, reserved", "Q": "on the shelf, on hold"}


def find_tracked(ctx: Context, code: str) -> list[Tracked]:
    """Every lot and serial unit numbered `code`; a code that is neither is refused as the scan field says."""
    number = code.strip()
    today = ctx.today()
    with ctx.reading() as uow:
        found = [
            Tracked(ScanKind.LOT, lot.number, item.sku, item.name, lot.expires_on, expiry_of(lot.expires_on, today))
            for lot in uow.catalog.lots_numbered(number)
            for item in [uow.catalog.variant(lot.variant_id)]
        ] + [
            Tracked(ScanKind.SERIAL, unit.serial_number, item.sku, item.name)
            for unit in uow.catalog.serials_numbered(number)
            for item in [uow.catalog.variant(unit.variant_id)]
        ]
    if found:
        return sorted(found, key=lambda t: (t.kind != ScanKind.LOT, t.sku))
    hit = identify(ctx, number, accept=(ScanKind.LOT, ScanKind.SERIAL))  # refuses in the shared words
    return [Tracked(hit.kind, number, hit.item.sku, hit.item.name)]


def lot_file(ctx: Context, sku: str, lot: str) -> LotFile:
    item = catalog.find_variant(ctx, sku)
    trace = queries.trace_lot(ctx, lot, item.sku)
    return LotFile(
        sku=item.sku,
        name=item.name,
        lot=trace.lot,
        expiry=expiry_of(trace.lot.expires_on, ctx.today()),
        timeline=tuple(queries.history(ctx, sku, lot=lot)),
        receipts=tuple(
            SupplierReceipt(trace.lot.supplier, r.reference, r.qty, r.posted_at, r.location) for r in trace.receipts
        ),
        destinations=trace.destinations,
        places=tuple(lot_places(ctx, sku, lot)),
    )


def serial_file(ctx: Context, sku: str, serial: str) -> SerialFile:
    with ctx.reading() as uow:
        item = resolve.variant(uow, sku)
        unit = uow.catalog.serial(item.id, serial.strip())
        if unit is None:
            raise NotFound(f"{item.sku} has no unit with the serial number '{serial}'.")
        lot = uow.catalog.lot(unit.lot_id).number if unit.lot_id else None
    if unit.location_kind.is_virtual:
        state = _STATE_OF_PLACE[unit.location_kind]
    else:
        state = _STATE_OF_BUCKET.get(unit.bucket, unit.bucket)
    return SerialFile(
        variant_id=item.id,
        sku=item.sku,
        name=item.name,
        serial=unit.serial_number,
        location=unit.location_code,
        state=state,
        lot=lot,
        timeline=tuple(queries.history(ctx, sku, serial=unit.serial_number)),
    )
