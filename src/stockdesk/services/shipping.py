"""Shipping a verified order, and taking goods back against a shipment.

A shipment is one SHIP posting that consumes the order's reservations (reserved -> customer), with
the shipment row and the lines' counters written in the same transaction. Its key derives from the
order and the shipment's number, so a double click ships once.

A verified order ships exactly the serial units the packer scanned. Should one of them have moved,
been sold or put on hold since the scan (put-away, the counter and transfers do not know about the
packing bench), shipping refuses and asks for the packing to be reset and scanned again, rather
than sending another unit than the one in the parcel.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from ..db.uow import UnitOfWork
from ..domain import validate
from ..domain.errors import InvalidInput, InvalidState, NotFound, SerialConflict, StockDeskError
from ..domain.postings import MovementDraft, PostingResult
from ..domain.quantities import CUSTOMER_CODE, Bucket, Kind, Leg, Tracking
from ..domain.sales import LineCounts, is_verified, status_of, text_field
from ..domain.users import Action
from . import resolve
from .context import Context
from .order_rows import ORDER_TOPIC, confirmed_order, packed_serial_orders, reference
from .posting import Plan, post
from .returns import ReturnLine, return_drafts
from .shipment_rows import SentUnit, ShipmentLine, ShipmentRow, shipment_lines, shipment_rows

__all__ = [
    "ReturnLine",
    "ShipmentLine",
    "ShipmentRow",
    "get_shipment",
    "return_shipment",
    "ship_order",
    "shipments_of",
]


class _AlreadyShipped(Exception):
    """Another desktop committed this very shipment while we waited for the order's lock."""


def ship_order(
    ctx: Context,
    order_id: int,
    *,
    carrier: str,
    tracking: str | None = None,
    override_note: str | None = None,
    key: str | None = None,
) -> ShipmentRow:
    """Ship the verified quantities; with an override note, a manager may ship what is reserved unverified."""
    carrier = text_field(carrier, what="Carrier", limit=100, required=True)
    tracking = text_field(tracking, what="Tracking number", limit=100)
    override_note = text_field(override_note, what="Override note", limit=1000)
    if key is None:
        with ctx.reading() as uow:
            key = f"{reference(order_id)}:shipment:{uow.sales.shipment_count(order_id) + 1}"

    done: dict[str, ShipmentRow] = {}

    def plan(uow: UnitOfWork) -> Plan:
        try:
            return shipment_plan(uow)
        except StockDeskError:
            # Refused because a double click's first half shipped the order while we waited for its lock?
            if uow.ledger.posting_by_key(key) is not None:
                raise _AlreadyShipped from None
            raise

    def shipment_plan(uow: UnitOfWork) -> Plan:
        header = confirmed_order(uow, order_id, step="shipped")
        lines = uow.sales.lines([order_id])
        counts = [LineCounts(line.qty_ordered, line.qty_reserved, line.qty_packed, line.qty_shipped) for line in lines]
        if not any(c.reserved for c in counts):
            raise InvalidState(
                f"Nothing of order {reference(order_id)} is reserved to ship; confirm it at a site first."
            )
        override_by = None
        if not is_verified(counts):
            if override_note is None:
                raise InvalidState(
                    f"Order {reference(order_id)} is not verified: scan the items at the packing bench first "
                    "(a manager may ship it anyway with an override note)."
                )
            ctx.user.require(Action.OVERRIDE_PACKING)
            override_by = ctx.user.id
        packed = uow.sales.packed_serials(packed_serial_orders(lines))
        sending = _shipment_drafts(uow, order_id, lines, packed, verified=override_by is None)
        after_shipping = status_of(LineCounts(c.ordered, 0, 0, c.shipped + c.reserved) for c in counts)

        def after(uow: UnitOfWork, posting_id: int) -> None:
            shipped_at = ctx.now()
            shipment_id = uow.sales.add_shipment(
                {
                    "order_id": order_id,
                    "posting_id": posting_id,
                    "carrier": carrier,
                    "tracking": tracking,
                    "shipped_by": ctx.user.id,
                    "shipped_at": shipped_at,
                    "override_by": override_by,
                    "override_note": override_note if override_by else None,
                }
            )
            uow.sales.change_lines(
                [(line.id, -line.qty_reserved, -line.qty_packed, line.qty_reserved) for line in lines]
            )
            if packed:
                uow.sales.forget_packed_serials(order_id)
            uow.sales.set_order(order_id, shipped_at, status=after_shipping)
            # The shipment as it was just written: a new one has nothing returned yet.
            done["shipment"] = ShipmentRow(
                id=shipment_id,
                order_id=order_id,
                order_number=reference(order_id),
                external_ref=header.external_ref,
                customer_name=header.customer_name,
                ship_to=header.ship_to,
                carrier=carrier,
                tracking=tracking,
                shipped_at=shipped_at,
                shipped_by=ctx.user.username,
                override_by=ctx.user.username if override_by else None,
                override_note=override_note if override_by else None,
                lines=shipment_lines(unit for _, unit in sending),
                returned=(),
            )

        return Plan([draft for draft, _ in sending], reference=reference(order_id), after=after, topics=ORDER_TOPIC)

    request = {"order": order_id, "carrier": carrier, "tracking": tracking, "override_note": override_note}
    try:
        result = post(ctx, kind=Kind.SHIP, key=key, request=request, plan=plan)
    except _AlreadyShipped:
        result = post(ctx, kind=Kind.SHIP, key=key, request=request, plan=plan)  # now a replay
    if not result.replayed:
        return done["shipment"]
    with ctx.reading() as uow:
        return shipment_rows(uow, uow.sales.shipments(posting_id=result.posting_id))[0]


