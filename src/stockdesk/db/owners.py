"""Which document a posting belongs to: a purchase order's receipt, a sales order's shipment, or a
return against a shipment. Their stock is changed only by the document's own steps, never by reversing
one movement of it, which would leave the document's counters telling a different story."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Connection, literal, select, union_all

from .records import purchase_receipts, sales_returns, shipments


class PostingOwner(NamedTuple):
    kind: str
    """'receipt' (of a purchase order), 'shipment' or 'return' (of a sales order)."""
    document_id: int
    """The receipt's id, or the shipment's (for a return: the shipment it came back against)."""
    order_id: int
    """The purchase order's id for a receipt, the sales order's otherwise."""


def posting_owner(conn: Connection, posting_id: int) -> PostingOwner | None:
    returned = shipments.alias("returned")
    found = conn.execute(
        union_all(
            select(literal("receipt"), purchase_receipts.c.id, purchase_receipts.c.po_id).where(
                purchase_receipts.c.posting_id == posting_id
            ),
            select(literal("shipment"), shipments.c.id, shipments.c.order_id).where(
                shipments.c.posting_id == posting_id
            ),
            select(literal("return"), returned.c.id, returned.c.order_id)
            .join(sales_returns, sales_returns.c.shipment_id == returned.c.id)
            .where(sales_returns.c.posting_id == posting_id),
        )
    ).first()
    return PostingOwner(*found) if found else None
