"""Read queries behind the reorder list: the rules, and what is already on its way to each site
without being in the stock picture yet (transfers asked for, purchase orders still in draft)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, func, select

from .records import (
    locations,
    purchase_order_lines,
    purchase_orders,
    reorder_rules,
    suppliers,
    transfer_lines,
    transfers,
    variants,
)


def rules(conn: Connection):
    """Every rule with its item (and the item's catalogue reorder point), site and (active) supplier,
    by site then SKU."""
    site = locations.alias("site")
    return conn.execute(
        select(
            reorder_rules.c.variant_id,
            reorder_rules.c.site_id,
            reorder_rules.c.reorder_point,
            reorder_rules.c.max_qty,
            variants.c.sku,
            variants.c.name,
            variants.c.reorder_point.label("item_reorder_point"),
            site.c.code.label("site"),
            suppliers.c.code.label("supplier"),
        )
        .join(variants, variants.c.id == reorder_rules.c.variant_id)
        .join(site, site.c.id == reorder_rules.c.site_id)
        .outerjoin(suppliers, (suppliers.c.id == reorder_rules.c.supplier_id) & suppliers.c.active.is_(True))
        .order_by(site.c.code, variants.c.sku)
    ).all()


def sites(conn: Connection) -> dict[int, str]:
    return dict(conn.execute(select(locations.c.id, locations.c.code).where(locations.c.kind == "site")).all())


def requested_transfers(conn: Connection, variant_ids: Collection[int]) -> list[tuple[int, int, int, int]]:
    """(variant_id, from site, to site, qty) on transfers requested or approved but not yet picked."""
    src = locations.alias("src")
    dst = locations.alias("dst")
    return [
        (v, a, b, int(q))
        for v, a, b, q in conn.execute(
            select(transfer_lines.c.variant_id, src.c.site_id, dst.c.site_id, func.sum(transfer_lines.c.qty_requested))
            .join(transfers, transfers.c.id == transfer_lines.c.transfer_id)
            .join(src, src.c.id == transfers.c.from_location_id)
            .join(dst, dst.c.id == transfers.c.to_location_id)
            .where(
                transfers.c.status.in_(("requested", "approved")),
                transfer_lines.c.variant_id.in_(list(variant_ids)),
            )
            .group_by(transfer_lines.c.variant_id, src.c.site_id, dst.c.site_id)
        )
    ]


def drafted_orders(conn: Connection, variant_ids: Collection[int]) -> dict[tuple[int, int], int]:
    """(variant_id, site) -> units on purchase orders still in draft for that site."""
    place = locations.alias("place")
    rows = conn.execute(
        select(purchase_order_lines.c.variant_id, place.c.site_id, func.sum(purchase_order_lines.c.qty_ordered))
        .join(purchase_orders, purchase_orders.c.id == purchase_order_lines.c.po_id)
        .join(place, place.c.id == purchase_orders.c.deliver_to_id)
        .where(purchase_orders.c.status == "draft", purchase_order_lines.c.variant_id.in_(list(variant_ids)))
        .group_by(purchase_order_lines.c.variant_id, place.c.site_id)
    )
    return {(v, s): int(q) for v, s, q in rows}
