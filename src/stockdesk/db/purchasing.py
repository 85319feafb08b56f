"""Suppliers, purchase orders with their lines, receipts and discrepancies, and the purchasing
settings (putaway rules, category zones, bin capacities, reorder rules)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .records import (
    category_zones,
    locations,
    products,
    purchase_discrepancies,
    purchase_order_lines,
    purchase_orders,
    purchase_receipts,
    reorder_rules,
    settings,
    suppliers,
    users,
    variants,
)

_PO_HEADER = (
    select(
        purchase_orders,
        suppliers.c.code.label("supplier_code"),
        suppliers.c.name.label("supplier_name"),
        suppliers.c.over_receipt_pct,
        locations.c.code.label("deliver_to"),
    )
    .join(suppliers, suppliers.c.id == purchase_orders.c.supplier_id)
    .join(locations, locations.c.id == purchase_orders.c.deliver_to_id)
)


class PurchasingRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _upsert(self, table: Table, keys: Sequence[str], values: dict[str, Any]) -> None:
        dialect_insert = postgresql.insert if self.conn.dialect.name == "postgresql" else sqlite.insert
        stmt = dialect_insert(table).values(**values)
        changing = {k: v for k, v in values.items() if k not in keys}
        self.conn.execute(stmt.on_conflict_do_update(index_elements=[table.c[k] for k in keys], set_=changing))

    def _lock(self, query):
        """SELECT ... FOR UPDATE on PostgreSQL; SQLite's writer holds the whole file already."""
        return query.with_for_update() if self.conn.dialect.name == "postgresql" else query

    # -- suppliers --------------------------------------------------------------------------

    def supplier_by_code(self, code: str):
        return self.conn.execute(select(suppliers).where(suppliers.c.code == code)).one_or_none()

    def supplier(self, supplier_id: int):
        return self.conn.execute(select(suppliers).where(suppliers.c.id == supplier_id)).one()

    def add_supplier(self, **values: Any) -> int:
        return self.conn.execute(insert(suppliers).values(**values).returning(suppliers.c.id)).scalar_one()

    def update_supplier(self, supplier_id: int, **values: Any) -> None:
        self.conn.execute(update(suppliers).where(suppliers.c.id == supplier_id).values(**values))

    def suppliers(self, *, include_inactive: bool = False):
        query = select(suppliers).order_by(suppliers.c.code)
        if not include_inactive:
            query = query.where(suppliers.c.active.is_(True))
        return self.conn.execute(query).all()

    # -- purchase orders --------------------------------------------------------------------

    def add_po(self, **values: Any) -> int:
        return self.conn.execute(
            insert(purchase_orders).values(status="draft", **values).returning(purchase_orders.c.id)
        ).scalar_one()

    def po(self, po_id: int, *, lock: bool = False):
        """The header with its supplier and destination; `lock` holds the row until the commit, so
        two desktops changing one order (two clerks receiving it) take turns."""
        if lock:
            # Lock the order row alone, not its supplier's or destination's rows too.
            self.conn.execute(
                self._lock(select(purchase_orders.c.id).where(purchase_orders.c.id == po_id))
            ).one_or_none()
        return self.conn.execute(_PO_HEADER.where(purchase_orders.c.id == po_id)).one_or_none()

    def pos(self, po_ids: Collection[int]):
        return self.conn.execute(_PO_HEADER.where(purchase_orders.c.id.in_(list(po_ids)))).all()

    def po_ids(self, *, statuses: Collection[str] | None = None, supplier_id: int | None = None) -> list[int]:
        query = select(purchase_orders.c.id).order_by(purchase_orders.c.id.desc())
        if statuses is not None:
            query = query.where(purchase_orders.c.status.in_(list(statuses)))
        if supplier_id is not None:
            query = query.where(purchase_orders.c.supplier_id == supplier_id)
        return list(self.conn.scalars(query))

    def set_po(self, po_id: int, now: datetime, **values: Any) -> None:
        self.conn.execute(update(purchase_orders).where(purchase_orders.c.id == po_id).values(updated_at=now, **values))

    def lines(self, po_ids: Collection[int]):
        """Lines with their item's SKU, name and tracking, in the order they were added."""
        return self.conn.execute(
            select(purchase_order_lines, variants.c.sku, variants.c.name, products.c.tracking)
            .join(variants, variants.c.id == purchase_order_lines.c.variant_id)
            .join(products, products.c.id == variants.c.product_id)
            .where(purchase_order_lines.c.po_id.in_(list(po_ids)))
            .order_by(purchase_order_lines.c.po_id, purchase_order_lines.c.id)
        ).all()

    def add_line(self, **values: Any) -> int:
        return self.conn.execute(
            insert(purchase_order_lines).values(**values).returning(purchase_order_lines.c.id)
        ).scalar_one()

    def remove_line(self, po_id: int, line_id: int) -> bool:
        return (
            self.conn.execute(
                delete(purchase_order_lines).where(
                    purchase_order_lines.c.id == line_id, purchase_order_lines.c.po_id == po_id
                )
            ).rowcount
            == 1
        )

    def set_line(self, line_id: int, **values: Any) -> None:
        self.conn.execute(update(purchase_order_lines).where(purchase_order_lines.c.id == line_id).values(**values))

    def put_on_order(self, po_id: int) -> None:
        """Sending: every line is now expected in full."""
        self.conn.execute(
            update(purchase_order_lines)
            .where(purchase_order_lines.c.po_id == po_id)
            .values(qty_on_order=purchase_order_lines.c.qty_ordered)
        )

    def take_off_order(self, po_id: int) -> None:
        """Closing or cancelling: nothing more is expected."""
        self.conn.execute(
            update(purchase_order_lines).where(purchase_order_lines.c.po_id == po_id).values(qty_on_order=0)
        )

    def latest_suppliers(self, variant_ids: Collection[int]) -> dict[int, str]:
        """Per item, the code of the active supplier it was last ordered from (orders sent, not drafts
        or cancelled ones)."""
        rows = self.conn.execute(
            select(purchase_order_lines.c.variant_id, suppliers.c.code)
            .join(purchase_orders, purchase_orders.c.id == purchase_order_lines.c.po_id)
            .join(suppliers, suppliers.c.id == purchase_orders.c.supplier_id)
            .where(
                purchase_order_lines.c.variant_id.in_(list(variant_ids)),
                purchase_orders.c.status.in_(("sent", "partial", "received", "closed")),
                suppliers.c.active.is_(True),
            )
            .order_by(purchase_orders.c.id)
        )
        return {variant_id: code for variant_id, code in rows}  # oldest first: the latest order wins

    # -- receipts and discrepancies ---------------------------------------------------------

    def add_receipt(self, **values: Any) -> int:
        return self.conn.execute(
            insert(purchase_receipts).values(**values).returning(purchase_receipts.c.id)
        ).scalar_one()

    def receipt_of_posting(self, posting_id: int) -> int | None:
        return self.conn.execute(
            select(purchase_receipts.c.id).where(purchase_receipts.c.posting_id == posting_id)
        ).scalar_one_or_none()

    def receipt_by_delivery(self, po_id: int, delivery_ref: str):
        """The order's receipt of this delivery note (id, received_at, username), or None."""
        return self.conn.execute(
            select(purchase_receipts.c.id, purchase_receipts.c.received_at, users.c.username)
            .outerjoin(users, users.c.id == purchase_receipts.c.received_by)
            .where(purchase_receipts.c.po_id == po_id, purchase_receipts.c.delivery_ref == delivery_ref)
            .order_by(purchase_receipts.c.id)
        ).first()

    def add_discrepancy(self, **values: Any) -> None:
        self.conn.execute(insert(purchase_discrepancies).values(**values))

    def discrepancies(self, po_ids: Collection[int], *, receipt_id: int | None = None):
        query = (
            select(purchase_discrepancies, variants.c.sku)
            .join(variants, variants.c.id == purchase_discrepancies.c.variant_id)
            .where(purchase_discrepancies.c.po_id.in_(list(po_ids)))
            .order_by(purchase_discrepancies.c.id)
        )
        if receipt_id is not None:
            query = query.where(purchase_discrepancies.c.receipt_id == receipt_id)
        return self.conn.execute(query).all()

    # -- settings, zones, capacities, reorder rules -----------------------------------------

    def setting(self, key: str) -> Any:
        return self.conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar_one_or_none()

    def set_setting(self, key: str, value: Any) -> None:
        self._upsert(settings, ["key"], {"key": key, "value": value})

    def set_category_zone(self, site_id: int, category: str, zone_id: int) -> None:
        values = {"site_id": site_id, "category": category, "zone_id": zone_id}
        self._upsert(category_zones, ["site_id", "category"], values)

    def category_zone_path(self, site_id: int, category: str | None) -> str | None:
        if category is None:
            return None
        return self.conn.execute(
            select(locations.c.path)
            .join(category_zones, category_zones.c.zone_id == locations.c.id)
            .where(category_zones.c.site_id == site_id, category_zones.c.category == category)
        ).scalar_one_or_none()

    def set_capacity(self, location_id: int, capacity: int | None) -> None:
        self.conn.execute(update(locations).where(locations.c.id == location_id).values(capacity=capacity))

    def capacity(self, location_id: int, *, lock: bool = False) -> int | None:
        """A bin's capacity; `lock` makes two put-aways into one bin take turns over its room."""
        query = select(locations.c.capacity).where(locations.c.id == location_id)
        return self.conn.execute(self._lock(query) if lock else query).scalar_one()

    def set_reorder_rule(self, **values: Any) -> None:
        self._upsert(reorder_rules, ["variant_id", "site_id"], values)

    def categories(self) -> list[str]:
        return list(
            self.conn.scalars(
                select(products.c.category)
                .where(products.c.category.is_not(None))
                .distinct()
                .order_by(products.c.category)
            )
        )
