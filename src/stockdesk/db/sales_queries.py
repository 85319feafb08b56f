"""Reading sales orders: headers with their lines, what a site can give an order, the order's
reservations in picking order, and what a shipment took and got back.

Each question is one statement over all the order's lines (or all the orders asked about), so
confirming, picking and shipping cost a fixed number of round trips per order, not per line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Connection, and_, case, false, func, or_, select, true

from .records import (
    levels,
    locations,
    lots,
    movements,
    packed_serials,
    postings,
    products,
    reservations,
    sales_order_lines,
    sales_orders,
    sales_returns,
    serials,
    shipments,
    users,
    variants,
)

_AVAILABLE = levels.c.on_hand - levels.c.reserved - levels.c.quarantined
_UNRESERVED = sales_order_lines.c.qty_ordered - sales_order_lines.c.qty_reserved - sales_order_lines.c.qty_shipped
_FEFO = (case((lots.c.expires_on.is_(None), 1), else_=0), lots.c.expires_on, lots.c.id)
"""First expiring lots first; lots without expiry (and no lot at all) after them."""
_WALK = (locations.c.sort_key, locations.c.code)

_ORDER_HEADER = select(sales_orders, locations.c.code.label("site_code")).outerjoin(
    locations, locations.c.id == sales_orders.c.site_id
)


class SalesReader:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- orders -----------------------------------------------------------------------------

    def order(self, order_id: int, *, lock: bool = False):
        """The order's header; with `lock`, its row stays locked to the end of the transaction
        (PostgreSQL; SQLite's writer holds the whole file), so steps on one order queue up."""
        query = _ORDER_HEADER.where(sales_orders.c.id == order_id)
        if lock and self.conn.dialect.name == "postgresql":
            query = query.with_for_update(of=sales_orders)
        return self.conn.execute(query).one_or_none()

    def orders(self, *, ids: Sequence[int] | None = None, statuses: Sequence[str] | None = None):
        """Headers, newest first."""
        query = _ORDER_HEADER.order_by(sales_orders.c.id.desc())
        if ids is not None:
            query = query.where(sales_orders.c.id.in_(list(ids)))
        if statuses is not None:
            query = query.where(sales_orders.c.status.in_(list(statuses)))
        return list(self.conn.execute(query))

    def lines(self, order_ids: Sequence[int]):
        """The lines of these orders with their item's SKU, name, tracking and unit weight."""
        if not order_ids:
            return []
        return list(
            self.conn.execute(
                select(
                    sales_order_lines,
                    variants.c.sku,
                    variants.c.name,
                    variants.c.weight_grams,
                    products.c.tracking,
                )
                .join(variants, variants.c.id == sales_order_lines.c.variant_id)
                .join(products, products.c.id == variants.c.product_id)
                .where(sales_order_lines.c.order_id.in_(list(order_ids)))
                .order_by(sales_order_lines.c.order_id, sales_order_lines.c.id)
            )
        )

    def packed_serials(self, order_ids: Sequence[int]):
        """(order_id, serial_id, variant_id, location_id, lot_id, serial_number) scanned for these orders."""
        if not order_ids:
            return []
        return list(
            self.conn.execute(
                select(
                    packed_serials.c.order_id,
                    serials.c.id.label("serial_id"),
                    serials.c.variant_id,
                    serials.c.location_id,
                    serials.c.lot_id,
                    serials.c.serial_number,
                )
                .join(serials, serials.c.id == packed_serials.c.serial_id)
                .where(packed_serials.c.order_id.in_(list(order_ids)))
                .order_by(packed_serials.c.order_id, serials.c.serial_number)
            )
        )

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
        query = (
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
                sales_order_lines.c.order_id == order_id,
                _UNRESERVED > 0,
                locations.c.path.startswith(site_path),
                _AVAILABLE > 0,
                or_(lots.c.expires_on.is_(None), lots.c.expires_on >= today),
            )
            .order_by(sales_order_lines.c.id, *_FEFO, *_WALK)
        )
        return list(self.conn.execute(query))

    def lock_levels(self, order_id: int, site_path: str) -> None:
        """Lock the site's level rows of the order's items (PostgreSQL), in the key order every
        writer updates them in, so the plan read next cannot be overtaken and nobody deadlocks."""
        if self.conn.dialect.name != "postgresql":
            return
        items = select(sales_order_lines.c.variant_id).where(sales_order_lines.c.order_id == order_id)
        inside = select(locations.c.id).where(locations.c.path.startswith(site_path))
        self.conn.execute(
            select(levels.c.variant_id)
            .where(levels.c.variant_id.in_(items), levels.c.location_id.in_(inside))
            .order_by(levels.c.variant_id, levels.c.location_id, levels.c.lot_id)
            .with_for_update()
        ).all()

    def reservations_of(self, order_refs: Sequence[str]):
        """The orders' reserved units per place and lot, in picking order (walking order, then first
        expiring first), with the names a pick list shows."""
        return list(
            self.conn.execute(
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
                .where(reservations.c.order_ref.in_(list(order_refs)), reservations.c.qty > 0)
                .order_by(*_WALK, variants.c.sku, *_FEFO, reservations.c.order_ref)
            )
        )

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

    # -- shipments --------------------------------------------------------------------------

    def shipments(self, *, shipment_id: int | None = None, order_id: int | None = None, posting_id: int | None = None):
        """Shipment headers with their order's names and the people involved, oldest first."""
        shipper = users.alias("shipper")
        overrider = users.alias("overrider")
        query = (
            select(
                shipments,
                sales_orders.c.external_ref,
                sales_orders.c.customer_name,
                sales_orders.c.ship_to,
                shipper.c.username.label("shipped_by_name"),
                overrider.c.username.label("override_by_name"),
            )
            .join(sales_orders, sales_orders.c.id == shipments.c.order_id)
            .outerjoin(shipper, shipper.c.id == shipments.c.shipped_by)
            .outerjoin(overrider, overrider.c.id == shipments.c.override_by)
            .order_by(shipments.c.id)
        )
        for column, value in (
            (shipments.c.id, shipment_id),
            (shipments.c.order_id, order_id),
            (shipments.c.posting_id, posting_id),
        ):
            if value is not None:
                query = query.where(column == value)
        return list(self.conn.execute(query))

    def shipment_count(self, order_id: int) -> int:
        return self.conn.execute(
            select(func.count()).select_from(shipments).where(shipments.c.order_id == order_id)
        ).scalar_one()

    def return_count(self, shipment_id: int) -> int:
        return self.conn.execute(
            select(func.count()).select_from(sales_returns).where(sales_returns.c.shipment_id == shipment_id)
        ).scalar_one()

    def shipment_units(self, shipment_ids: Sequence[int]):
        """(shipment_id, returned, variant_id, sku, name, lot_id, lot_number, expires_on, serial_id,
        serial_number, qty): what each shipment's posting sent, and what its returns brought back."""
        if not shipment_ids:
            return []
        sent = select(shipments.c.id.label("shipment_id"), shipments.c.posting_id, false().label("returned")).where(
            shipments.c.id.in_(list(shipment_ids))
        )
        back = select(sales_returns.c.shipment_id, sales_returns.c.posting_id, true().label("returned")).where(
            sales_returns.c.shipment_id.in_(list(shipment_ids))
        )
        parts = sent.union_all(back).subquery("parts")
        return list(
            self.conn.execute(
                select(
                    parts.c.shipment_id,
                    parts.c.returned,
                    movements.c.variant_id,
                    variants.c.sku,
                    variants.c.name,
                    movements.c.lot_id,
                    lots.c.number.label("lot_number"),
                    lots.c.expires_on,
                    movements.c.serial_id,
                    serials.c.serial_number,
                    movements.c.qty,
                )
                .join(postings, postings.c.id == parts.c.posting_id)
                .join(movements, movements.c.posting_id == postings.c.id)
                .join(variants, variants.c.id == movements.c.variant_id)
                .join(lots, lots.c.id == movements.c.lot_id)
                .outerjoin(serials, serials.c.id == movements.c.serial_id)
                .order_by(parts.c.shipment_id, variants.c.sku, *_FEFO, serials.c.serial_number, movements.c.id)
            )
        )
