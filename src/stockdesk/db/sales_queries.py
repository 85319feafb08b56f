"""Reading sales orders: headers with their lines, what a site can give an order, the order's
reservations in picking order (shipments: db/shipment_queries.py).

Each question is one statement over all the order's lines (or all the orders asked about), so
confirming, picking and shipping cost a fixed number of round trips per order, not per line. The
statements are built once, with the values as parameters: building a select() and its WHERE clause
on every call cost several times what running it costs on SQLite.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Connection, and_, bindparam, case, or_, select

from .records import (
    levels,
    locations,
    lots,
    packed_serials,
    products,
    reservations,
    sales_order_lines,
    sales_orders,
    serials,
    variants,
)

_AVAILABLE = levels.c.on_hand - levels.c.reserved - levels.c.quarantined
_UNRESERVED = sales_order_lines.c.qty_ordered - sales_order_lines.c.qty_reserved - sales_order_lines.c.qty_shipped
FEFO = (case((lots.c.expires_on.is_(None), 1), else_=0), lots.c.expires_on, lots.c.id)
"""First expiring lots first; lots without expiry (and no lot at all) after them."""
_WALK = (locations.c.sort_key, locations.c.code)


def _ids(name: str):
    """A list-valued parameter: `column IN (...)` for any number of values, one cached statement."""
    return bindparam(name, expanding=True)


_ORDER_HEADER = select(sales_orders, locations.c.code.label("site_code")).outerjoin(
    locations, locations.c.id == sales_orders.c.site_id
)
_ORDER_BY_ID = _ORDER_HEADER.where(sales_orders.c.id == bindparam("order_id"))
_ORDER_BY_ID_LOCKED = _ORDER_BY_ID.with_for_update(of=sales_orders)


@functools.cache
def _orders_statement(by_ids: bool, by_status: bool):
    query = _ORDER_HEADER.order_by(sales_orders.c.id.desc())
    if by_ids:
        query = query.where(sales_orders.c.id.in_(_ids("ids")))
    if by_status:
        query = query.where(sales_orders.c.status.in_(_ids("statuses")))
    return query


_LINES = (
    select(sales_order_lines, variants.c.sku, variants.c.name, variants.c.weight_grams, products.c.tracking)
    .join(variants, variants.c.id == sales_order_lines.c.variant_id)
    .join(products, products.c.id == variants.c.product_id)
    .where(sales_order_lines.c.order_id.in_(_ids("order_ids")))
    .order_by(sales_order_lines.c.order_id, sales_order_lines.c.id)
)
_PACKED_SERIALS = (
    select(
        packed_serials.c.order_id,
        serials.c.id.label("serial_id"),
        serials.c.variant_id,
        serials.c.location_id,
        serials.c.lot_id,
        serials.c.serial_number,
        serials.c.bucket,
    )
    .join(serials, serials.c.id == packed_serials.c.serial_id)
    .where(packed_serials.c.order_id.in_(_ids("order_ids")))
    .order_by(packed_serials.c.order_id, serials.c.serial_number)
)
_AVAILABILITY = (
    select(
        sales_order_lines.c.id,
        sales_order_lines.c.variant_id,
        levels.c.location_id,
        levels.c.lot_id,
        _UNRESERVED,
        _AVAILABLE,
    )
    .join(levels, levels.c.variant_id == sales_order_lines.c.variant_id)
    .join(lots, lots.c.id == levels.c.lot_id)
    .join(locations, locations.c.id == levels.c.location_id)
    .where(
        sales_order_lines.c.order_id == bindparam("order_id"),
        _UNRESERVED > 0,
        locations.c.path.startswith(bindparam("site_path")),
        _AVAILABLE > 0,
        or_(lots.c.expires_on.is_(None), lots.c.expires_on >= bindparam("today")),
    )
    .order_by(sales_order_lines.c.id, *FEFO, *_WALK)
)
_LOCK_LEVELS = (
    select(levels.c.variant_id)
    .where(
        levels.c.variant_id.in_(
            select(sales_order_lines.c.variant_id).where(sales_order_lines.c.order_id == bindparam("order_id"))
        ),
        levels.c.location_id.in_(select(locations.c.id).where(locations.c.path.startswith(bindparam("site_path")))),
    )
    .order_by(levels.c.variant_id, levels.c.location_id, levels.c.lot_id)
    .with_for_update()
)
_RESERVATIONS = (
    select(
        reservations.c.order_ref,
        reservations.c.variant_id,
        reservations.c.location_id,
        reservations.c.lot_id,
        reservations.c.qty,
        locations.c.code.label("location_code"),
        variants.c.sku,
        variants.c.name,
        products.c.tracking,
        lots.c.number.label("lot_number"),
        lots.c.expires_on,
    )
    .join(locations, locations.c.id == reservations.c.location_id)
    .join(lots, lots.c.id == reservations.c.lot_id)
    .join(variants, variants.c.id == reservations.c.variant_id)
    .join(products, products.c.id == variants.c.product_id)
    .where(reservations.c.order_ref.in_(_ids("order_refs")), reservations.c.qty > 0)
    .order_by(*_WALK, variants.c.sku, *FEFO, reservations.c.order_ref)
)


class SalesReader:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- orders -----------------------------------------------------------------------------

    def order(self, order_id: int, *, lock: bool = False):
        """The order's header; with `lock`, its row stays locked to the end of the transaction
        (PostgreSQL; SQLite's writer holds the whole file), so steps on one order queue up."""
        locked = lock and self.conn.dialect.name == "postgresql"
        return self.conn.execute(_ORDER_BY_ID_LOCKED if locked else _ORDER_BY_ID, {"order_id": order_id}).one_or_none()

    def orders(self, *, ids: Sequence[int] | None = None, statuses: Sequence[str] | None = None):
        """Headers, newest first."""
        query = _orders_statement(ids is not None, statuses is not None)
        values = {"ids": list(ids or ()), "statuses": list(statuses or ())}
        return list(self.conn.execute(query, values))

    def lines(self, order_ids: Sequence[int]):
        """The lines of these orders with their item's SKU, name, tracking and unit weight."""
        if not order_ids:
            return []
        return list(self.conn.execute(_LINES, {"order_ids": list(order_ids)}))

    def packed_serials(self, order_ids: Sequence[int]):
        """(order_id, serial_id, variant_id, location_id, lot_id, serial_number, bucket) scanned for these orders."""
        if not order_ids:
            return []
        return list(self.conn.execute(_PACKED_SERIALS, {"order_ids": list(order_ids)}))

    def known_refs(self, channel: str, refs: Sequence[str]) -> dict[str, int]:
        """External order number -> order id, for those of `refs` the channel already has."""
        if not refs:
            return {}
        query = select(sales_orders.c.external_ref, sales_orders.c.id).where(
            sales_orders.c.channel == channel, sales_orders.c.external_ref.in_(sorted(set(refs)))
        )
        return {ref: order_id for ref, order_id in self.conn.execute(query)}

    # -- stock for an order -----------------------------------------------------------------

    def availability(self, order_id: int, site_path: str, today: date):
        """(line_id, variant_id, location_id, lot_id, unreserved, available) for every line still
        short of reservations, over the site's unexpired free stock: per line, first expiring lots
        first, then in walking order."""
        values = {"order_id": order_id, "site_path": site_path, "today": today}
        return list(self.conn.execute(_AVAILABILITY, values))

    def lock_levels(self, order_id: int, site_path: str) -> None:
        """Lock the site's level rows of the order's items (PostgreSQL), in the key order every
        writer updates them in, so the plan read next cannot be overtaken and nobody deadlocks."""
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(_LOCK_LEVELS, {"order_id": order_id, "site_path": site_path}).all()

    def reservations_of(self, order_refs: Sequence[str]):
        """The orders' reserved units per place and lot, in picking order (walking order, then first
        expiring first), with the names a pick list shows."""
        return list(self.conn.execute(_RESERVATIONS, {"order_refs": list(order_refs)}))

    def free_serials(self, places: Sequence[tuple[int, int]]):
        """(variant_id, location_id, serial_id, lot_id, serial_number) of the free units of these
        (variant, location) pairs that no order has packed yet, by serial number."""
        if not places:
            return []
        return list(
            self.conn.execute(
                select(
                    serials.c.variant_id,
                    serials.c.location_id,
                    serials.c.id.label("serial_id"),
                    serials.c.lot_id,
                    serials.c.serial_number,
                )
                .where(
                    or_(*(and_(serials.c.variant_id == v, serials.c.location_id == loc) for v, loc in places)),
                    serials.c.bucket == "A",
                    serials.c.id.not_in(select(packed_serials.c.serial_id)),
                )
                .order_by(serials.c.variant_id, serials.c.location_id, serials.c.serial_number)
            )
        )
