"""purchase and sales orders

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Suppliers, purchase orders (their lines carry what is still on order, read by every stock figure
through a partial index), receipts and their discrepancies; reorder rules per variant and site;
putaway settings (category zones, bin capacity); sales orders, their imports, packing scans,
shipments and returns. Unit weights for the packing station's weight check.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "suppliers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=64), nullable=True),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("over_receipt_pct", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("lead_time_days >= 0", name=op.f("ck_suppliers_lead_time")),
        sa.CheckConstraint("over_receipt_pct >= 0", name=op.f("ck_suppliers_over_receipt")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppliers")),
        sa.UniqueConstraint("code", name=op.f("uq_suppliers_code")),
    )
    op.create_table(
        "category_zones",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["locations.id"], name=op.f("fk_category_zones_site_id_locations")),
        sa.ForeignKeyConstraint(["zone_id"], ["locations.id"], name=op.f("fk_category_zones_zone_id_locations")),
        sa.PrimaryKeyConstraint("site_id", "category", name=op.f("pk_category_zones")),
    )
    op.create_table(
        "order_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("orders_created", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["imported_by"], ["users.id"], name=op.f("fk_order_imports_imported_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_imports")),
        sa.UniqueConstraint("digest", name=op.f("uq_order_imports_digest")),
    )
    op.create_table(
        "purchase_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("deliver_to_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'sent', 'partial', 'received', 'closed', 'cancelled')",
            name=op.f("ck_purchase_orders_status"),
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_purchase_orders_created_by_users")),
        sa.ForeignKeyConstraint(
            ["deliver_to_id"], ["locations.id"], name=op.f("fk_purchase_orders_deliver_to_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_purchase_orders_supplier_id_suppliers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_orders")),
    )
    with op.batch_alter_table("purchase_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_purchase_orders_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_purchase_orders_supplier_id"), ["supplier_id"], unique=False)

    op.create_table(
        "purchase_order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("po_id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("qty_ordered", sa.Integer(), nullable=False),
        sa.Column("unit_cost", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("qty_received", sa.Integer(), nullable=False),
        sa.Column("qty_damaged", sa.Integer(), nullable=False),
        sa.Column("qty_on_order", sa.Integer(), nullable=False),
        sa.Column("unplanned", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "qty_on_order >= 0 AND qty_on_order <= qty_ordered", name=op.f("ck_purchase_order_lines_on_order")
        ),
        sa.CheckConstraint("qty_ordered > 0 OR unplanned", name=op.f("ck_purchase_order_lines_ordered")),
        sa.CheckConstraint(
            "qty_ordered >= 0 AND qty_received >= 0 AND qty_damaged >= 0", name=op.f("ck_purchase_order_lines_counts")
        ),
        sa.CheckConstraint("unit_cost >= 0", name=op.f("ck_purchase_order_lines_unit_cost")),
        sa.ForeignKeyConstraint(
            ["po_id"], ["purchase_orders.id"], name=op.f("fk_purchase_order_lines_po_id_purchase_orders")
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"], ["variants.id"], name=op.f("fk_purchase_order_lines_variant_id_variants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order_lines")),
    )
    with op.batch_alter_table("purchase_order_lines", schema=None) as batch_op:
        batch_op.create_index(
            "ix_purchase_order_lines_on_order",
            ["variant_id"],
            unique=False,
            postgresql_where=sa.text("qty_on_order > 0"),
            sqlite_where=sa.text("qty_on_order > 0"),
        )
        batch_op.create_index(batch_op.f("ix_purchase_order_lines_po_id"), ["po_id"], unique=False)

    op.create_table(
        "purchase_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("po_id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("delivery_ref", sa.String(length=100), nullable=True),
        sa.Column("received_by", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["po_id"], ["purchase_orders.id"], name=op.f("fk_purchase_receipts_po_id_purchase_orders")
        ),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], name=op.f("fk_purchase_receipts_posting_id_postings")),
        sa.ForeignKeyConstraint(["received_by"], ["users.id"], name=op.f("fk_purchase_receipts_received_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_receipts")),
        sa.UniqueConstraint("posting_id", name=op.f("uq_purchase_receipts_posting_id")),
    )
    with op.batch_alter_table("purchase_receipts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_purchase_receipts_po_id"), ["po_id"], unique=False)

    op.create_table(
        "reorder_rules",
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("reorder_point", sa.Integer(), nullable=False),
        sa.Column("max_qty", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("max_qty >= reorder_point AND max_qty > 0", name=op.f("ck_reorder_rules_max_qty")),
        sa.CheckConstraint("reorder_point >= 0", name=op.f("ck_reorder_rules_reorder_point")),
        sa.ForeignKeyConstraint(["site_id"], ["locations.id"], name=op.f("fk_reorder_rules_site_id_locations")),
        sa.ForeignKeyConstraint(["supplier_id"], ["suppliers.id"], name=op.f("fk_reorder_rules_supplier_id_suppliers")),
        sa.ForeignKeyConstraint(["variant_id"], ["variants.id"], name=op.f("fk_reorder_rules_variant_id_variants")),
        sa.PrimaryKeyConstraint("variant_id", "site_id", name=op.f("pk_reorder_rules")),
    )
    op.create_table(
        "sales_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("external_ref", sa.String(length=100), nullable=False),
        sa.Column("customer_name", sa.String(length=200), nullable=False),
        sa.Column("ship_to", sa.String(length=1000), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("ordered_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'confirmed', 'packed', 'partial', 'shipped', 'cancelled')",
            name=op.f("ck_sales_orders_status"),
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_sales_orders_created_by_users")),
        sa.ForeignKeyConstraint(
            ["import_id"], ["order_imports.id"], name=op.f("fk_sales_orders_import_id_order_imports")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["locations.id"], name=op.f("fk_sales_orders_site_id_locations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_orders")),
        sa.UniqueConstraint("channel", "external_ref", name=op.f("uq_sales_orders_channel_external_ref")),
    )
    with op.batch_alter_table("sales_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sales_orders_status"), ["status"], unique=False)

    op.create_table(
        "purchase_discrepancies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("po_id", sa.Integer(), nullable=False),
        sa.Column("po_line_id", sa.Integer(), nullable=True),
        sa.Column("receipt_id", sa.Integer(), nullable=True),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("kept", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('short', 'over', 'damaged', 'wrong_item')", name=op.f("ck_purchase_discrepancies_kind")
        ),
        sa.CheckConstraint("qty > 0", name=op.f("ck_purchase_discrepancies_qty")),
        sa.ForeignKeyConstraint(
            ["po_id"], ["purchase_orders.id"], name=op.f("fk_purchase_discrepancies_po_id_purchase_orders")
        ),
        sa.ForeignKeyConstraint(
            ["po_line_id"],
            ["purchase_order_lines.id"],
            name=op.f("fk_purchase_discrepancies_po_line_id_purchase_order_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["receipt_id"],
            ["purchase_receipts.id"],
            name=op.f("fk_purchase_discrepancies_receipt_id_purchase_receipts"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_purchase_discrepancies_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"], ["variants.id"], name=op.f("fk_purchase_discrepancies_variant_id_variants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_discrepancies")),
    )
    with op.batch_alter_table("purchase_discrepancies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_purchase_discrepancies_po_id"), ["po_id"], unique=False)

    op.create_table(
        "sales_order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("qty_ordered", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("qty_reserved", sa.Integer(), nullable=False),
        sa.Column("qty_packed", sa.Integer(), nullable=False),
        sa.Column("qty_shipped", sa.Integer(), nullable=False),
        sa.CheckConstraint("qty_ordered > 0", name=op.f("ck_sales_order_lines_ordered")),
        sa.CheckConstraint("qty_packed <= qty_reserved", name=op.f("ck_sales_order_lines_packed")),
        sa.CheckConstraint("qty_reserved + qty_shipped <= qty_ordered", name=op.f("ck_sales_order_lines_not_over")),
        sa.CheckConstraint(
            "qty_reserved >= 0 AND qty_packed >= 0 AND qty_shipped >= 0", name=op.f("ck_sales_order_lines_counts")
        ),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_sales_order_lines_unit_price")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_orders.id"], name=op.f("fk_sales_order_lines_order_id_sales_orders")
        ),
        sa.ForeignKeyConstraint(["variant_id"], ["variants.id"], name=op.f("fk_sales_order_lines_variant_id_variants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_order_lines")),
    )
    with op.batch_alter_table("sales_order_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sales_order_lines_order_id"), ["order_id"], unique=False)

    op.create_table(
        "shipments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=100), nullable=True),
        sa.Column("tracking", sa.String(length=100), nullable=True),
        sa.Column("shipped_by", sa.Integer(), nullable=True),
        sa.Column("shipped_at", sa.DateTime(), nullable=False),
        sa.Column("override_by", sa.Integer(), nullable=True),
        sa.Column("override_note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["sales_orders.id"], name=op.f("fk_shipments_order_id_sales_orders")),
        sa.ForeignKeyConstraint(["override_by"], ["users.id"], name=op.f("fk_shipments_override_by_users")),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], name=op.f("fk_shipments_posting_id_postings")),
        sa.ForeignKeyConstraint(["shipped_by"], ["users.id"], name=op.f("fk_shipments_shipped_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipments")),
        sa.UniqueConstraint("posting_id", name=op.f("uq_shipments_posting_id")),
    )
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shipments_order_id"), ["order_id"], unique=False)

    op.create_table(
        "packed_serials",
        sa.Column("serial_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_orders.id"], name=op.f("fk_packed_serials_order_id_sales_orders")
        ),
        sa.ForeignKeyConstraint(["serial_id"], ["serials.id"], name=op.f("fk_packed_serials_serial_id_serials")),
        sa.PrimaryKeyConstraint("serial_id", name=op.f("pk_packed_serials")),
    )
    with op.batch_alter_table("packed_serials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_packed_serials_order_id"), ["order_id"], unique=False)

    op.create_table(
        "sales_returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("returned_by", sa.Integer(), nullable=True),
        sa.Column("returned_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], name=op.f("fk_sales_returns_posting_id_postings")),
        sa.ForeignKeyConstraint(["returned_by"], ["users.id"], name=op.f("fk_sales_returns_returned_by_users")),
        sa.ForeignKeyConstraint(["shipment_id"], ["shipments.id"], name=op.f("fk_sales_returns_shipment_id_shipments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_returns")),
        sa.UniqueConstraint("posting_id", name=op.f("uq_sales_returns_posting_id")),
    )
    with op.batch_alter_table("sales_returns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sales_returns_shipment_id"), ["shipment_id"], unique=False)

    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("capacity", sa.Integer(), nullable=True))

    with op.batch_alter_table("variants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weight_grams", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("variants", schema=None) as batch_op:
        batch_op.drop_column("weight_grams")

    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_column("capacity")

    with op.batch_alter_table("sales_returns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_returns_shipment_id"))

    op.drop_table("sales_returns")
    with op.batch_alter_table("packed_serials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_packed_serials_order_id"))

    op.drop_table("packed_serials")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipments_order_id"))

    op.drop_table("shipments")
    with op.batch_alter_table("sales_order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_order_lines_order_id"))

    op.drop_table("sales_order_lines")
    with op.batch_alter_table("purchase_discrepancies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_discrepancies_po_id"))

    op.drop_table("purchase_discrepancies")
    with op.batch_alter_table("sales_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_orders_status"))

    op.drop_table("sales_orders")
    op.drop_table("reorder_rules")
    with op.batch_alter_table("purchase_receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_receipts_po_id"))

    op.drop_table("purchase_receipts")
    with op.batch_alter_table("purchase_order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_order_lines_po_id"))
        batch_op.drop_index(
            "ix_purchase_order_lines_on_order",
            postgresql_where=sa.text("qty_on_order > 0"),
            sqlite_where=sa.text("qty_on_order > 0"),
        )

    op.drop_table("purchase_order_lines")
    with op.batch_alter_table("purchase_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_orders_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_orders_status"))

    op.drop_table("purchase_orders")
    op.drop_table("order_imports")
    op.drop_table("category_zones")
    op.drop_table("suppliers")
    op.drop_table("settings")
