"""Holds and corrections: quarantine, adjustments with reason codes, scrap, and reversals."""

from __future__ import annotations

from collections.abc import Sequence

from ...domain import validate
from ...domain.errors import InvalidInput, NotFound
from ...domain.postings import MovementDraft, PostingResult
from ...domain.quantities import (
    ADJUSTMENT_CODE,
    NO_LOT,
    SCRAP_CODE,
    Bucket,
    Kind,
    Leg,
    Tracking,
)
from ...domain.users import Action
from .. import resolve
from ..context import Context
from ..posting import Plan, post
from .ownership import refuse_reversing_owned
from .parts import A, Q, new_serial, outbound


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
        parts = outbound(uow, ctx, item, place, qty, lot, serials, source_bucket)
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
            parts = outbound(uow, ctx, item, place, -delta, lot, serials, A)
            legs = (Leg(place.id), book)
        drafts = []
        books: dict[int, int] = {}  # running on hand per lot: several serials share one level row
        for lot_id, n, serial_id in parts:
            before = books[lot_id] if lot_id in books else uow.queries.on_hand(item.id, place.id, lot_id)
            after = books[lot_id] = before + (n if delta > 0 else -n)
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
        return [(NO_LOT, 1, new_serial(uow, item, s, NO_LOT, origin_id)) for s in serials]
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
            for lot_id, n, serial_id in outbound(uow, ctx, item, place, qty, lot, serials, bucket)
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
        refuse_reversing_owned(uow, original)
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
