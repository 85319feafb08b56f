"""The schema, one declarative class per table. Alembic's history under migrations/ must match it.

Quantities are integers in the variant's unit. Money is NUMERIC. Timestamps are naive UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Json = JSON().with_variant(JSONB(), "postgresql")
Money = Numeric(14, 4, asdecimal=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _choice(column: str, values: list[str]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class UserRecord(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_choice("role", ["owner", "manager", "staff"]), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)


class ProductRecord(Base):
    __tablename__ = "products"
    __table_args__ = (CheckConstraint(_choice("tracking", ["none", "lot", "serial"]), name="tracking"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(20), default="each")
    tracking: Mapped[str] = mapped_column(String(8), default="none")


class VariantRecord(Base):
    __tablename__ = "variants"
    __table_args__ = (
        CheckConstraint("reorder_point >= 0", name="reorder_point"),
        CheckConstraint("unit_cost >= 0 AND price >= 0", name="money"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    barcode: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    attributes: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    unit_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    price: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    reorder_point: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    search_text: Mapped[str | None] = mapped_column(Text)
    """SKU, name, barcode and attribute values in lower case, kept by triggers (migration 0003)."""
    weight_grams: Mapped[int | None] = mapped_column(Integer)
    """Shipping weight of one unit, for the packing station's weight check."""


class LocationRecord(Base):
    """A node of the location tree, or a virtual place (supplier, customer, loss/gain, scrap, transit).

    `path` is the chain of ids from the root ('/1/4/9/'), so a subtree is one LIKE prefix query;
    `sort_key` orders bins in walking order.
    """

    __tablename__ = "locations"
    __table_args__ = (
        CheckConstraint(
            _choice(
                "kind",
                ["site", "zone", "aisle", "rack", "bin", "supplier", "customer", "adjustment", "scrap", "transit"],
            ),
            name="kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    path: Mapped[str] = mapped_column(String(400), index=True)
    sort_key: Mapped[str] = mapped_column(String(200), default="")
    is_virtual: Mapped[bool] = mapped_column(default=False)
    keeps_levels: Mapped[bool] = mapped_column(default=True)
    capacity: Mapped[int | None] = mapped_column(Integer)
    """Units a bin holds, for putaway suggestions; NULL when nobody has said (treated as roomy)."""


class LotRecord(Base):
    """A received batch. Row id 0 is the 'no lot' sentinel so level keys never hold a NULL."""

    __tablename__ = "lots"
    __table_args__ = (UniqueConstraint("variant_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variants.id"))
    number: Mapped[str] = mapped_column(String(64))
    supplier: Mapped[str | None] = mapped_column(String(200))
    manufactured_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    certificate_ref: Mapped[str | None] = mapped_column(String(200))


class SerialRecord(Base):
    """One unit of a serial-tracked variant and where it is now (derived from, and reconciled with, the ledger)."""

    __tablename__ = "serials"
    __table_args__ = (
        UniqueConstraint("variant_id", "serial_number"),
        CheckConstraint(_choice("bucket", ["A", "Q"]), name="bucket"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    serial_number: Mapped[str] = mapped_column(String(100))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), default=0)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    bucket: Mapped[str] = mapped_column(String(1), default="A")


class ReasonCodeRecord(Base):
    __tablename__ = "reason_codes"
    __table_args__ = (CheckConstraint(_choice("direction", ["any", "in", "out"]), name="direction"),)

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    description: Mapped[str] = mapped_column(String(200))
    direction: Mapped[str] = mapped_column(String(3), default="any")
    user_selectable: Mapped[bool] = mapped_column(default=True)


class PostingRecord(Base):
    """One write: its idempotency key (unique), who, when, why, and which document it belongs to."""

    __tablename__ = "postings"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))
    reference: Mapped[str | None] = mapped_column(String(200), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason_code: Mapped[str | None] = mapped_column(ForeignKey("reason_codes.code"))
    note: Mapped[str | None] = mapped_column(String(1000))
    posted_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class MovementRecord(Base):
    """The ledger. Append-only (triggers refuse UPDATE and DELETE); each row moves qty between two legs."""

    __tablename__ = "movements"
    __table_args__ = (
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint(_choice("from_bucket", ["A", "R", "Q"]), name="from_bucket"),
        CheckConstraint(_choice("to_bucket", ["A", "R", "Q"]), name="to_bucket"),
        CheckConstraint("from_location_id <> to_location_id OR from_bucket <> to_bucket", name="moves_something"),
        Index("ix_movements_to", "variant_id", "to_location_id", "lot_id", "to_bucket", "qty"),
        Index("ix_movements_from", "variant_id", "from_location_id", "lot_id", "from_bucket", "qty"),
        Index(
            "ix_movements_serial",
            "serial_id",
            postgresql_where=text("serial_id IS NOT NULL"),
            sqlite_where=text("serial_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    serial_id: Mapped[int | None] = mapped_column(ForeignKey("serials.id"))
    qty: Mapped[int] = mapped_column(Integer)
    from_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    from_bucket: Mapped[str] = mapped_column(String(1))
    to_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    to_bucket: Mapped[str] = mapped_column(String(1))
    before_qty: Mapped[int | None] = mapped_column(Integer)
    after_qty: Mapped[int | None] = mapped_column(Integer)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("movements.id"), unique=True)
    posted_at: Mapped[datetime] = mapped_column(DateTime)


class LevelRecord(Base):
    """Materialized quantities per variant x location x lot, written in the posting's transaction."""

    __tablename__ = "levels"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand"),
        CheckConstraint("reserved >= 0", name="reserved"),
        CheckConstraint("quarantined >= 0", name="quarantined"),
        CheckConstraint("reserved + quarantined <= on_hand", name="not_oversold"),
        Index("ix_levels_location", "location_id", "variant_id"),
    )

    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)
    quarantined: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=0)


