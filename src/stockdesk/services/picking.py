"""Pick lists from the orders' reservations: one walk through the building for any number of orders.

A line is one place x item x lot, with the orders it serves, so an item wanted by ten orders is
picked once and split at the packing bench. Serial items list the units free at that place: the
picker may take any of them, and the packing scan records which one goes to which order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..domain.errors import InvalidInput, InvalidState
from ..domain.quantities import Tracking
from .context import Context
from .order_rows import find_order, reference


@dataclass(frozen=True)
class PickLine:
    location: str
    sku: str
    name: str
    lot: str | None
    expires_on: date | None
    qty: int
    serials: tuple[str, ...]
    """For serial items: the units free or reserved at this place (any of them may be picked)."""
    orders: tuple[tuple[str, int], ...]
    """(order number, qty) of the orders this line serves."""


def pick_list(ctx: Context, order_ids: Sequence[int]) -> list[PickLine]:
    """The orders' reserved units in walking order (locations' sort key, then code)."""
    ids = list(dict.fromkeys(order_ids))
    if not ids:
        raise InvalidInput("Choose at least one order to pick.")
    with ctx.reading() as uow:
        headers = {h.id: h for h in uow.sales.orders(ids=ids)}
        for order_id in ids:
            header = headers.get(order_id) or find_order(uow, order_id)  # (which refuses an unknown order)
            if header.status in ("cancelled", "shipped"):
                raise InvalidState(f"Order {reference(order_id)} is {header.status}; there is nothing to pick.")
        rows = uow.sales.reservations_of([reference(i) for i in ids])
        empty = [reference(i) for i in ids if reference(i) not in {r.order_ref for r in rows}]
        if empty:
            raise InvalidState(
                f"{', '.join(empty)} {'has' if len(empty) == 1 else 'have'} nothing reserved to pick; "
                "confirm the order at a site first (or wait for stock)."
            )
        places = sorted({(r.variant_id, r.location_id) for r in rows if r.tracking == Tracking.SERIAL.value})
        units: dict[tuple[int, int], list[str]] = {}
        for unit in uow.sales.free_serials(places):
            units.setdefault((unit.variant_id, unit.location_id), []).append(unit.serial_number)
    position = {reference(order_id): n for n, order_id in enumerate(ids)}
    grouped: dict[tuple[int, int, int], list] = {}
    for row in rows:  # already in walking order, then SKU, then first expiring lot
        grouped.setdefault((row.location_id, row.variant_id, row.lot_id), []).append(row)
    return [
        PickLine(
            location=first.location_code,
            sku=first.sku,
            name=first.name,
            lot=first.lot_number or None,
            expires_on=first.expires_on,
            qty=sum(r.qty for r in parts),
            serials=tuple(units.get((first.variant_id, first.location_id), ())),
            orders=tuple(sorted(((r.order_ref, r.qty) for r in parts), key=lambda o: position[o[0]])),
        )
        for parts in grouped.values()
        for first in parts[:1]
    ]
