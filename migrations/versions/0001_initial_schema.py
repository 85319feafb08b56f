"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27

Tables, the append-only triggers on the ledger, and the rows every database needs:
the 'no lot' sentinel, the virtual locations, the reason codes and a first owner.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=400), nullable=False),
        sa.Column("sort_key", sa.String(length=200), nullable=False),
        sa.Column("is_virtual", sa.Boolean(), nullable=False),
        sa.Column("keeps_levels", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('site', 'zone', 'aisle', 'rack', 'bin', "
            "'supplier', 'customer', 'adjustment', 'scrap', 'transit')",
            name=op.f("ck_locations_kind"),
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["locations.id"], name=op.f("fk_locations_parent_id_locations")),
        sa.ForeignKeyConstraint(["site_id"], ["locations.id"], name=op.f("fk_locations_site_id_locations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
        sa.UniqueConstraint("code", name=op.f("uq_locations_code")),
    )
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_locations_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_locations_path"), ["path"], unique=False)

    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("tracking", sa.String(length=8), nullable=False),
        sa.CheckConstraint("tracking IN ('none', 'lot', 'serial')", name=op.f("ck_products_tracking")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
    )
    op.create_table(
        "reason_codes",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("user_selectable", sa.Boolean(), nullable=False),
        sa.CheckConstraint("direction IN ('any', 'in', 'out')", name=op.f("ck_reason_codes_direction")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_reason_codes")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("role IN ('owner', 'manager', 'staff')", name=op.f("ck_users_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "count_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'posted', 'cancelled')", name=op.f("ck_count_sessions_status")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_count_sessions_location_id_locations")
        ),
        sa.ForeignKeyConstraint(["started_by"], ["users.id"], name=op.f("fk_count_sessions_started_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_sessions")),
    )
    op.create_table(
        "postings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("reason_code", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reason_code"], ["reason_codes.code"], name=op.f("fk_postings_reason_code_reason_codes")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_postings_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postings")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_postings_idempotency_key")),
    )
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_postings_posted_at"), ["posted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_postings_reference"), ["reference"], unique=False)

    op.create_table(
        "reconciliations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("drift_rows", sa.Integer(), nullable=False),
        sa.Column("repaired", sa.Boolean(), nullable=False),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_reconciliations_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reconciliations")),
    )
    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("from_location_id", sa.Integer(), nullable=False),
        sa.Column("to_location_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.CheckConstraint(
            "status IN ('requested', 'approved', 'picked', 'received', 'cancelled')",
            name=op.f("ck_transfers_status"),
        ),
        sa.CheckConstraint("from_location_id <> to_location_id", name=op.f("ck_transfers_two_places")),
        sa.ForeignKeyConstraint(["approved_by"], ["users.id"], name=op.f("fk_transfers_approved_by_users")),
        sa.ForeignKeyConstraint(
            ["from_location_id"], ["locations.id"], name=op.f("fk_transfers_from_location_id_locations")
        ),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"], name=op.f("fk_transfers_requested_by_users")),
        sa.ForeignKeyConstraint(
            ["to_location_id"], ["locations.id"], name=op.f("fk_transfers_to_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers")),
    )
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transfers_status"), ["status"], unique=False)

    op.create_table(
        "variants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("barcode", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column(
            "attributes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("unit_cost", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("price", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("reorder_point", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("reorder_point >= 0", name=op.f("ck_variants_reorder_point")),
        sa.CheckConstraint("unit_cost >= 0 AND price >= 0", name=op.f("ck_variants_money")),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_variants_product_id_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_variants")),
        sa.UniqueConstraint("barcode", name=op.f("uq_variants_barcode")),
        sa.UniqueConstraint("sku", name=op.f("uq_variants_sku")),
    )
    with op.batch_alter_table("variants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_variants_product_id"), ["product_id"], unique=False)

    op.create_table(
        "lots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=True),
        sa.Column("manufactured_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("certificate_ref", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["variant_id"], ["variants.id"], name=op.f("fk_lots_variant_id_variants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lots")),
        sa.UniqueConstraint("variant_id", "number", name=op.f("uq_lots_variant_id_number")),
    )
    op.create_table(
        "transfer_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("qty_requested", sa.Integer(), nullable=False),
        sa.Column("qty_picked", sa.Integer(), nullable=False),
        sa.Column("qty_received", sa.Integer(), nullable=False),
        sa.Column("qty_damaged", sa.Integer(), nullable=False),
        sa.Column("qty_short", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "qty_picked >= 0 AND qty_received >= 0 AND qty_damaged >= 0 AND qty_short >= 0",
            name=op.f("ck_transfer_lines_counts"),
        ),
        sa.CheckConstraint(
            "qty_received + qty_damaged + qty_short <= qty_picked", name=op.f("ck_transfer_lines_settled")
        ),
        sa.CheckConstraint("qty_requested > 0", name=op.f("ck_transfer_lines_requested")),
        sa.ForeignKeyConstraint(
            ["transfer_id"], ["transfers.id"], name=op.f("fk_transfer_lines_transfer_id_transfers")
        ),
        sa.ForeignKeyConstraint(["variant_id"], ["variants.id"], name=op.f("fk_transfer_lines_variant_id_variants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_lines")),
    )
    with op.batch_alter_table("transfer_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transfer_lines_transfer_id"), ["transfer_id"], unique=False)

    op.create_table(
        "count_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("abc_class", sa.String(length=1), nullable=True),
        sa.Column("counted_qty", sa.Integer(), nullable=True),
        sa.Column("book_qty", sa.Integer(), nullable=True),
        sa.Column("counted_by", sa.Integer(), nullable=True),
        sa.Column("counted_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("counted_qty IS NULL OR counted_qty >= 0", name=op.f("ck_count_lines_counted")),
        sa.ForeignKeyConstraint(["counted_by"], ["users.id"], name=op.f("fk_count_lines_counted_by_users")),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"], name=op.f("fk_count_lines_location_id_locations")),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_count_lines_lot_id_lots")),
        sa.ForeignKeyConstraint(
            ["session_id"], ["count_sessions.id"], name=op.f("fk_count_lines_session_id_count_sessions")
        ),
        sa.ForeignKeyConstraint(["variant_id"], ["variants.id"], name=op.f("fk_count_lines_variant_id_variants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_lines")),
        sa.UniqueConstraint(
            "session_id",
            "variant_id",
            "location_id",
            "lot_id",
            name=op.f("uq_count_lines_session_id_variant_id_location_id_lot_id"),
        ),
    )
    with op.batch_alter_table("count_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_count_lines_session_id"), ["session_id"], unique=False)

    op.create_table(
        "levels",
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("on_hand >= 0", name=op.f("ck_levels_on_hand")),
        sa.CheckConstraint("quarantined >= 0", name=op.f("ck_levels_quarantined")),
        sa.CheckConstraint("reserved + quarantined <= on_hand", name=op.f("ck_levels_not_oversold")),
        sa.CheckConstraint("reserved >= 0", name=op.f("ck_levels_reserved")),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"], name=op.f("fk_levels_location_id_locations")),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_levels_lot_id_lots")),
        sa.ForeignKeyConstraint(["variant_id"], ["variants.id"], name=op.f("fk_levels_variant_id_variants")),
        sa.PrimaryKeyConstraint("variant_id", "location_id", "lot_id", name=op.f("pk_levels")),
    )
    with op.batch_alter_table("levels", schema=None) as batch_op:
        batch_op.create_index("ix_levels_location", ["location_id", "variant_id"], unique=False)

    op.create_table(
        "reservations",
        sa.Column("order_ref", sa.String(length=200), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.CheckConstraint("qty >= 0", name=op.f("ck_reservations_qty")),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"], name=op.f("fk_reservations_location_id_locations")),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_reservations_lot_id_lots")),
        sa.ForeignKeyConstraint(["variant_id"], ["variants.id"], name=op.f("fk_reservations_variant_id_variants")),
        sa.PrimaryKeyConstraint("order_ref", "variant_id", "location_id", "lot_id", name=op.f("pk_reservations")),
    )
    op.create_table(
        "serials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("serial_number", sa.String(length=100), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=1), nullable=False),
        sa.CheckConstraint("bucket IN ('A', 'Q')", name=op.f("ck_serials_bucket")),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"], name=op.f("fk_serials_location_id_locations")),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_serials_lot_id_lots")),
        sa.ForeignKeyConstraint(["variant_id"], ["variants.id"], name=op.f("fk_serials_variant_id_variants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_serials")),
        sa.UniqueConstraint("variant_id", "serial_number", name=op.f("uq_serials_variant_id_serial_number")),
    )
    with op.batch_alter_table("serials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_serials_location_id"), ["location_id"], unique=False)

    op.create_table(
        "movements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("serial_id", sa.Integer(), nullable=True),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("from_location_id", sa.Integer(), nullable=False),
        sa.Column("from_bucket", sa.String(length=1), nullable=False),
        sa.Column("to_location_id", sa.Integer(), nullable=False),
        sa.Column("to_bucket", sa.String(length=1), nullable=False),
        sa.Column("before_qty", sa.Integer(), nullable=True),
        sa.Column("after_qty", sa.Integer(), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("from_bucket IN ('A', 'R', 'Q')", name=op.f("ck_movements_from_bucket")),
        sa.CheckConstraint("to_bucket IN ('A', 'R', 'Q')", name=op.f("ck_movements_to_bucket")),
        sa.CheckConstraint(
            "from_location_id <> to_location_id OR from_bucket <> to_bucket",
            name=op.f("ck_movements_moves_something"),
        ),
        sa.CheckConstraint("qty > 0", name=op.f("ck_movements_qty_positive")),
        sa.ForeignKeyConstraint(
            ["from_location_id"], ["locations.id"], name=op.f("fk_movements_from_location_id_locations")
        ),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_movements_lot_id_lots")),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], name=op.f("fk_movements_posting_id_postings")),
        sa.ForeignKeyConstraint(["reverses_id"], ["movements.id"], name=op.f("fk_movements_reverses_id_movements")),
        sa.ForeignKeyConstraint(["serial_id"], ["serials.id"], name=op.f("fk_movements_serial_id_serials")),
        sa.ForeignKeyConstraint(
            ["to_location_id"], ["locations.id"], name=op.f("fk_movements_to_location_id_locations")
        ),
        sa.ForeignKeyConstraint(["variant_id"], ["variants.id"], name=op.f("fk_movements_variant_id_variants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movements")),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_movements_reverses_id")),
    )
    with op.batch_alter_table("movements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_movements_from",
            ["variant_id", "from_location_id", "lot_id", "from_bucket", "qty"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_movements_posting_id"), ["posting_id"], unique=False)
        batch_op.create_index(
            "ix_movements_serial",
            ["serial_id"],
            unique=False,
            postgresql_where=sa.text("serial_id IS NOT NULL"),
            sqlite_where=sa.text("serial_id IS NOT NULL"),
        )
        batch_op.create_index(
            "ix_movements_to", ["variant_id", "to_location_id", "lot_id", "to_bucket", "qty"], unique=False
        )

    _create_append_only_triggers()
    _seed()


def downgrade() -> None:
    _drop_append_only_triggers()
    with op.batch_alter_table("movements", schema=None) as batch_op:
        batch_op.drop_index("ix_movements_to")
        batch_op.drop_index(
            "ix_movements_serial",
            postgresql_where=sa.text("serial_id IS NOT NULL"),
            sqlite_where=sa.text("serial_id IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_movements_posting_id"))
        batch_op.drop_index("ix_movements_from")

    op.drop_table("movements")
    with op.batch_alter_table("serials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_serials_location_id"))

    op.drop_table("serials")
    op.drop_table("reservations")
    with op.batch_alter_table("levels", schema=None) as batch_op:
        batch_op.drop_index("ix_levels_location")

    op.drop_table("levels")
    with op.batch_alter_table("count_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_count_lines_session_id"))

    op.drop_table("count_lines")
    with op.batch_alter_table("transfer_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfer_lines_transfer_id"))

    op.drop_table("transfer_lines")
    op.drop_table("lots")
    with op.batch_alter_table("variants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_variants_product_id"))

    op.drop_table("variants")
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfers_status"))

    op.drop_table("transfers")
    op.drop_table("reconciliations")
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_postings_reference"))
        batch_op.drop_index(batch_op.f("ix_postings_posted_at"))

    op.drop_table("postings")
    op.drop_table("count_sessions")
    op.drop_table("users")
    op.drop_table("reason_codes")
    op.drop_table("products")
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_locations_path"))
        batch_op.drop_index(batch_op.f("ix_locations_parent_id"))

    op.drop_table("locations")