class ReservationRecord(Base):
    """Units reserved per order reference: what `ship` and `release` may consume for that order."""

    __tablename__ = "reservations"
    __table_args__ = (CheckConstraint("qty >= 0", name="qty"),)

    order_ref: Mapped[str] = mapped_column(String(200), primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), primary_key=True)
    qty: Mapped[int] = mapped_column(default=0)


class TransferRecord(Base):
    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint(_choice("status", ["requested", "approved", "picked", "received", "cancelled"]), name="status"),
        CheckConstraint("from_location_id <> to_location_id", name="two_places"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    from_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    to_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(String(1000))


TRANSFER_LINE_OPEN = "qty_picked - qty_received - qty_damaged - qty_short > 0"
"""In transit: picked and not yet received, damaged or short. Queries must spell it the same way
(with a literal 0) for the partial index to serve them."""


class TransferLineRecord(Base):
    __tablename__ = "transfer_lines"
    __table_args__ = (
        CheckConstraint("qty_requested > 0", name="requested"),
        CheckConstraint("qty_picked >= 0 AND qty_received >= 0 AND qty_damaged >= 0 AND qty_short >= 0", name="counts"),
        CheckConstraint("qty_received + qty_damaged + qty_short <= qty_picked", name="settled"),
        # Only lines picked and not yet settled: every stock read adds these as in transit.
        Index(
            "ix_transfer_lines_open",
            "variant_id",
            postgresql_where=text(TRANSFER_LINE_OPEN),
            sqlite_where=text(TRANSFER_LINE_OPEN),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    qty_requested: Mapped[int] = mapped_column(Integer)
    qty_picked: Mapped[int] = mapped_column(default=0)
    qty_received: Mapped[int] = mapped_column(default=0)
    qty_damaged: Mapped[int] = mapped_column(default=0)
    qty_short: Mapped[int] = mapped_column(default=0)


class CountSessionRecord(Base):
    __tablename__ = "count_sessions"
    __table_args__ = (CheckConstraint(_choice("status", ["open", "posted", "cancelled"]), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    status: Mapped[str] = mapped_column(String(10))
    started_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    posted_at: Mapped[datetime | None] = mapped_column(DateTime)


class CountLineRecord(Base):
    """A line to count; `book_qty` is the books' on hand at the moment the count was entered."""

    __tablename__ = "count_lines"
    __table_args__ = (
        UniqueConstraint("session_id", "variant_id", "location_id", "lot_id"),
        CheckConstraint("counted_qty IS NULL OR counted_qty >= 0", name="counted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("count_sessions.id"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    abc_class: Mapped[str | None] = mapped_column(String(1))
    counted_qty: Mapped[int | None] = mapped_column(Integer)
    book_qty: Mapped[int | None] = mapped_column(Integer)
    counted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    counted_at: Mapped[datetime | None] = mapped_column(DateTime)


class ReconciliationRecord(Base):
    """A reconciliation run: how much drift it found and whether it repaired it (and who asked)."""

    __tablename__ = "reconciliations"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drift_rows: Mapped[int] = mapped_column(Integer)
    repaired: Mapped[bool] = mapped_column(default=False)
    details: Mapped[list[Any]] = mapped_column(Json, default=list)


class SettingRecord(Base):
    """Shop-wide settings that every desktop must share (putaway rules, company details): key -> JSON."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(Json)


class SupplierRecord(Base):
    __tablename__ = "suppliers"
    __table_args__ = (
        CheckConstraint("lead_time_days >= 0", name="lead_time"),
        CheckConstraint("over_receipt_pct >= 0", name="over_receipt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(64))
    lead_time_days: Mapped[int] = mapped_column(default=7)
    over_receipt_pct: Mapped[int] = mapped_column(default=0)
    """How far past the ordered quantity a delivery may be accepted, in percent of the line."""
    active: Mapped[bool] = mapped_column(default=True)


class ReorderRuleRecord(Base):
    """Per variant and site: order when available + on order falls below the point, up to the maximum."""

    __tablename__ = "reorder_rules"
    __table_args__ = (
        CheckConstraint("reorder_point >= 0", name="reorder_point"),
        CheckConstraint("max_qty >= reorder_point AND max_qty > 0", name="max_qty"),
    )

    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    reorder_point: Mapped[int] = mapped_column(Integer)
    max_qty: Mapped[int] = mapped_column(Integer)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))


class CategoryZoneRecord(Base):
    """Where a product category is stored at a site: putaway prefers bins in that zone."""

    __tablename__ = "category_zones"

    site_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(100), primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))


class PurchaseOrderRecord(Base):
    __tablename__ = "purchase_orders"
    __table_args__ = (
        CheckConstraint(
            _choice("status", ["draft", "sent", "partial", "received", "closed", "cancelled"]), name="status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    deliver_to_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    """Where the goods are received (a receiving dock or bin); putaway moves them on from there."""
    status: Mapped[str] = mapped_column(String(10), index=True)
    expected_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(String(1000))


PO_LINE_ON_ORDER = "qty_on_order > 0"
"""Lines still expected from the supplier; spelled the same in queries so the partial index serves them."""


class PurchaseOrderLineRecord(Base):
    """`qty_on_order` is what is still expected: set when the order is sent, lowered by each receipt,
    zeroed when the order is closed or cancelled. Every stock read adds it as on order."""

    __tablename__ = "purchase_order_lines"
    __table_args__ = (
        CheckConstraint("qty_ordered > 0 OR unplanned", name="ordered"),
        CheckConstraint("qty_ordered >= 0 AND qty_received >= 0 AND qty_damaged >= 0", name="counts"),
        CheckConstraint("qty_on_order >= 0 AND qty_on_order <= qty_ordered", name="on_order"),
        CheckConstraint("unit_cost >= 0", name="unit_cost"),
        Index(
            "ix_purchase_order_lines_on_order",
            "variant_id",
            postgresql_where=text(PO_LINE_ON_ORDER),
            sqlite_where=text(PO_LINE_ON_ORDER),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    po_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    qty_ordered: Mapped[int] = mapped_column(Integer)
    unit_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    expected_on: Mapped[date | None] = mapped_column(Date)
    qty_received: Mapped[int] = mapped_column(default=0)
    """Sound units received, into available stock."""
    qty_damaged: Mapped[int] = mapped_column(default=0)
    """Units received damaged, into quarantine."""
    qty_on_order: Mapped[int] = mapped_column(default=0)
    unplanned: Mapped[bool] = mapped_column(default=False)
    """A wrong item the clerk chose to keep: received as its own flagged line, never ordered."""


class PurchaseReceiptRecord(Base):
    """One delivery booked against a purchase order: its posting and the supplier's delivery note."""

    __tablename__ = "purchase_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    po_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), unique=True)
    delivery_ref: Mapped[str | None] = mapped_column(String(100))
    received_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[datetime] = mapped_column(DateTime)


class PurchaseDiscrepancyRecord(Base):
    """What a delivery did not match: short (at close), over, damaged, wrong item (kept or refused)."""

    __tablename__ = "purchase_discrepancies"
    __table_args__ = (
        CheckConstraint(_choice("kind", ["short", "over", "damaged", "wrong_item"]), name="kind"),
        CheckConstraint("qty > 0", name="qty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    po_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    po_line_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_order_lines.id"))
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_receipts.id"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    kind: Mapped[str] = mapped_column(String(10))
    qty: Mapped[int] = mapped_column(Integer)
    kept: Mapped[bool] = mapped_column(default=True)
    """False for a wrong item sent back to the supplier rather than received."""
    note: Mapped[str | None] = mapped_column(String(1000))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class OrderImportRecord(Base):
    """One imported web-shop file, by the digest of its rows: importing it again creates nothing."""

    __tablename__ = "order_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(300))
    channel: Mapped[str] = mapped_column(String(40))
    orders_created: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(DateTime)


class SalesOrderRecord(Base):
    __tablename__ = "sales_orders"
    __table_args__ = (
        UniqueConstraint("channel", "external_ref"),
        CheckConstraint(
            _choice("status", ["draft", "confirmed", "packed", "partial", "shipped", "cancelled"]), name="status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(40), default="manual")
    external_ref: Mapped[str] = mapped_column(String(100))
    """The order number the customer knows (the web shop's, or ours for a manual order)."""
    customer_name: Mapped[str] = mapped_column(String(200))
    ship_to: Mapped[str | None] = mapped_column(String(1000))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    """Where the order is fulfilled from: chosen when it is confirmed."""
    status: Mapped[str] = mapped_column(String(10), index=True)
    ordered_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("order_imports.id"))
    note: Mapped[str | None] = mapped_column(String(1000))


class SalesOrderLineRecord(Base):
    """`qty_reserved` mirrors the order's reservations; `qty_packed` counts scans at the packing bench."""

    __tablename__ = "sales_order_lines"
    __table_args__ = (
        CheckConstraint("qty_ordered > 0", name="ordered"),
        CheckConstraint("qty_reserved >= 0 AND qty_packed >= 0 AND qty_shipped >= 0", name="counts"),
        CheckConstraint("qty_reserved + qty_shipped <= qty_ordered", name="not_over"),
        CheckConstraint("qty_packed <= qty_reserved", name="packed"),
        CheckConstraint("unit_price >= 0", name="unit_price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    qty_ordered: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    qty_reserved: Mapped[int] = mapped_column(default=0)
    qty_packed: Mapped[int] = mapped_column(default=0)
    qty_shipped: Mapped[int] = mapped_column(default=0)


class PackedSerialRecord(Base):
    """A serial scanned at the packing bench for an order: the unit that will ship."""

    __tablename__ = "packed_serials"

    serial_id: Mapped[int] = mapped_column(ForeignKey("serials.id"), primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)


class ShipmentRecord(Base):
    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), unique=True)
    carrier: Mapped[str | None] = mapped_column(String(100))
    tracking: Mapped[str | None] = mapped_column(String(100))
    shipped_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    shipped_at: Mapped[datetime] = mapped_column(DateTime)
    override_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """The manager who let it ship without a full packing verification (NULL when it verified)."""
    override_note: Mapped[str | None] = mapped_column(String(1000))


class SalesReturnRecord(Base):
    """Goods back from a customer against one shipment: the RETURN posting and why."""

    __tablename__ = "sales_returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(200))
    returned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    returned_at: Mapped[datetime] = mapped_column(DateTime)


# Core table handles, for the repositories and queries that write SQL rather than use the ORM.
count_lines = CountLineRecord.__table__
count_sessions = CountSessionRecord.__table__
levels = LevelRecord.__table__
locations = LocationRecord.__table__
lots = LotRecord.__table__
movements = MovementRecord.__table__
postings = PostingRecord.__table__
products = ProductRecord.__table__
reasons = ReasonCodeRecord.__table__
reservations = ReservationRecord.__table__
serials = SerialRecord.__table__
transfer_lines = TransferLineRecord.__table__
transfers = TransferRecord.__table__
users = UserRecord.__table__
variants = VariantRecord.__table__
settings = SettingRecord.__table__
suppliers = SupplierRecord.__table__
reorder_rules = ReorderRuleRecord.__table__
category_zones = CategoryZoneRecord.__table__
purchase_orders = PurchaseOrderRecord.__table__
purchase_order_lines = PurchaseOrderLineRecord.__table__
purchase_receipts = PurchaseReceiptRecord.__table__
purchase_discrepancies = PurchaseDiscrepancyRecord.__table__
order_imports = OrderImportRecord.__table__
sales_orders = SalesOrderRecord.__table__
sales_order_lines = SalesOrderLineRecord.__table__
packed_serials = PackedSerialRecord.__table__
shipments = ShipmentRecord.__table__
sales_returns = SalesReturnRecord.__table__
