"""Receive, reserve, release, ship, sell, return, quarantine, adjust, scrap and reverse.

Each builds movement drafts from what the user asked, then `post` appends them; shortfalls are
refused by the guarded level writes inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..domain import validate
from ..domain.errors import ExpiredLot, InvalidInput, NotFound, SerialConflict
from ..domain.postings import MovementDraft, PostingResult
from ..domain.quantities import (
    ADJUSTMENT_CODE,
    CUSTOMER_CODE,
    NO_LOT,
    SCRAP_CODE,
    SUPPLIER_CODE,
    Bucket,
    Kind,
    Leg,
    LocationKind,
    Tracking,
)
from ..domain.users import Action
from . import resolve
from .context import Context
from .posting import Plan, post

A, R, Q = Bucket.AVAILABLE, Bucket.RESERVED, Bucket.QUARANTINED


def receive(
    ctx: Context,
    sku: str,
    qty: int,
    *,
    to: str,
    lot: str | None = None,
    expiry: str | date | None = None,
    serials: Sequence[str] = (),
    ref: str | None = None,
    supplier: str | None = None,
    key: str | None = None,
    quarantine: bool = False,
) -> PostingResult:
    """A free receipt from a supplier (no purchase order), with its lot or serial numbers."""
    qty = validate.quantity(qty)
    expires_on = validate.iso_date(expiry, what="Expiry date")
    serials = [s.strip() for s in serials]
    request = {
        "sku": sku,
        "qty": qty,
        "to": to,
        "lot": lot,
        "expiry": expires_on,
        "serials": serials,
        "ref": ref,
        "quarantine": quarantine,
    }

    def plan(uow) -> Plan:
        item = resolve.variant(uow, sku)
        place = resolve.location(uow, to)
        resolve.require_tracking(item, lot=lot, serials=serials, qty=qty)
        lot_id = _receipt_lot(uow, ctx, item, lot, expires_on, supplier)
        source = Leg(resolve.virtual(uow, SUPPLIER_CODE))
        dest = Leg(place.id, Q if quarantine else A)
        if item.tracking is Tracking.SERIAL:
            ids = [_new_serial(uow, item, number, lot_id, source.location_id) for number in serials]
            drafts = [MovementDraft(Kind.RECEIVE, item.id, 1, source, dest, lot_id, serial_id=i) for i in ids]
        else:
            drafts = [MovementDraft(Kind.RECEIVE, item.id, qty, source, dest, lot_id)]
        return Plan(drafts, reference=ref)

    return post(ctx, kind=Kind.RECEIVE, key=key, request=request, plan=plan)


def _receipt_lot(uow, ctx: Context, item, number: str | None, expires_on: date | None, supplier: str | None) -> int:
    if item.tracking is not Tracking.LOT:
        return NO_LOT
    if not number or not number.strip():
        raise InvalidInput(f"{item.sku} is tracked by lot: give the lot number.")
    if expires_on is not None and expires_on < ctx.today():
        raise ExpiredLot(f"Lot {number} expired on {expires_on}; expired goods may not be received into stock.")
    existing = uow.catalog.lot_by_number(item.id, number.strip())
    if existing is None:
        return uow.catalog.add_lot(
            variant_id=item.id,
            number=validate.code(number, what="Lot number"),
            supplier=supplier,
            manufactured_on=None,
            expires_on=expires_on,
            certificate_ref=None,
        ).id
    if existing.is_expired(ctx.today()):
        raise ExpiredLot(f"Lot {existing.number} expired on {existing.expires_on}; it may not be received.")
    if expires_on is not None and existing.expires_on not in (None, expires_on):
        raise InvalidInput(
            f"Lot {existing.number} of {item.sku} is already on the books expiring {existing.expires_on}, "
            f"not {expires_on}. Check the label."
        )
    return existing.id


def _new_serial(uow, item, number: str, lot_id: int, origin_id: int) -> int:
    validate.code(number, what="Serial number")
    known = uow.catalog.serial(item.id, number)
    if known is None:
        return uow.catalog.add_serial(variant_id=item.id, serial_number=number, lot_id=lot_id, location_id=origin_id)
    if known.location_kind is LocationKind.CUSTOMER:
        raise SerialConflict(f"Serial {number} was shipped to a customer; book it as a return, not a receipt.")
    if known.location_id == origin_id:
        return known.id
    raise SerialConflict(
        f"Serial {number} is already on the books at {known.location_code}; it cannot be received again."
    )


def _outbound(
    uow,
    ctx: Context,
    item,
    place,
    qty: int,
    lot: str | None,
    serials: Sequence[str],
    bucket: Bucket,
    *,
    selling: bool = False,
) -> list[tuple[int, int, int | None]]:
    """(lot_id, qty, serial_id) parts that make up `qty` units leaving `bucket` at `place`.

    A named expired lot is refused only when `selling` (sale or reservation); it may still be
    quarantined, scrapped or adjusted out, which is what is done with expired goods.
    """
    resolve.require_tracking(item, lot=lot, serials=serials, qty=qty)
    if item.tracking is Tracking.SERIAL:
        return [(s.lot_id, 1, s.id) for s in resolve.serials_at(uow, item, serials, place, bucket)]
    if lot:
        chosen = resolve.lot_by_number(uow, item, lot, ctx.today(), selling=selling)
        return [(chosen.id, qty, None)]
    return [(lot_id, n, None) for lot_id, n in resolve.allocate_lots(uow, item, place, qty, ctx.today(), bucket)]


def _order_ref(ref: str | None) -> str:
    return validate.code(ref or "", what="Order reference")


def reserve(
    ctx: Context, sku: str, qty: int, *, at: str, ref: str, lot: str | None = None, key: str | None = None
) -> PostingResult:
    qty = validate.quantity(qty)
    ref = _order_ref(ref)

    def plan(uow) -> Plan:
        item = resolve.variant(uow, sku)
        place = resolve.location(uow, at)
        parts = (
            _outbound(uow, ctx, item, place, qty, lot, (), A, selling=True)
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
    ref = _order_ref(ref)

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
    ref = _order_ref(ref)
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
            drafts += _split_serials(Kind.SHIP, item.id, n, Leg(place.id, R), customer, lot_id, serial_ids)
        rest = qty - from_reserved
        if rest:
            for lot_id, n in resolve.allocate_lots(uow, item, place, rest, ctx.today()):
                drafts += _split_serials(Kind.SHIP, item.id, n, Leg(place.id, A), customer, lot_id, serial_ids)
        return Plan(drafts, reference=ref)

    return post(
        ctx,
        kind=Kind.SHIP,
        key=key,
        request={"sku": sku, "qty": qty, "from": source, "ref": ref, "serials": serials},
        plan=plan,
    )


def _split_serials(
    kind: Kind, variant_id: int, qty: int, source: Leg, dest: Leg, lot_id: int, serial_ids
) -> list[MovementDraft]:
    if serial_ids is None:
        return [MovementDraft(kind, variant_id, qty, source, dest, lot_id)]
    return [MovementDraft(kind, variant_id, 1, source, dest, lot_id, serial_id=next(serial_ids)) for _ in range(qty)]


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
            for lot_id, n, serial_id in _outbound(uow, ctx, item, place, qty, lot, serials, A, selling=True)
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
    ref = _order_ref(ref)
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


def quarantine(
    ctx: Context,
    sku: str,
    qty: int,
    *,
    at: str,
    lot: str | None = None,
    serials: Sequence[str] = (),
    note: str | None = None,
    key: str | None = None,
) -> PostingResult:
    return _hold(ctx, Kind.QUARANTINE, sku, qty, at, lot, serials, note, key, A, Q)


def release_quarantine(
    ctx: Context,
    sku: str,
    qty: int,
    *,
    at: str,
    lot: str | None = None,
    serials: Sequence[str] = (),
    note: str | None = None,
    key: str | None = None,
) -> PostingResult:
    return _hold(ctx, Kind.RELEASE_QUARANTINE, sku, qty, at, lot, serials, note, key, Q, A)


def _hold(ctx, kind, sku, qty, at, lot, serials, note, key, source_bucket, dest_bucket) -> PostingResult:
    qty = validate.quantity(qty)
    serials = [s.strip() for s in serials]

    def plan(uow) -> Plan:
        item = resolve.variant(uow, sku)
        place = resolve.location(uow, at)
        parts = _outbound(uow, ctx, item, place, qty, lot, serials, source_bucket)
        drafts = [
            MovementDraft(
                kind, item.id, n, Leg(place.id, source_bucket), Leg(place.id, dest_bucket), lot_id, serial_id=serial_id
            )
            for lot_id, n, serial_id in parts
        ]
        return Plan(drafts, note=note)

    return post(
        ctx, kind=kind, key=key, request={"sku": sku, "qty": qty, "at": at, "lot": lot, "serials": serials}, plan=plan
    )


def adjust(
    ctx: Context,
    sku: str,
    delta: int,
    *,
    at: str,
    reason: str,
    note: str | None = None,
    lot: str | None = None,
    serials: Sequence[str] = (),
    key: str | None = None,
) -> PostingResult:
    """A manual correction: reason code required; before and after quantities recorded."""
    ctx.user.require(Action.ADJUST)
    delta = validate.signed_quantity(delta)
    serials = [s.strip() for s in serials]

    def plan(uow) -> Plan:
        item = resolve.variant(uow, sku)
        place = resolve.location(uow, at)
        code = _reason(uow, reason, delta)
        book = Leg(resolve.virtual(uow, ADJUSTMENT_CODE))
        if delta > 0:
            parts = _adjust_in(uow, ctx, item, delta, lot, serials, book.location_id)
            legs = (book, Leg(place.id))
        else:
            parts = _outbound(uow, ctx, item, place, -delta, lot, serials, A)
            legs = (Leg(place.id), book)
        drafts = []
        for lot_id, n, serial_id in parts:
            before = uow.queries.on_hand(item.id, place.id, lot_id)
            after = before + (n if delta > 0 else -n)
            drafts.append(
                MovementDraft(
                    Kind.ADJUST, item.id, n, *legs, lot_id, serial_id=serial_id, before_qty=before, after_qty=after
                )
            )
        return Plan(drafts, reason_code=code, note=note)

    return post(
        ctx,
        kind=Kind.ADJUST,
        key=key,
        request={"sku": sku, "delta": delta, "at": at, "reason": reason, "note": note, "lot": lot, "serials": serials},
        plan=plan,
    )


def _adjust_in(uow, ctx, item, qty, lot, serials, origin_id) -> list[tuple[int, int, int | None]]:
    resolve.require_tracking(item, lot=lot, serials=serials, qty=qty)
    if item.tracking is Tracking.SERIAL:
        return [(NO_LOT, 1, _new_serial(uow, item, s, NO_LOT, origin_id)) for s in serials]
    if item.tracking is Tracking.LOT:
        if not lot:
            raise InvalidInput(f"{item.sku} is tracked by lot: say which lot was found.")
        return [(resolve.lot_by_number(uow, item, lot, ctx.today(), selling=False).id, qty, None)]
    return [(NO_LOT, qty, None)]


def _reason(uow, code: str, delta: int) -> str:
    row = uow.catalog.reason((code or "").strip().upper())
    if row is None or not row.user_selectable:
        choices = ", ".join(uow.catalog.selectable_reasons())
        raise InvalidInput(f"'{code}' is not a reason code. Use one of: {choices}.")
    if (row.direction == "in" and delta < 0) or (row.direction == "out" and delta > 0):
        way = "adds stock" if row.direction == "in" else "removes stock"
        raise InvalidInput(f"Reason {row.code} ({row.description}) only {way}; check the sign of the change.")
    return row.code


def scrap(
    ctx: Context,
    sku: str,
    qty: int,
    *,
    at: str,
    from_quarantine: bool = False,
    lot: str | None = None,
    serials: Sequence[str] = (),
    note: str | None = None,
    key: str | None = None,
) -> PostingResult:
    ctx.user.require(Action.ADJUST)
    qty = validate.quantity(qty)
    serials = [s.strip() for s in serials]
    bucket = Q if from_quarantine else A

    def plan(uow) -> Plan:
        item = resolve.variant(uow, sku)
        place = resolve.location(uow, at)
        dest = Leg(resolve.virtual(uow, SCRAP_CODE))
        drafts = [
            MovementDraft(Kind.SCRAP, item.id, n, Leg(place.id, bucket), dest, lot_id, serial_id=serial_id)
            for lot_id, n, serial_id in _outbound(uow, ctx, item, place, qty, lot, serials, bucket)
        ]
        return Plan(drafts, note=note)

    return post(
        ctx,
        kind=Kind.SCRAP,
        key=key,
        request={"sku": sku, "qty": qty, "at": at, "quarantine": from_quarantine, "lot": lot, "serials": serials},
        plan=plan,
    )


def reverse(ctx: Context, movement_id: int, *, note: str | None = None, key: str | None = None) -> PostingResult:
    """Correct a mistake with a new movement that undoes the original and points at it."""
    ctx.user.require(Action.ADJUST)

    def plan(uow) -> Plan:
        original = uow.ledger.movement(movement_id)
        if original is None:
            raise NotFound(f"There is no movement number {movement_id}.")
        if original.reverses_id is not None:
            raise InvalidInput(f"Movement {movement_id} is itself a reversal; post the operation again instead.")
        if original.kind in (Kind.TRANSFER_PICK, Kind.TRANSFER_RECEIVE):
            raise InvalidInput(f"Movement {movement_id} belongs to a transfer; cancel or receive the transfer instead.")
        if uow.ledger.is_reversed(movement_id):
            raise InvalidInput(f"Movement {movement_id} has already been reversed.")
        draft = MovementDraft(
            Kind.REVERSAL,
            original.variant_id,
            original.qty,
            Leg(original.to_location_id, Bucket(original.to_bucket)),
            Leg(original.from_location_id, Bucket(original.from_bucket)),
            original.lot_id,
            serial_id=original.serial_id,
            reverses_id=movement_id,
        )
        return Plan([draft], reference=original.reference, reason_code="REVERSAL", note=note)

    return post(ctx, kind=Kind.REVERSAL, key=key, request={"movement": movement_id, "note": note}, plan=plan)
