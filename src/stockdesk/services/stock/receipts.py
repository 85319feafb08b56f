"""Goods in from a supplier without a purchase order, with their lot or serial numbers.

A delivery of several items is one posting: every line is checked before anything is booked, and
one refused line refuses the whole receipt, so a receipt is on the books whole or not at all.
The line helpers (check, resolve, lot, drafts) are shared with receiving against a purchase order
(services/po_receiving.py), so both follow the same lot, expiry and serial rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from ...domain import validate
from ...domain.catalog import LocationRow, VariantRow
from ...domain.errors import ExpiredLot, InvalidInput, StockDeskError
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


@dataclass(frozen=True)
class ReceiptLine:
    """One item of a delivery; `to` sends this line to another bin than the receipt's."""

    sku: str
    qty: int | str
    lot: str | None = None
    expiry: str | date | None = None
    serials: Sequence[str] = ()
    to: str | None = None
    quarantine: bool = False


@dataclass(frozen=True)
class CheckedLine:
    """A line whose shape is valid: a whole quantity, a real date, trimmed serials and a destination."""

    number: int
    sku: str
    qty: int
    lot: str | None
    expires_on: date | None
    serials: list[str]
    to: str
    quarantine: bool

    def request(self) -> dict:
        return {
            "sku": self.sku,
            "qty": self.qty,
            "to": self.to,
            "lot": self.lot,
            "expiry": self.expires_on,
            "serials": self.serials,
            "quarantine": self.quarantine,
        }


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
    """A free receipt of one item: a receipt of one line."""
    line = ReceiptLine(sku, qty, lot=lot, expiry=expiry, serials=tuple(serials), quarantine=quarantine)
    return receive_lines(ctx, [line], to=to, ref=ref, supplier=supplier, key=key)


def receive_lines(
    ctx: Context,
    lines: Sequence[ReceiptLine],
    *,
    to: str | None = None,
    ref: str | None = None,
    supplier: str | None = None,
    key: str | None = None,
) -> PostingResult:
    """A delivery of several items as one posting (one transaction, one idempotency key).

    A refusal names its line ("Line 2 (MILK-1L): ...") when the receipt has more than one.
    """
    if not lines:
        raise InvalidInput("The receipt has no lines: scan or add the items received first.")
    named = len(lines) > 1
    checked = []
    for number, line in enumerate(lines, start=1):
        with line_errors(number, line.sku, named):
            checked.append(check_line(number, line, to))

    def plan(uow) -> Plan:
        return Plan(receipt_drafts(uow, ctx, checked, named, supplier), reference=ref)

    request = {"lines": [line.request() for line in checked], "ref": ref, "supplier": supplier}
    return post(ctx, kind=Kind.RECEIVE, key=key, request=request, plan=plan)


@contextmanager
def line_errors(number: int, sku: str, named: bool) -> Iterator[None]:
    """Prefix a refusal with the line it is about, keeping its type."""
    try:
        yield
    except StockDeskError as error:
        if not named:
            raise
        raise type(error)(f"Line {number} ({sku.strip()}): {error}") from None


def check_line(number: int, line: ReceiptLine, to: str | None) -> CheckedLine:
    qty = validate.quantity(line.qty)
    lot = validate.code(line.lot, what="Lot number") if line.lot and line.lot.strip() else None
    expires_on = validate.iso_date(line.expiry, what="Expiry date")
    destination = (line.to or to or "").strip()
    if not destination:
        raise InvalidInput("Say where the goods go: scan or choose a destination bin.")
    serials = [s.strip() for s in line.serials]
    return CheckedLine(number, line.sku, qty, lot, expires_on, serials, destination, line.quarantine)


def receipt_drafts(
    uow, ctx: Context, lines: Sequence[CheckedLine], named: bool, supplier: str | None
) -> list[MovementDraft]:
    """The movements that bring checked lines in from the supplier (the lots and serials they name
    are added on the way); a refusal names its line when there are several."""
    found = []
    for line in lines:
        with line_errors(line.number, line.sku, named):
            found.append((line, *resolve_line(uow, ctx, line)))
    each_serial_once(found, named)
    source = Leg(resolve.virtual(uow, SUPPLIER_CODE))
    drafts = []
    for line, item, place in found:
        with line_errors(line.number, line.sku, named):
            drafts += line_drafts(uow, ctx, line, item, place, source, supplier)
    return drafts


def resolve_line(uow, ctx: Context, line: CheckedLine) -> tuple[VariantRow, LocationRow]:
    """The item and the place, and whether the line carries what the item's tracking needs."""
    item = resolve.variant(uow, line.sku)
    place = resolve.location(uow, line.to)
    resolve.require_tracking(item, lot=line.lot, serials=line.serials, qty=line.qty)
    if item.tracking is Tracking.LOT:
        if not line.lot:
            raise InvalidInput(f"{item.sku} is tracked by lot: give the lot number.")
        if line.expires_on is not None and line.expires_on < ctx.today():
            raise ExpiredLot(
                f"Lot {line.lot} expired on {line.expires_on}; expired goods may not be received into stock."
            )
    return item, place


def each_serial_once(found: list[tuple[CheckedLine, VariantRow, LocationRow]], named: bool) -> None:
    """A unit is received once: the same serial on two lines of one receipt is a scanning slip."""
    first_line: dict[tuple[int, str], int] = {}
    for line, item, _ in found:
        for number in line.serials:
            earlier = first_line.setdefault((item.id, number), line.number)
            if earlier != line.number:
                with line_errors(line.number, line.sku, named):
                    raise InvalidInput(
                        f"Serial {number} is already on line {earlier} of this receipt; each unit is received once."
                    )


def line_drafts(
    uow, ctx: Context, line: CheckedLine, item: VariantRow, place: LocationRow, source: Leg, supplier: str | None
) -> list[MovementDraft]:
    lot_id = receipt_lot(uow, ctx, item, line, supplier)
    dest = Leg(place.id, Q if line.quarantine else A)
    if item.tracking is Tracking.SERIAL:
        ids = [new_serial(uow, item, number, lot_id, source.location_id) for number in line.serials]
        return [MovementDraft(Kind.RECEIVE, item.id, 1, source, dest, lot_id, serial_id=i) for i in ids]
    return [MovementDraft(Kind.RECEIVE, item.id, line.qty, source, dest, lot_id)]


def receipt_lot(uow, ctx: Context, item: VariantRow, line: CheckedLine, supplier: str | None) -> int:
    """The lot the line's units belong to: the one on the books by that number, or a new one."""
    if item.tracking is not Tracking.LOT:
        return NO_LOT
    existing = uow.catalog.lot_by_number(item.id, line.lot)
    if existing is None:
        return uow.catalog.add_lot(
            variant_id=item.id,
            number=line.lot,
            supplier=supplier,
            manufactured_on=None,
            expires_on=line.expires_on,
            certificate_ref=None,
        ).id
    if existing.is_expired(ctx.today()):
        raise ExpiredLot(f"Lot {existing.number} expired on {existing.expires_on}; it may not be received.")
    if line.expires_on is not None and existing.expires_on not in (None, line.expires_on):
        raise InvalidInput(
            f"Lot {existing.number} of {item.sku} is already on the books expiring {existing.expires_on}, "
            f"not {line.expires_on}. Check the label."
        )
    return existing.id
