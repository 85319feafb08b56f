"""index the transfer lines in transit by variant

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Every stock read adds what picked transfers are bringing in for the item; without this index
PostgreSQL scanned all of a year's transfer lines on each read. Partial: only lines in transit,
so the index stays as small as the number of open transfers.
"""

import sqlalchemy as sa
from alembic import op

OPEN = "qty_picked - qty_received - qty_damaged - qty_short > 0"

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("transfer_lines", schema=None) as batch_op:
        batch_op.create_index(
            "ix_transfer_lines_open",
            ["variant_id"],
            unique=False,
            postgresql_where=sa.text(OPEN),
            sqlite_where=sa.text(OPEN),
        )


def downgrade() -> None:
    with op.batch_alter_table("transfer_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_transfer_lines_open")
