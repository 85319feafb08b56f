"""Goods in from a supplier without a purchase order, with their lot or serial numbers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ...domain import validate
from ...domain.errors import ExpiredLot, InvalidInput
from ...domain.postings import MovementDraft, PostingResult
from ...domain.quantities import (
    NO_LOT,
    SUPPLIER_CODE,
    Kind,
    Leg,
    Tracking,
)
from .. import resolve
from ..context import Context
from ..posting import Plan, post
from .parts import A, Q, new_serial


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
        "supplier": supplier,
    }

    def plan(uow) -> Plan:
        item = resolve.variant(uow, sku)
        place = resolve.location(uow, to)
        resolve.require_tracking(item, lot=lot, serials=serials, qty=qty)
        lot_id = _receipt_lot(uow, ctx, item, lot, expires_on, supplier)
        source = Leg(resolve.virtual(uow, SUPPLIER_CODE))
        dest = Leg(place.id, Q if quarantine else A)
        if item.tracking is Tracking.SERIAL:
            ids = [new_serial(uow, item, number, lot_id, source.location_id) for number in serials]
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