APPEND_ONLY_TABLES = ("movements", "postings")


def _create_append_only_triggers() -> None:
    """The ledger is corrected by reversing movements, never edited: refuse UPDATE and DELETE in the database."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION stockdesk_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'ledger rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'integrity_constraint_violation';
            END $$
            """
        )
        for table in APPEND_ONLY_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION stockdesk_append_only()"
            )
        return
    for table in APPEND_ONLY_TABLES:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only: {verb} on {table} refused'); END"
            )


def _drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS stockdesk_append_only()")
        return
    for table in APPEND_ONLY_TABLES:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")


VIRTUAL_LOCATIONS = [
    ("@SUPPLIER", "Suppliers", "supplier", False),
    ("@CUSTOMER", "Customers", "customer", False),
    ("@ADJUSTMENT", "Inventory loss and gain", "adjustment", False),
    ("@SCRAP", "Scrap", "scrap", False),
    ("@TRANSIT", "In transit", "transit", True),
]

REASON_CODES = [
    ("DAMAGED", "Damaged", "out", True),
    ("LOST", "Lost or missing", "out", True),
    ("THEFT", "Theft", "out", True),
    ("EXPIRED", "Expired", "out", True),
    ("FOUND", "Found", "in", True),
    ("DATA_ENTRY", "Data-entry error", "any", True),
    ("OPENING", "Opening balance", "in", True),
    ("WRITE_OFF", "Written off", "out", True),
    ("COUNT", "Cycle count variance", "any", False),
    ("TRANSFER_SHORT", "Short on transfer receipt", "out", False),
    ("REVERSAL", "Reversal of a movement", "any", False),
]


