"""What may come back against one shipment: never more than it sent less what came back already,
lot by lot as it went out, and only serial units it sent that are still with the customer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..db.uow import UnitOfWork
from ..domain.errors import InvalidInput, SerialConflict
from ..domain.postings import MovementDraft
from ..domain.quantities import CUSTOMER_CODE, Kind, Leg, Tracking
from . import resolve


@dataclass(frozen=True)
class ReturnLine:
    sku: str
    qty: int | str
    serials: Sequence[str] = ()


def return_drafts(
    uow: UnitOfWork, shipment_id: int, lines: Sequence[tuple[str, int, list[str]]], dest: Leg
) -> list[MovementDraft]:
    """Customer -> `dest` movements for checked (sku, qty, serials) lines."""
    customer_id = resolve.virtual(uow, CUSTOMER_CODE)
    units = uow.sales.shipment_units([shipment_id])
    drafts: list[MovementDraft] = []
    seen: set[int] = set()
    for sku, qty, serials in lines:
        item = resolve.variant(uow, sku)
        if item.id in seen:
            raise InvalidInput(f"{item.sku} is on two lines of the return; put it on one line.")
        seen.add(item.id)
        resolve.require_tracking(item, lot=None, serials=serials, qty=qty)
        mine = [u for u in units if u.variant_id == item.id]
        if not any(not u.returned for u in mine):
            raise InvalidInput(f"Shipment {shipment_id} did not send any {item.sku}; check the packing slip.")
        if item.tracking is Tracking.SERIAL:
            drafts += [_serial_back(uow, item, number, mine, shipment_id, customer_id, dest) for number in serials]
            continue
        left = qty
        for lot_id, out in _returnable_lots(mine):
            take = min(out, left)
            if take > 0:
                drafts.append(MovementDraft(Kind.RETURN, item.id, take, Leg(customer_id), dest, lot_id))
                left -= take
        if left:
            sent = sum(u.qty for u in mine if not u.returned)
            back = sent - sum(out for _, out in _returnable_lots(mine))
            raise InvalidInput(
                f"Shipment {shipment_id} sent {sent} x {item.sku} and {back} came back already; "
                f"{qty} more cannot be returned against it."
            )
    return drafts


def _returnable_lots(units) -> list[tuple[int, int]]:
    """(lot_id, units still with the customer), first expiring first (the order the units come in)."""
    out: dict[int, int] = {}
    for u in units:
        out[u.lot_id] = out.get(u.lot_id, 0) + (-u.qty if u.returned else u.qty)
    return [(lot_id, n) for lot_id, n in out.items() if n > 0]


def _serial_back(uow: UnitOfWork, item, number: str, units, shipment_id: int, customer_id: int, dest: Leg):
    """One serial unit back: sent on this shipment, not back against it yet, and not shipped again since
    (still at the customer is not enough: it may have come back and gone out on a later shipment)."""
    sent = next((u for u in units if not u.returned and u.serial_number == number), None)
    if sent is None:
        raise SerialConflict(f"Serial {number} was not shipped on shipment {shipment_id}; check the unit's label.")
    now = uow.catalog.serial(item.id, number)
    if now.location_id != customer_id:
        raise SerialConflict(f"Serial {number} is back at {now.location_code} already; it cannot be returned twice.")
    if any(u.returned and u.serial_id == sent.serial_id for u in units):
        raise SerialConflict(
            f"Serial {number} came back against shipment {shipment_id} already; it cannot be returned twice on it."
        )
    [shipment] = uow.sales.shipments(shipment_id=shipment_id)
    if uow.sales.last_ship_posting(sent.serial_id) != shipment.posting_id:
        raise SerialConflict(
            f"Serial {number} went out again on a later shipment; return it against that shipment instead."
        )
    return MovementDraft(Kind.RETURN, item.id, 1, Leg(customer_id), dest, sent.lot_id, serial_id=sent.serial_id)
