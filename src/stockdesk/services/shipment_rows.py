"""Shipments as the screens, the CLI and the packing slip see them: what went out and what has come
back, one line per item and lot.

services/shipping.py re-exports the row types; the UI imports them from there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from ..db.uow import UnitOfWork
from .order_rows import reference


@dataclass(frozen=True)
class ShipmentLine:
    sku: str
    name: str
    qty: int
    lot: str | None
    serials: tuple[str, ...]


@dataclass(frozen=True)
class ShipmentRow:
    id: int
    order_id: int
    order_number: str
    external_ref: str
    customer_name: str
    ship_to: str | None
    carrier: str | None
    tracking: str | None
    shipped_at: datetime
    shipped_by: str
    override_by: str | None
    override_note: str | None
    lines: tuple[ShipmentLine, ...]
    returned: tuple[ShipmentLine, ...]
    """What has come back against this shipment so far."""


class SentUnit(NamedTuple):
    """Units of one item, lot and serial that a shipment moved: the fields of a
    `uow.sales.shipment_units` row that its lines show."""

    sku: str
    name: str
    lot_id: int
    lot_number: str
    expires_on: date | None
    serial_number: str | None
    qty: int


def shipment_lines(units: Iterable) -> tuple[ShipmentLine, ...]:
    """One line per item and lot, by SKU then first expiring lot, serial numbers in order. Sorted
    here rather than by the database, so that a shipment built from what `ship_order` has in hand
    reads exactly as the same shipment read back later, whatever the database's collation."""
    grouped: dict[tuple[str, int], list] = {}
    for unit in units:
        grouped.setdefault((unit.sku, unit.lot_id), []).append(unit)

    def walk(part: list) -> tuple:
        first = part[0]
        return first.sku, first.expires_on is None, first.expires_on or date.min, first.lot_id

    return tuple(
        ShipmentLine(
            sku=part[0].sku,
            name=part[0].name,
            qty=sum(u.qty for u in part),
            lot=part[0].lot_number or None,
            serials=tuple(sorted(u.serial_number for u in part if u.serial_number)),
        )
        for part in sorted(grouped.values(), key=walk)
    )


def shipment_rows(uow: UnitOfWork, headers) -> list[ShipmentRow]:
    """Rows for these `uow.sales.shipments` headers, with what each sent and got back."""
    units: dict[tuple[int, bool], list] = {}
    for unit in uow.sales.shipment_units([h.id for h in headers]):
        units.setdefault((unit.shipment_id, bool(unit.returned)), []).append(unit)
    return [
        ShipmentRow(
            id=h.id,
            order_id=h.order_id,
            order_number=reference(h.order_id),
            external_ref=h.external_ref,
            customer_name=h.customer_name,
            ship_to=h.ship_to,
            carrier=h.carrier,
            tracking=h.tracking,
            shipped_at=h.shipped_at,
            shipped_by=h.shipped_by_name or "",
            override_by=h.override_by_name,
            override_note=h.override_note,
            lines=shipment_lines(units.get((h.id, False), ())),
            returned=shipment_lines(units.get((h.id, True), ())),
        )
        for h in headers
    ]