def _shipment_drafts(
    uow: UnitOfWork, order_id: int, lines, packed, *, verified: bool
) -> list[tuple[MovementDraft, SentUnit]]:
    """Reserved -> customer for the lines' reserved units, place by place as reserved, each with
    what the shipment's lines show of it; serial items send the units scanned at the packing bench,
    and only with an override other free units there. (Serial items carry no lot.)"""
    held = uow.sales.reservations_of([reference(order_id)])
    _reservations_match(order_id, lines, held)
    places = sorted({(r.variant_id, r.location_id) for r in held if r.tracking == Tracking.SERIAL.value})
    if verified:
        _packed_still_in_place(order_id, packed, set(places))
    units: dict[tuple[int, int], list] = {}
    for unit in packed:
        units.setdefault((unit.variant_id, unit.location_id), []).append(unit)
    for unit in [] if verified else uow.sales.free_serials(places):
        units.setdefault((unit.variant_id, unit.location_id), []).append(unit)
    customer = Leg(resolve.virtual(uow, CUSTOMER_CODE))
    left = {line.variant_id: line.qty_reserved for line in lines}
    drafts = []
    for r in held:
        take = min(r.qty, left.get(r.variant_id, 0))
        if take <= 0:
            continue
        left[r.variant_id] -= take
        source = Leg(r.location_id, Bucket.RESERVED)
        sent = SentUnit(r.sku, r.name, r.lot_id, r.lot_number, r.expires_on, None, take)
        if r.tracking != Tracking.SERIAL.value:
            drafts.append((MovementDraft(Kind.SHIP, r.variant_id, take, source, customer, r.lot_id), sent))
            continue
        here = units.get((r.variant_id, r.location_id), [])
        if len(here) < take:
            raise SerialConflict(
                f"Only {len(here)} unit(s) of {r.sku} are free at {r.location_code} for {take} reserved there; "
                "look up where the others went before shipping."
            )
        drafts += [
            (
                MovementDraft(Kind.SHIP, r.variant_id, 1, source, customer, unit.lot_id, serial_id=unit.serial_id),
                sent._replace(serial_number=unit.serial_number, qty=1),
            )
            for unit in here[:take]
        ]
        del here[:take]
    return drafts


