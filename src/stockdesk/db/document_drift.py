"""Document counters that mirror stock, checked against what they mirror: a purchase order line's
on order (against its outstanding quantity) and a sales order line's reserved count (against the
order's reservations). Reported with the ledger's drifts by services/reconcile.py."""

from __future__ import annotations

from sqlalchemy import Connection, String, and_, case, cast, func, literal, select

from ..domain.sales import ORDER_PREFIX, order_reference
from .reconcile import Drift
from .records import (
    locations,
    purchase_order_lines,
    purchase_orders,
    reservations,
    sales_order_lines,
    sales_orders,
    variants,
)


def on_order_drift(conn: Connection) -> list[Drift]:
    """A purchase order line is on order for what is still outstanding while the order is sent or
    partly received, and for nothing otherwise (draft, received, closed, cancelled)."""
    lines = purchase_order_lines.c
    outstanding = lines.qty_ordered - lines.qty_received - lines.qty_damaged
    expected = case(
        (and_(purchase_orders.c.status.in_(("sent", "partial")), outstanding > 0), outstanding), else_=0
    ).label("expected")
    rows = conn.execute(
        select(lines.id, lines.po_id, lines.qty_on_order, expected, variants.c.sku, locations.c.code)
        .join(purchase_orders, purchase_orders.c.id == lines.po_id)
        .join(variants, variants.c.id == lines.variant_id)
        .join(locations, locations.c.id == purchase_orders.c.deliver_to_id)
        .where(lines.qty_on_order != expected)
        .order_by(lines.id)
    ).all()
    return [
        Drift(
            "on order",
            r.sku,
            r.code,
            None,
            stored=f"PO-{r.po_id}: on order {r.qty_on_order}",
            ledger=f"PO-{r.po_id}: outstanding {r.expected}",
            key=(r.id, int(r.expected)),
        )
        for r in rows
    ]


def order_line_drift(conn: Connection) -> list[Drift]:
    """A sales order line's qty_reserved equals the order's reservations (order_ref SO-<id>) of its item,
    summed over places and lots. Reported only: the ledger says what the order holds, not which of the
    order's counters (reserved, packed, shipped) went wrong, so a repair leaves the line to a person."""
    lines = sales_order_lines.c
    per_item = (
        select(lines.order_id, lines.variant_id, func.sum(lines.qty_reserved).label("reserved"))
        .group_by(lines.order_id, lines.variant_id)
        .subquery("per_item")
    )
    held = (
        select(func.coalesce(func.sum(reservations.c.qty), 0))
        .where(
            reservations.c.order_ref == literal(ORDER_PREFIX) + cast(per_item.c.order_id, String),
            reservations.c.variant_id == per_item.c.variant_id,
        )
        .scalar_subquery()
        .label("held")
    )
    sums = select(per_item, held).subquery("sums")
    rows = conn.execute(
        select(sums, variants.c.sku, locations.c.code)
        .join(variants, variants.c.id == sums.c.variant_id)
        .join(sales_orders, sales_orders.c.id == sums.c.order_id)
        .outerjoin(locations, locations.c.id == sales_orders.c.site_id)
        .where(sums.c.reserved != sums.c.held)
        .order_by(sums.c.order_id, variants.c.sku)
    ).all()
    return [
        Drift(
            "order line",
            r.sku,
            r.code or "-",
            None,
            stored=f"{order_reference(r.order_id)} line: reserved {r.reserved}",
            ledger=f"{order_reference(r.order_id)} reservations: {r.held} (not repaired: check the order)",
            key=(r.order_id, r.variant_id),
            repairable=False,
        )
        for r in rows
    ]
