"""Purchase orders as the screens and the CLI see them, read in a few queries, and the order header
every purchasing service starts from (locked for a write).

services/purchase_orders.py re-exports the row types; the UI imports them from there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ..domain.errors import NotFound

OPEN_STATUSES = ("draft", "sent", "partial")
"""Orders that still need someone: to send, or to receive."""
RECEIVABLE = ("sent", "partial")


@dataclass(frozen=True)
class PoLineRow:
    id: int
    sku: str
    name: str
    tracking: str
    ordered: int
    unit_cost: Decimal
    expected_on: date | None
    received: int
    damaged: int
    on_order: int
    unplanned: bool

    @property
    def outstanding(self) -> int:
        return max(self.ordered - self.received - self.damaged, 0)


@dataclass(frozen=True)
class DiscrepancyRow:
    id: int
    kind: str
    sku: str
    qty: int
    kept: bool
    note: str | None
    recorded_at: datetime


@dataclass(frozen=True)
class PurchaseOrderRow:
    id: int
    number: str
    supplier_code: str
    supplier_name: str
    deliver_to: str
    status: str
    expected_on: date | None
    created_at: datetime
    sent_at: datetime | None
    note: str | None
    lines: tuple[PoLineRow, ...]
    discrepancies: tuple[DiscrepancyRow, ...]

    @property
    def total_cost(self) -> Decimal:
        return sum((line.ordered * line.unit_cost for line in self.lines if not line.unplanned), Decimal(0))


def reference(po_id: int) -> str:
    return f"PO-{po_id}"


def line_row(line) -> PoLineRow:
    return PoLineRow(
        line.id,
        line.sku,
        line.name,
        line.tracking,
        line.qty_ordered,
        Decimal(line.unit_cost),
        line.expected_on,
        line.qty_received,
        line.qty_damaged,
        line.qty_on_order,
        line.unplanned,
    )


def discrepancy_row(found) -> DiscrepancyRow:
    return DiscrepancyRow(found.id, found.kind, found.sku, found.qty, found.kept, found.note, found.recorded_at)


def po_rows(uow, po_ids: Sequence[int]) -> list[PurchaseOrderRow]:
    """Whole orders (lines and discrepancies too) in the order of `po_ids`, in three queries."""
    headers = {h.id: h for h in uow.purchasing.pos(po_ids)}
    lines: dict[int, list[PoLineRow]] = {po_id: [] for po_id in po_ids}
    for line in uow.purchasing.lines(po_ids):
        lines[line.po_id].append(line_row(line))
    found: dict[int, list[DiscrepancyRow]] = {po_id: [] for po_id in po_ids}
    for d in uow.purchasing.discrepancies(po_ids):
        found[d.po_id].append(discrepancy_row(d))
    return [
        PurchaseOrderRow(
            id=h.id,
            number=reference(h.id),
            supplier_code=h.supplier_code,
            supplier_name=h.supplier_name,
            deliver_to=h.deliver_to,
            status=h.status,
            expected_on=h.expected_on,
            created_at=h.created_at,
            sent_at=h.sent_at,
            note=h.note,
            lines=tuple(lines[h.id]),
            discrepancies=tuple(found[h.id]),
        )
        for h in (headers[po_id] for po_id in po_ids)
    ]


def po_row(uow, po_id: int) -> PurchaseOrderRow:
    return po_rows(uow, [po_id])[0]


def header(uow, po_id: int, *, lock: bool = False):
    found = uow.purchasing.po(po_id, lock=lock)
    if found is None:
        raise NotFound(f"There is no purchase order {reference(po_id)}.")
    return found
