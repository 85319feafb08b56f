"""Purchase orders: draft -> sent -> partial -> received, or closed short, or cancelled.

A line's `qty_on_order` is what the supplier still owes: set to the ordered quantity when the
order is sent, lowered by each receipt (services/po_receiving.py), zeroed when the order is closed
or cancelled. Every stock figure adds it as "on order" at the order's destination. Each change
locks the order row first, so a clerk receiving and a buyer closing the same order take turns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..domain import validate
from ..domain.errors import InvalidInput, InvalidState, NotFound
from ..domain.postings import ChangeSet, Topic
from ..domain.users import Action
from . import resolve
from .context import Context
from .po_rows import (
    OPEN_STATUSES,
    RECEIVABLE,
    DiscrepancyRow,
    PoLineRow,
    PurchaseOrderRow,
    header,
    line_row,
    po_row,
    po_rows,
    reference,
)
from .suppliers import find as find_supplier

__all__ = [
    "DiscrepancyRow",
    "PoLineInput",
    "PoLineRow",
    "PurchaseOrderRow",
    "add_po_line",
    "cancel_po",
    "close_po",
    "create_po",
    "get_po",
    "list_pos",
    "reference",
    "remove_po_line",
    "send_po",
]


@dataclass(frozen=True)
class PoLineInput:
    sku: str
    qty: int | str
    unit_cost: Decimal | str | None = None
    """None: the item's unit cost from the catalogue."""
    expected_on: date | str | None = None


def _require_status(po, allowed: Sequence[str], doing: str) -> None:
    if po.status not in allowed:
        raise InvalidState(f"{reference(po.id)} is {po.status}; only a {' or '.join(allowed)} order can {doing}.")


def _note(value: str | None) -> str | None:
    text = (value or "").strip() or None
    if text is not None and len(text) > 1000:
        raise InvalidInput("The note is longer than 1000 characters; shorten it.")
    return text


@dataclass(frozen=True)
class _CheckedLine:
    sku: str
    qty: int
    unit_cost: Decimal | None
    expected_on: date | None


def _check_line(line: PoLineInput) -> _CheckedLine:
    qty = validate.quantity(line.qty, what=f"Quantity of {line.sku.strip()}")
    cost = None if line.unit_cost in (None, "") else validate.money(line.unit_cost, what=f"Unit cost of {line.sku}")
    return _CheckedLine(
        sku=line.sku,
        qty=qty,
        unit_cost=cost,
        expected_on=validate.iso_date(line.expected_on, what="Expected date"),
    )


def _add_line(uow, po, line: _CheckedLine, taken: set[int]) -> None:
    """Insert one line (on order at once when the order was sent); `taken`: the items already on it."""
    item = resolve.variant(uow, line.sku)
    if item.id in taken:
        raise InvalidInput(f"{item.sku} is already on {reference(po.id)}; change that line's quantity instead.")
    taken.add(item.id)
    uow.purchasing.add_line(
        po_id=po.id,
        variant_id=item.id,
        qty_ordered=line.qty,
        unit_cost=item.unit_cost if line.unit_cost is None else line.unit_cost,
        expected_on=line.expected_on,
        qty_on_order=line.qty if po.status == "sent" else 0,
    )


def _changes(uow, po_id: int, *, stock: bool) -> ChangeSet:
    """The purchasing topic, plus the order's items when their on-order figures changed."""
    if not stock:
        return ChangeSet.of(Topic.PURCHASING)
    po = uow.purchasing.po(po_id)
    return ChangeSet(
        variant_ids=frozenset(line.variant_id for line in uow.purchasing.lines([po_id])),
        location_ids=frozenset({po.deliver_to_id}),
        topics=frozenset({Topic.PURCHASING}),
    )


def create_po(
    ctx: Context,
    supplier: str,
    *,
    deliver_to: str,
    lines: Sequence[PoLineInput] = (),
    expected_on: date | str | None = None,
    note: str | None = None,
) -> PurchaseOrderRow:
    ctx.user.require(Action.PURCHASE)
    with ctx.writing() as uow:
        row = add_draft_po(uow, ctx, supplier, deliver_to=deliver_to, lines=lines, expected_on=expected_on, note=note)
        uow.commit(ChangeSet.of(Topic.PURCHASING))
    return row


def add_draft_po(
    uow,
    ctx: Context,
    supplier: str,
    *,
    deliver_to: str,
    lines: Sequence[PoLineInput] = (),
    expected_on: date | str | None = None,
    note: str | None = None,
) -> PurchaseOrderRow:
    """A draft order written in the caller's transaction, which commits it (reorder drafts its
    transfers and purchase orders in one)."""
    checked = [_check_line(line) for line in lines]
    expected = validate.iso_date(expected_on, what="Expected date")
    note = _note(note)
    vendor = find_supplier(uow, supplier, active=True)
    place = resolve.location(uow, deliver_to)
    now = ctx.now()
    po_id = uow.purchasing.add_po(
        supplier_id=vendor.id,
        deliver_to_id=place.id,
        expected_on=expected,
        created_by=ctx.user.id,
        created_at=now,
        updated_at=now,
        note=note,
    )
    po = uow.purchasing.po(po_id)
    taken: set[int] = set()
    for line in checked:
        _add_line(uow, po, line, taken)
    return po_row(uow, po_id)