def _seed() -> None:
    lots = sa.table("lots", sa.column("id"), sa.column("variant_id"), sa.column("number"))
    op.bulk_insert(lots, [{"id": 0, "variant_id": None, "number": ""}])
    locations = sa.table(
        "locations",
        *(sa.column(c) for c in ("id", "code", "name", "kind", "path", "sort_key", "is_virtual", "keeps_levels")),
    )
    op.bulk_insert(
        locations,
        [
            {
                "id": i,
                "code": code,
                "name": name,
                "kind": kind,
                "path": f"/{i}/",
                "sort_key": "",
                "is_virtual": True,
                "keeps_levels": keeps,
            }
            for i, (code, name, kind, keeps) in enumerate(VIRTUAL_LOCATIONS, start=1)
        ],
    )
    reasons = sa.table("reason_codes", *(sa.column(c) for c in ("code", "description", "direction", "user_selectable")))
    op.bulk_insert(
        reasons,
        [{"code": c, "description": d, "direction": w, "user_selectable": u} for c, d, w, u in REASON_CODES],
    )
    users = sa.table("users", *(sa.column(c) for c in ("id", "username", "display_name", "role", "active")))
    op.bulk_insert(users, [{"id": 1, "username": "owner", "display_name": "Owner", "role": "owner", "active": True}])
    if op.get_bind().dialect.name == "postgresql":
        for table in ("locations", "users"):
            op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