def _reservations_match(order_id: int, lines, held) -> None:
    """The shipment must move what its lines say: a line and the order's reservations that disagree
    (drift) would ship one and record the other."""
    by_item: dict[int, int] = {}
    for r in held:
        by_item[r.variant_id] = by_item.get(r.variant_id, 0) + r.qty
    differ = [
        f"{line.sku}: {line.qty_reserved} on the line, {by_item.get(line.variant_id, 0)} reserved"
        for line in lines
        if line.qty_reserved != by_item.get(line.variant_id, 0)
    ]
    if differ or set(by_item) - {line.variant_id for line in lines}:
        raise InvalidState(
            f"{reference(order_id)}'s reservations no longer match its lines ({'; '.join(differ) or 'other items'}); "
            "run a reconcile and have the order put right before shipping it."
        )


def _packed_still_in_place(order_id: int, packed, places: set[tuple[int, int]]) -> None:
    """Every scanned unit is still free where the order holds its kind, or the parcel is not what ships."""
    gone = [u.serial_number for u in packed if u.bucket != "A" or (u.variant_id, u.location_id) not in places]
    if gone:
        raise SerialConflict(
            f"Serial {', '.join(gone)} packed for order {reference(order_id)} moved, sold or went on hold "
            "since it was scanned; reset the packing and scan the units in the parcel again."
        )


def return_shipment(
    ctx: Context,
    shipment_id: int,
    lines: Sequence[ReturnLine],
    *,
    to: str,
    quarantine: bool = False,
    reason: str,
    key: str | None = None,
) -> PostingResult:
    """Goods back from the customer against one shipment, into sellable stock or quarantine at `to`."""
    reason = text_field(reason, what="Reason", limit=200) or _no_reason()
    checked = [(line.sku.strip(), validate.quantity(line.qty), [s.strip() for s in line.serials]) for line in lines]
    if not checked:
        raise InvalidInput("A return needs at least one line: say which items came back.")
    with ctx.reading() as uow:
        order_id = _shipment(uow, shipment_id).order_id
    # Two clerks returning at once are two returns: a counted key would make the second a replay of the first.
    key = key or f"{reference(order_id)}:shipment:{shipment_id}:return:{uuid.uuid4().hex}"

    def plan(uow: UnitOfWork) -> Plan:
        uow.sales.order(order_id, lock=True)  # returns against one order queue up: each sees what came back before
        place = resolve.location(uow, to)
        dest = Leg(place.id, Bucket.QUARANTINED if quarantine else Bucket.AVAILABLE)
        drafts = return_drafts(uow, shipment_id, checked, dest)

        def after(uow: UnitOfWork, posting_id: int) -> None:
            uow.sales.add_return(
                {
                    "shipment_id": shipment_id,
                    "posting_id": posting_id,
                    "reason": reason,
                    "returned_by": ctx.user.id,
                    "returned_at": ctx.now(),
                }
            )

        return Plan(drafts, reference=reference(order_id), note=reason, after=after, topics=ORDER_TOPIC)

    request = {"shipment": shipment_id, "lines": checked, "to": to, "quarantine": quarantine, "reason": reason}
    return post(ctx, kind=Kind.RETURN, key=key, request=request, plan=plan)


def _no_reason() -> str:
    raise InvalidInput("Say why the goods came back (e.g. 'damaged in transit', 'wrong size').")


def _shipment(uow: UnitOfWork, shipment_id: int):
    found = uow.sales.shipments(shipment_id=shipment_id)
    if not found:
        raise NotFound(f"There is no shipment number {shipment_id}. Check the packing slip.")
    return found[0]


def get_shipment(ctx: Context, shipment_id: int) -> ShipmentRow:
    with ctx.reading() as uow:
        return shipment_rows(uow, [_shipment(uow, shipment_id)])[0]


def shipments_of(ctx: Context, order_id: int) -> list[ShipmentRow]:
    """An order's shipments, first shipped first."""
    with ctx.reading() as uow:
        return shipment_rows(uow, uow.sales.shipments(order_id=order_id))
