"""Turning what a user typed or scanned into catalogue rows, or a refusal that says what to do."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..db.uow import UnitOfWork
from ..domain.catalog import LocationRow, LotRow, SerialRow, VariantRow
from ..domain.errors import ExpiredLot, InsufficientStock, InvalidInput, NotFound, SerialConflict
from ..domain.quantities import NO_LOT, Bucket, LocationKind, Tracking


def variant(uow: UnitOfWork, code: str) -> VariantRow:
    found = uow.catalog.variant_by_code(code.strip())
    if found is None:
        raise NotFound(f"No item has the SKU or barcode '{code}'. Check the code, or add the product first.")
    return found


def location(uow: UnitOfWork, code: str) -> LocationRow:
    """A shelf, bin or site where stock can sit; virtual places are not typed by users."""
    found = uow.catalog.location_by_code(code.strip())
    if found is None or found.is_virtual:
        raise NotFound(f"There is no location '{code}'. Check the code, or add the location first.")
    return found


def virtual(uow: UnitOfWork, code: str) -> int:
    return uow.catalog.location_by_code(code).id


def lot_by_number(uow: UnitOfWork, item: VariantRow, number: str, today: date, *, selling: bool) -> LotRow:
    lot = uow.catalog.lot_by_number(item.id, number.strip())
    if lot is None:
        raise NotFound(f"{item.sku} has no lot '{number}'.")
    if selling and lot.is_expired(today):
        raise ExpiredLot(f"Lot {lot.number} of {item.sku} expired on {lot.expires_on}; it may not be sold or reserved.")
    return lot


def require_tracking(item: VariantRow, *, lot: str | None, serials: Sequence[str], qty: int) -> None:
    """Lot and serial numbers are given exactly when the item is tracked that way."""
    if item.tracking is Tracking.SERIAL:
        if len(serials) != qty:
            raise InvalidInput(
                f"{item.sku} is tracked by serial number: give one serial per unit "
                f"({qty} needed, {len(serials)} given)."
            )
        if len(set(serials)) != len(serials):
            raise InvalidInput("The same serial number was given twice.")
    elif serials:
        raise InvalidInput(f"{item.sku} is not tracked by serial number; leave the serials out.")
    if item.tracking is not Tracking.LOT and lot:
        raise InvalidInput(f"{item.sku} is not tracked by lot; leave the lot out.")


def serials_at(
    uow: UnitOfWork, item: VariantRow, numbers: Sequence[str], place: LocationRow, bucket: Bucket = Bucket.AVAILABLE
) -> list[SerialRow]:
    found = []
    want = "Q" if bucket is Bucket.QUARANTINED else "A"
    for number in numbers:
        serial = uow.catalog.serial(item.id, number)
        if serial is None:
            raise NotFound(f"{item.sku} has no serial '{number}' on the books.")
        if serial.location_id != place.id or serial.bucket != want:
            state = "on hold" if serial.bucket == "Q" else "free"
            raise SerialConflict(f"Serial {number} is at {serial.location_code} ({state}), not at {place.code}.")
        found.append(serial)
    return found


def allocate_lots(
    uow: UnitOfWork, item: VariantRow, place: LocationRow, qty: int, today: date, bucket: Bucket = Bucket.AVAILABLE
) -> list[tuple[int, int]]:
    """Split `qty` over the lots at `place`, first expiring first; expired lots are never offered."""
    if item.tracking is not Tracking.LOT:
        return [(NO_LOT, qty)]
    plan: list[tuple[int, int]] = []
    left = qty
    for lot_id, held in uow.queries.lots_in_bucket(item.id, place.id, bucket, today):
        take = min(held, left)
        if take > 0:
            plan.append((lot_id, take))
            left -= take
        if left == 0:
            return plan
    have = qty - left
    raise InsufficientStock(f"Only {have} of {item.sku} in unexpired lots at {place.code}; {qty} needed.")


def site_of(uow: UnitOfWork, place: LocationRow) -> LocationRow:
    return place if place.kind is LocationKind.SITE or place.site_id is None else uow.catalog.location(place.site_id)


def site(uow: UnitOfWork, code: str) -> LocationRow:
    """A site by code, for settings kept per site; a place inside one is refused, naming its site."""
    place = location(uow, code)
    if place.kind is not LocationKind.SITE:
        raise InvalidInput(
            f"{place.code} is a {place.kind.value} in site {site_of(uow, place).code}; give the site instead."
        )
    return place


def pick_within(
    uow: UnitOfWork, item: VariantRow, place: LocationRow, qty: int, today: date
) -> list[tuple[int, int, int, int | None]]:
    """(location_id, lot_id, qty, serial_id) parts taking `qty` free units from anywhere in a subtree:
    first expiring lots first, then in walking order. A transfer from a site picks from its bins."""
    if item.tracking is Tracking.SERIAL:
        return [(s.location_id, s.lot_id, 1, s.id) for s in uow.catalog.free_serials(item.id, place, qty)]
    parts: list[tuple[int, int, int, int | None]] = []
    left = qty
    for location_id, lot_id, held in uow.queries.available_within(item.id, place.path, today):
        take = min(held, left)
        parts.append((location_id, lot_id, take, None))
        left -= take
        if left == 0:
            return parts
    raise InsufficientStock(f"Only {qty - left} of {item.sku} free in {place.code}; {qty} needed.")
