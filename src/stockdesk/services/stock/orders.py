"""Order-driven stock: reserve, release, ship against an order, sell at the counter, take back."""

from __future__ import annotations

from collections.abc import Sequence

from ...domain import validate
from ...domain.errors import SerialConflict
from ...domain.postings import MovementDraft, PostingResult
from ...domain.quantities import (
    CUSTOMER_CODE,
    NO_LOT,
    Kind,
    Leg,
    Tracking,
)
from .. import resolve
from ..context import Context
from ..posting import Plan, post
from .ownership import free_reference
from .parts import A, Q, R, outbound, split_serials


def reserve(
    ctx: Context, sku: str, qty: int, *, at: str, ref: str, lot: str | None = None, key: str | None = None
) -> PostingResult:
    qty = validate.quantity(qty)
    ref = free_reference(ref, Kind.RESERVE)

    def plan(uow) -> Plan:
        item = resolve.variant(uow, sku)
        place = resolve.location(uow, at)
        parts = (
            outbound(uow, ctx, item, place, qty, lot, (), A, selling=True)
            if item.tracking is not Tracking.SERIAL
            else [(NO_LOT, qty, None)]
        )
        drafts = [
            MovementDraft(Kind.RESERVE, item.id, n, Leg(place.id, A), Leg(place.id, R), lot_id)
            for lot_id, n, _ in parts
        ]
        return Plan(drafts, reference=ref)

    return post(
        ctx, kind=Kind.RESERVE, key=key, request={"sku": sku, "qty": qty, "at": at, "ref": ref, "lot": lot}, plan=plan
    )


def release(ctx: Context, sku: str, qty: int, *, at: str, ref: str, key: str | None = None) -> PostingResult:
    """Give reserved units back to available (an order line cancelled or reduced)."""
    qty = validate.quantity(qty)
    ref = free_reference(ref, Kind.RELEASE)

    def plan(uow) -> Plan:
        item = resolve.variant(uow, sku)
        place = resolve.location(uow, at)
        parts = uow.queries.reservation_lots(ref, item.id, place.id, qty, latest_first=True)
        drafts = [
            MovementDraft(Kind.RELEASE, item.id, n, Leg(place.id, R), Leg(place.id, A), lot_id) for lot_id, n in parts
        ]
        return Plan(drafts, reference=ref)

    return post(ctx, kind=Kind.RELEASE, key=key, request={"sku": sku, "qty": qty, "at": at, "ref": ref}, plan=plan)


def ship(
    ctx: Context, sku: str, qty: int, *, source: str, ref: str, serials: Sequence[str] = (), key: str | None = None
) -> PostingResult:
    """Ship against an order: its reserved units go first, then available ones; all leave to the customer."""
    qty = validate.quantity(qty)
    ref = free_reference(ref, Kind.SHIP)
    serials = [s.strip() for s in serials]

    def plan(uow) -> Plan:
        item = resolve.variant(uow, sku)
        place = resolve.location(uow, source)
        customer = Leg(resolve.virtual(uow, CUSTOMER_CODE))
        resolve.require_tracking(item, lot=None, serials=serials, qty=qty)
        reserved = uow.queries.reservation_lots(ref, item.id, place.id, qty, partial=True)
        from_reserved = sum(n for _, n in reserved)
        drafts: list[MovementDraft] = []
        serial_ids = iter(s.id for s in resolve.serials_at(uow, item, serials, place)) if serials else None
        for lot_id, n in reserved:
            drafts += split_serials(Kind.SHIP, item.id, n, Leg(place.id, R), customer, lot_id, serial_ids)
        rest = qty - from_reserved
        if rest:
            for lot_id, n in resolve.allocate_lots(uow, item, place, rest, ctx.today()):
                drafts += split_serials(Kind.SHIP, item.id, n, Leg(place.id, A), customer, lot_id, serial_ids)
        return Plan(drafts, reference=ref)

    return post(
        ctx,
        kind=Kind.SHIP,
        key=key,
        request={"sku": sku, "qty": qty, "from": source, "ref": ref, "serials": serials},
        plan=plan,
    )


def sell(
    ctx: Context,
    sku: str,
    qty: int,
    *,
    source: str,
    ref: str | None = None,
    lot: str | None = None,
    serials: Sequence[str] = (),
    key: str | None = None,
) -> PostingResult:
    """A shop-counter sale straight from available stock, without a prior reservation."""
    qty = validate.quantity(qty)
    serials = [s.strip() for s in serials]

    def plan(uow) -> Plan:
        item = resolve.variant(uow, sku)
        place = resolve.location(uow, source)
        customer = Leg(resolve.virtual(uow, CUSTOMER_CODE))
        drafts = [
            MovementDraft(Kind.SELL, item.id, n, Leg(place.id, A), customer, lot_id, serial_id=serial_id)
            for lot_id, n, serial_id in outbound(uow, ctx, item, place, qty, lot, serials, A, selling=True)
        ]
        return Plan(drafts, reference=ref)

    return post(
        ctx,
        kind=Kind.SELL,
        key=key,
        request={"sku": sku, "qty": qty, "from": source, "ref": ref, "lot": lot, "serials": serials},
        plan=plan,
    )


def return_goods(
    ctx: Context,
    sku: str,
    qty: int,
    *,
    to: str,
    ref: str,
    quarantine: bool = False,
    serials: Sequence[str] = (),
    reason: str | None = None,
    key: str | None = None,
) -> PostingResult:
    """Goods coming back from a customer against the order they were shipped on."""
    qty = validate.quantity(qty)
    ref = free_reference(ref, Kind.RETURN)
    serials = [s.strip() for s in serials]

    def plan(uow) -> Plan:
        item = resolve.variant(uow, sku)
        place = resolve.location(uow, to)
        resolve.require_tracking(item, lot=None, serials=serials, qty=qty)
        customer_id = resolve.virtual(uow, CUSTOMER_CODE)
        dest = Leg(place.id, Q if quarantine else A)
        if serials:
            parts = [(_returning_serial(uow, item, number, ref, customer_id), 1) for number in serials]
            drafts = [
                MovementDraft(Kind.RETURN, item.id, 1, Leg(customer_id), dest, s.lot_id, serial_id=s.id)
                for s, _ in parts
            ]
        else:
            drafts = [
                MovementDraft(Kind.RETURN, item.id, n, Leg(customer_id), dest, lot_id)
                for lot_id, n in uow.queries.returnable_lots(ref, item, qty)
            ]
        return Plan(drafts, reference=ref, note=reason)

    return post(
        ctx,
        kind=Kind.RETURN,
        key=key,
        request={"sku": sku, "qty": qty, "to": to, "ref": ref, "quarantine": quarantine, "serials": serials},
        plan=plan,
    )


def _returning_serial(uow, item, number: str, ref: str, customer_id: int):
    serial = uow.catalog.serial(item.id, number)
    if serial is None or serial.location_id != customer_id:
        where = "was never on the books" if serial is None else f"is at {serial.location_code}"
        raise SerialConflict(f"Serial {number} {where}; only a shipped unit can be returned.")
    if not uow.queries.serial_shipped_on(serial.id, ref):
        raise SerialConflict(f"Serial {number} was not shipped on order {ref}.")
    return serial
