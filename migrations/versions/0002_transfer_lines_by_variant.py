"""index transfer lines by variant

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Every stock read adds what picked transfers are bringing in for the item; without this index
PostgreSQL scanned all of a year's transfer lines on each read.
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("transfer_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transfer_lines_variant_id"), ["variant_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("transfer_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfer_lines_variant_id"))
