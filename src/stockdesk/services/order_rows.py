"""Sales orders as the screens and the CLI see them, and the shared steps every order service takes:
find the order (locked for a write), refuse the states a step does not allow, re-derive the status.

services/sales_orders.py re-exports the row types; the UI imports them from there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from ..db.uow import UnitOfWork
from ..domain.catalog import LocationRow
from ..domain.errors import InvalidState, NotFound
from ..domain.postings import Topic
from ..domain.quantities import Tracking
from ..domain.sales import LineCounts, is_verified, order_reference, status_of

ORDER_TOPIC = frozenset({Topic.ORDERS})


def reference(order_id: int) -> str:
    """The order's name in the ledger (postings.reference, reservations.order_ref) and on paper."""
    return order_reference(order_id)


@dataclass(frozen=True)
class SoLineRow:
    id: int
    sku: str
    name: str
    tracking: str
    ordered: int
    unit_price: Decimal
    reserved: int
    packed: int
    shipped: int
    weight_grams: int | None

    @property
    def open_qty(self) -> int:
        return self.ordered - self.shipped

    @property
    def unreserved(self) -> int:
        return self.ordered - self.reserved - self.shipped

    @property
    def counts(self) -> LineCounts:
        return LineCounts(self.ordered, self.reserved, self.packed, self.shipped)


@dataclass(frozen=True)
class SalesOrderRow:
    id: int
    number: str
    channel: str
    external_ref: str
    customer_name: str
    ship_to: str | None
    site: str | None
    status: str
    ordered_at: datetime
    note: str | None
    lines: tuple[SoLineRow, ...]
    packed_serials: tuple[str, ...]

    @property
    def verified(self) -> bool:
        """Every reserved unit was scanned at the packing bench, and something is reserved."""
        return is_verified(line.counts for line in self.lines)


def _line_row(line) -> SoLineRow:
    """An order line as shown, from a row of `uow.sales.lines`."""
    return SoLineRow(
        id=line.id,
        sku=line.sku,
        name=line.name,
        tracking=line.tracking,
        ordered=line.qty_ordered,
        unit_price=Decimal(line.unit_price),
        reserved=line.qty_reserved,
        packed=line.qty_packed,
        shipped=line.qty_shipped,
        weight_grams=line.weight_grams,
    )


def packed_serial_orders(lines) -> list[int]:
    """The orders among these `uow.sales.lines` rows that have serial units scanned: only a packed
    unit of a serial item leaves one, so the other orders need not be asked about."""
    return sorted({line.order_id for line in lines if line.qty_packed and line.tracking == Tracking.SERIAL.value})


def order_rows(uow: UnitOfWork, headers) -> list[SalesOrderRow]:
    """Rows for these order headers, with all their lines (and packed serials, if any) in one or two
    more statements."""
    return _assemble(uow, headers, uow.sales.lines([h.id for h in headers]))


def order_row_from(uow: UnitOfWork, header, lines: Sequence) -> SalesOrderRow:
    """The order from its header and the `uow.sales.lines` rows a step already read under the
    order's lock: no second read of what the step has in hand."""
    return _assemble(uow, [header], lines)[0]


def _assemble(uow: UnitOfWork, headers, lines: Sequence) -> list[SalesOrderRow]:
    ids = [h.id for h in headers]
    by_order: dict[int, list[SoLineRow]] = {i: [] for i in ids}
    for line in lines:
        by_order[line.order_id].append(_line_row(line))
    packed: dict[int, list[str]] = {i: [] for i in ids}
    for unit in uow.sales.packed_serials(packed_serial_orders(lines)):
        packed[unit.order_id].append(unit.serial_number)
    return [
        SalesOrderRow(
            id=h.id,
            number=reference(h.id),
            channel=h.channel,
            external_ref=h.external_ref,
            customer_name=h.customer_name,
            ship_to=h.ship_to,
            site=h.site_code,
            status=h.status,
            ordered_at=h.ordered_at,
            note=h.note,
            lines=tuple(by_order[h.id]),
            packed_serials=tuple(packed[h.id]),
        )
        for h in headers
    ]


def order_row(uow: UnitOfWork, order_id: int) -> SalesOrderRow:
    return order_rows(uow, [find_order(uow, order_id)])[0]


def find_order(uow: UnitOfWork, order_id: int, *, lock: bool = False):
    header = uow.sales.order(order_id, lock=lock)
    if header is None:
        raise NotFound(f"There is no sales order {reference(order_id)}. Check the number.")
    return header


def open_order(uow: UnitOfWork, order_id: int, *, step: str):
    """The order, locked, when it is neither cancelled nor fully shipped; `step` names what was tried."""
    header = find_order(uow, order_id, lock=True)
    if header.status in ("cancelled", "shipped"):
        raise InvalidState(f"Order {reference(order_id)} is {header.status}; it cannot be {step} any more.")
    return header


def confirmed_order(uow: UnitOfWork, order_id: int, *, step: str):
    """An open order that has been confirmed at a site (so it may hold reservations)."""
    header = open_order(uow, order_id, step=step)
    if header.status == "draft":
        raise InvalidState(
            f"Order {reference(order_id)} is still a draft; confirm it at a site first so its stock is reserved."
        )
    return header


def settle(uow: UnitOfWork, order_id: int, now: datetime) -> SalesOrderRow:
    """Write the status the lines' counters now imply; the order as it now stands (read again)."""
    return settle_row(uow, order_row(uow, order_id), now)


def settle_row(uow: UnitOfWork, row: SalesOrderRow, now: datetime, *, site: LocationRow | None = None) -> SalesOrderRow:
    """Write the status `row`'s line counters imply (and the site, at the first confirmation); `row`
    with them."""
    status = status_of(line.counts for line in row.lines)
    uow.sales.set_order(row.id, now, status=status, **({"site_id": site.id} if site else {}))
    return replace(row, status=status, site=site.code if site else row.site)