def add_po_line(ctx: Context, po_id: int, line: PoLineInput) -> PurchaseOrderRow:
    ctx.user.require(Action.PURCHASE)
    checked = _check_line(line)
    with ctx.writing() as uow:
        po = header(uow, po_id, lock=True)
        _require_status(po, ("draft", "sent"), "be given new lines")
        _add_line(uow, po, checked, {line.variant_id for line in uow.purchasing.lines([po_id])})
        uow.purchasing.set_po(po_id, ctx.now())
        row = po_row(uow, po_id)
        uow.commit(_changes(uow, po_id, stock=po.status == "sent"))
    return row


def remove_po_line(ctx: Context, po_id: int, line_id: int) -> PurchaseOrderRow:
    ctx.user.require(Action.PURCHASE)
    with ctx.writing() as uow:
        po = header(uow, po_id, lock=True)
        _require_status(po, ("draft",), "have lines removed")
        if not uow.purchasing.remove_line(po_id, line_id):
            raise NotFound(f"{reference(po_id)} has no line {line_id}.")
        uow.purchasing.set_po(po_id, ctx.now())
        row = po_row(uow, po_id)
        uow.commit(ChangeSet.of(Topic.PURCHASING))
    return row


def send_po(ctx: Context, po_id: int) -> PurchaseOrderRow:
    """The order goes to the supplier: from now on its lines count as on order."""
    ctx.user.require(Action.PURCHASE)
    with ctx.writing() as uow:
        po = header(uow, po_id, lock=True)
        _require_status(po, ("draft",), "be sent")
        if not uow.purchasing.lines([po_id]):
            raise InvalidInput(f"{reference(po_id)} has no lines; add what to order before sending it.")
        now = ctx.now()
        uow.purchasing.put_on_order(po_id)
        uow.purchasing.set_po(po_id, now, status="sent", sent_at=now)
        row = po_row(uow, po_id)
        uow.commit(_changes(uow, po_id, stock=True))
    return row


def cancel_po(ctx: Context, po_id: int) -> PurchaseOrderRow:
    ctx.user.require(Action.PURCHASE)
    with ctx.writing() as uow:
        po = header(uow, po_id, lock=True)
        if po.status == "partial":  # a sent order turns partial with its first goods received
            raise InvalidState(f"Goods were received against {reference(po_id)}; close it instead of cancelling.")
        _require_status(po, ("draft", "sent"), "be cancelled")
        uow.purchasing.take_off_order(po_id)
        uow.purchasing.set_po(po_id, ctx.now(), status="cancelled")
        row = po_row(uow, po_id)
        uow.commit(_changes(uow, po_id, stock=po.status == "sent"))
    return row


def close_po(ctx: Context, po_id: int, *, note: str | None = None) -> PurchaseOrderRow:
    """Stop waiting for the rest: each line's outstanding units are recorded as short."""
    ctx.user.require(Action.PURCHASE)
    note = _note(note)
    with ctx.writing() as uow:
        po = header(uow, po_id, lock=True)
        _require_status(po, RECEIVABLE, "be closed")
        now = ctx.now()
        for line in uow.purchasing.lines([po_id]):
            short = line_row(line).outstanding
            if short and not line.unplanned:
                uow.purchasing.add_discrepancy(
                    po_id=po_id,
                    po_line_id=line.id,
                    variant_id=line.variant_id,
                    kind="short",
                    qty=short,
                    kept=True,
                    note=note or "not delivered when the order was closed",
                    recorded_by=ctx.user.id,
                    recorded_at=now,
                )
        uow.purchasing.take_off_order(po_id)
        uow.purchasing.set_po(po_id, now, status="closed")
        row = po_row(uow, po_id)
        uow.commit(_changes(uow, po_id, stock=True))
    return row


def get_po(ctx: Context, po_id: int) -> PurchaseOrderRow:
    with ctx.reading() as uow:
        header(uow, po_id)
        return po_row(uow, po_id)


def list_pos(
    ctx: Context, *, status: str | None = None, supplier: str | None = None, open_only: bool = False
) -> list[PurchaseOrderRow]:
    """Newest first; `open_only` keeps the orders still to send or to receive (draft, sent, partial)."""
    statuses: tuple[str, ...] | None = None
    if status:
        known = (*OPEN_STATUSES, "received", "closed", "cancelled")
        if status not in known:
            raise InvalidInput(f"A purchase order is {', '.join(known)}; '{status}' is not a status.")
        statuses = (status,)
    if open_only:
        statuses = tuple(s for s in statuses or OPEN_STATUSES if s in OPEN_STATUSES)
    with ctx.reading() as uow:
        supplier_id = find_supplier(uow, supplier).id if supplier else None
        return po_rows(uow, uow.purchasing.po_ids(statuses=statuses, supplier_id=supplier_id))
