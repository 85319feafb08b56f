"""Reading shipments: headers with the names a packing slip shows, and what each shipment took and
its returns brought back. Statements built once, values as parameters (see db/sales_queries.py)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, false, func, select, true

from .records import lots, movements, postings, sales_orders, sales_returns, serials, shipments, users, variants
from .sales_queries import FEFO


@functools.cache
def _shipments_statement(by: str):
    """Shipment headers with their order's names and the people involved, oldest first, where the
    shipments column `by` equals the parameter `value`."""
    shipper = users.alias("shipper")
    overrider = users.alias("overrider")
    return (
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
        .where(shipments.c[by] == bindparam("value"))
        .order_by(shipments.c.id)
    )


_SHIPMENT_COUNT = select(func.count()).select_from(shipments).where(shipments.c.order_id == bindparam("order_id"))
_LAST_SHIP_OF_SERIAL = select(func.max(movements.c.posting_id)).where(
    movements.c.serial_id == bindparam("serial_id"), movements.c.kind == "ship"
)


def _shipment_units_statement():
    sent = select(shipments.c.id.label("shipment_id"), shipments.c.posting_id, false().label("returned")).where(
        shipments.c.id.in_(bindparam("shipment_ids", expanding=True))
    )
    back = select(sales_returns.c.shipment_id, sales_returns.c.posting_id, true().label("returned")).where(
        sales_returns.c.shipment_id.in_(bindparam("shipment_ids", expanding=True))
    )
    parts = sent.union_all(back).subquery("parts")
    return (
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
        .order_by(parts.c.shipment_id, variants.c.sku, *FEFO, serials.c.serial_number, movements.c.id)
    )


_SHIPMENT_UNITS = _shipment_units_statement()


class ShipmentReader:
    conn: Connection

    # -- shipments --------------------------------------------------------------------------

    def shipments(self, *, shipment_id: int | None = None, order_id: int | None = None, posting_id: int | None = None):
        """Shipment headers with their order's names and the people involved, oldest first; give one filter."""
        [(by, value)] = [
            (column, value)
            for column, value in (("id", shipment_id), ("order_id", order_id), ("posting_id", posting_id))
            if value is not None
        ]
        return list(self.conn.execute(_shipments_statement(by), {"value": value}))

    def shipment_count(self, order_id: int) -> int:
        return self.conn.execute(_SHIPMENT_COUNT, {"order_id": order_id}).scalar_one()

    def last_ship_posting(self, serial_id: int) -> int | None:
        """The posting that last shipped this serial unit (postings are numbered in commit order)."""
        return self.conn.execute(_LAST_SHIP_OF_SERIAL, {"serial_id": serial_id}).scalar_one()

    def shipment_units(self, shipment_ids: Sequence[int]):
        """(shipment_id, returned, variant_id, sku, name, lot_id, lot_number, expires_on, serial_id,
        serial_number, qty): what each shipment's posting sent, and what its returns brought back."""
        if not shipment_ids:
            return []
        return list(self.conn.execute(_SHIPMENT_UNITS, {"shipment_ids": list(shipment_ids)}))
