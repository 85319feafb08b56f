"""The stock picture's statements: shelf levels plus what transfers are bringing in and what open
purchase orders are still to deliver, grouped per location, site or item. One statement per shape,
built once; values come as parameters."""

from __future__ import annotations

import functools

from sqlalchemy import bindparam, case, func, literal, literal_column, null, or_, select, union_all

from ..domain.catalog import GroupBy
from .records import (
    PO_LINE_ON_ORDER,
    levels,
    locations,
    lots,
    purchase_order_lines,
    purchase_orders,
    transfer_lines,
    transfers,
    variants,
)

# A line is in transit for what was picked and not yet settled (received, damaged or short):
# zero before the pick and after the receipt, so no status filter is needed, and the partial
# index of open lines serves every read that compares it with a literal 0 (see `is_in_transit`).
open_line_qty = (
    transfer_lines.c.qty_picked
    - transfer_lines.c.qty_received
    - transfer_lines.c.qty_damaged
    - transfer_lines.c.qty_short
)


def is_in_transit():
    """The condition spelled as the partial index ix_transfer_lines_open is, so it serves the read."""
    return open_line_qty > literal_column("0")


def is_on_order():
    """The condition spelled as the partial index ix_purchase_order_lines_on_order is."""
    return literal_column(PO_LINE_ON_ORDER)


QUANTITIES = ("on_hand", "reserved", "quarantined", "in_transit", "on_order")


@functools.cache
def stock_statement(
    group_by: GroupBy, one_variant: bool, within: bool, include_zero: bool, some_variants: bool = False
):
    """The stock picture's statement for one shape, built once; values come as parameters.

    Shelf levels, plus what picked transfers are bringing to each destination (in transit) and
    what sent purchase orders are still to deliver there (on order). `some_variants` limits it to
    the ids in the expanding parameter `variant_ids` (a screen's page).
    """
    on_shelf = select(
        levels.c.variant_id,
        levels.c.location_id,
        levels.c.lot_id,
        levels.c.on_hand,
        levels.c.reserved,
        levels.c.quarantined,
        literal(0).label("in_transit"),
        literal(0).label("on_order"),
    ).where(levels.c.location_id != select(locations.c.id).where(locations.c.kind == "transit").scalar_subquery())
    incoming = (
        select(
            transfer_lines.c.variant_id,
            transfers.c.to_location_id.label("location_id"),
            literal(0).label("lot_id"),
            literal(0).label("on_hand"),
            literal(0).label("reserved"),
            literal(0).label("quarantined"),
            open_line_qty.label("in_transit"),
            literal(0).label("on_order"),
        )
        .join(transfers, transfers.c.id == transfer_lines.c.transfer_id)
        .where(is_in_transit())
    )
    ordered = (
        select(
            purchase_order_lines.c.variant_id,
            purchase_orders.c.deliver_to_id.label("location_id"),
            literal(0).label("lot_id"),
            literal(0).label("on_hand"),
            literal(0).label("reserved"),
            literal(0).label("quarantined"),
            literal(0).label("in_transit"),
            purchase_order_lines.c.qty_on_order.label("on_order"),
        )
        .join(purchase_orders, purchase_orders.c.id == purchase_order_lines.c.po_id)
        .where(is_on_order())
    )
    if one_variant:
        code = bindparam("variant_code")
        wanted = (
            select(variants.c.id)
            .where(or_(variants.c.sku == code, variants.c.barcode == code))
            .order_by(case((variants.c.sku == code, 0), else_=1))
            .limit(1)
            .scalar_subquery()
        )
        on_shelf = on_shelf.where(levels.c.variant_id == wanted)
        incoming = incoming.where(transfer_lines.c.variant_id == wanted)
        ordered = ordered.where(purchase_order_lines.c.variant_id == wanted)
    if some_variants:
        wanted_ids = bindparam("variant_ids", expanding=True)
        on_shelf = on_shelf.where(levels.c.variant_id.in_(wanted_ids))
        incoming = incoming.where(transfer_lines.c.variant_id.in_(wanted_ids))
        ordered = ordered.where(purchase_order_lines.c.variant_id.in_(wanted_ids))
    parts = union_all(on_shelf, incoming, ordered).subquery("parts")
    sums = [func.sum(parts.c[c]).label(c) for c in QUANTITIES]
    item = [variants.c.id, variants.c.sku, variants.c.name, variants.c.reorder_point]
    if group_by is GroupBy.VARIANT and not within:
        # One total per item: no place, site or lot to look up (levels only exist for shelves and transit).
        totals = (
            select(*item, *sums).select_from(parts).join(variants, variants.c.id == parts.c.variant_id).group_by(*item)
        )
        if not include_zero:
            totals = totals.having(or_(*(s != 0 for s in sums)))
        inner = totals.subquery("stock")
        return select(
            *(inner.c[c.name] for c in item),
            null().label("loc_id"),
            null().label("loc_code"),
            literal(0).label("lot_key"),
            *(inner.c[c.name] for c in sums),
            literal("").label("number"),
            null().label("expires_on"),
        ).order_by(inner.c.sku)
    place = locations.alias("place")
    site = locations.alias("site")
    if group_by is GroupBy.SITE:
        loc_id, loc_code, lot_id = site.c.id, site.c.code, parts.c.lot_id
    elif group_by is GroupBy.VARIANT:
        loc_id, loc_code, lot_id = null(), null(), literal(0)
    else:
        loc_id, loc_code, lot_id = place.c.id, place.c.code, parts.c.lot_id
    keys = [*item, loc_id.label("loc_id"), loc_code.label("loc_code"), lot_id.label("lot_key")]
    query = (
        select(*keys, *sums)
        .select_from(parts)
        .join(variants, variants.c.id == parts.c.variant_id)
        .join(place, place.c.id == parts.c.location_id)
        .join(site, site.c.id == place.c.site_id)
        # PostgreSQL refuses constants (the NULL place and lot 0 of a per-variant total) in GROUP BY.
        .group_by(*(item if group_by is GroupBy.VARIANT else keys))
    )
    if within:
        query = query.where(place.c.path.startswith(bindparam("within")))
    if not include_zero:
        query = query.having(or_(*(s != 0 for s in sums)))
    inner = query.subquery("stock")
    return (
        select(inner, lots.c.number, lots.c.expires_on)
        .join(lots, lots.c.id == inner.c.lot_key)
        .order_by(
            inner.c.sku,
            inner.c.loc_code,
            case((lots.c.expires_on.is_(None), 1), else_=0),  # no expiry last on both engines
            lots.c.expires_on,
            inner.c.lot_key,
        )
    )
