"""Sales order documents: orders and lines, packing scans, shipments, returns and order imports.

Line counters change by deltas (in one executemany), never by writing numbers read earlier, so a
second desktop's change to the same order is never overwritten by stale ones. The statements a
fulfilment runs for every order are built once and executed with parameters.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update

from .records import (
    order_imports,
    packed_serials,
    sales_order_lines,
    sales_orders,
    sales_returns,
    shipments,
)
from .sales_queries import SalesReader
from .shipment_queries import ShipmentReader

_LINE_DELTA = (
    update(sales_order_lines)
    .where(sales_order_lines.c.id == bindparam("line_id"))
    .values(
        qty_reserved=sales_order_lines.c.qty_reserved + bindparam("d_reserved"),
        qty_packed=sales_order_lines.c.qty_packed + bindparam("d_packed"),
        qty_shipped=sales_order_lines.c.qty_shipped + bindparam("d_shipped"),
    )
)
_ADD_SHIPMENT = insert(shipments).returning(shipments.c.id)


@functools.cache
def _set_order_statement(columns: tuple[str, ...]):
    """UPDATE of these sales_orders columns (parameters `o_<column>`) of the order `o_id`."""
    return (
        update(sales_orders)
        .where(sales_orders.c.id == bindparam("o_id"))
        .values({column: bindparam(f"o_{column}") for column in columns})
    )


class SalesRepository(SalesReader, ShipmentReader):
    # -- orders -----------------------------------------------------------------------------

    def add_orders(self, orders: Sequence[dict]) -> list[int]:
        """Insert order headers (sales_orders columns but id); their ids in the same order."""
        if not orders:
            return []
        statement = insert(sales_orders).returning(sales_orders.c.id, sort_by_parameter_order=True)
        return list(self.conn.execute(statement, list(orders)).scalars())

    def add_lines(self, lines: Sequence[dict]) -> None:
        """Insert order lines: order_id, variant_id, qty_ordered, unit_price."""
        if lines:
            self.conn.execute(insert(sales_order_lines), list(lines))

    def set_external_ref(self, order_id: int, external_ref: str) -> None:
        self.conn.execute(update(sales_orders).where(sales_orders.c.id == order_id).values(external_ref=external_ref))

    def set_order(self, order_id: int, now: datetime, **values: object) -> None:
        """Status and/or site of an order; the caller holds the order's lock."""
        columns = {"updated_at": now, **values}
        parameters = {f"o_{column}": value for column, value in columns.items()}
        self.conn.execute(_set_order_statement(tuple(sorted(columns))), {"o_id": order_id, **parameters})

    def change_lines(self, deltas: Sequence[tuple[int, int, int, int]]) -> None:
        """Add (line_id, reserved, packed, shipped) deltas to the lines' counters."""
        if deltas:
            self.conn.execute(
                _LINE_DELTA,
                [
                    {"line_id": line_id, "d_reserved": reserved, "d_packed": packed, "d_shipped": shipped}
                    for line_id, reserved, packed, shipped in deltas
                ],
            )

    def pack_one(self, line_id: int) -> None:
        """One more unit packed (the schema's CHECK keeps it within the reserved units)."""
        self.conn.execute(
            update(sales_order_lines)
            .where(sales_order_lines.c.id == line_id)
            .values(qty_packed=sales_order_lines.c.qty_packed + 1)
        )

    def reset_packing(self, order_id: int) -> None:
        self.conn.execute(
            update(sales_order_lines).where(sales_order_lines.c.order_id == order_id).values(qty_packed=0)
        )
        self.forget_packed_serials(order_id)

    def forget_packed_serials(self, order_id: int) -> None:
        self.conn.execute(delete(packed_serials).where(packed_serials.c.order_id == order_id))

    def add_packed_serial(self, order_id: int, serial_id: int) -> None:
        self.conn.execute(insert(packed_serials).values(order_id=order_id, serial_id=serial_id))

    def packed_by(self, serial_id: int) -> int | None:
        """The order a serial unit is packed for, if any."""
        return self.conn.execute(
            select(packed_serials.c.order_id).where(packed_serials.c.serial_id == serial_id)
        ).scalar_one_or_none()

    # -- shipments and returns --------------------------------------------------------------

    def add_shipment(self, values: dict) -> int:
        return self.conn.execute(_ADD_SHIPMENT, values).scalar_one()

    def add_return(self, values: dict) -> int:
        return self.conn.execute(insert(sales_returns).values(**values).returning(sales_returns.c.id)).scalar_one()

    # -- imports ----------------------------------------------------------------------------

    def import_by_digest(self, digest: str):
        return self.conn.execute(select(order_imports).where(order_imports.c.digest == digest)).one_or_none()

    def add_import(self, values: dict) -> int:
        return self.conn.execute(insert(order_imports).values(**values).returning(order_imports.c.id)).scalar_one()
