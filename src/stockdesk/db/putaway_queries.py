"""Read queries behind putaway: the candidate bins of a site, what an item holds where, and what a
purchase order's receipts left at its receiving place."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Connection, and_, case, exists, func, or_, select

from ..domain.quantities import Kind
from .records import levels, locations, lots, movements, postings, serials

# Per place, through the levels' location index: only the site's own rows are summed.
_on_hand = (
    select(func.coalesce(func.sum(levels.c.on_hand), 0))
    .where(levels.c.location_id == locations.c.id)
    .correlate(locations)
    .scalar_subquery()
)


def candidate_bins(conn: Connection, site_id: int):
    """(id, code, path, capacity, on_hand) of the site's bins in walking order; a site laid out
    without bins offers its leaf locations instead."""
    child = locations.alias("child")
    query = (
        select(
            locations.c.id,
            locations.c.code,
            locations.c.path,
            locations.c.capacity,
            _on_hand.label("on_hand"),
        )
        .where(locations.c.site_id == site_id, locations.c.is_virtual.is_(False))
        .order_by(locations.c.sort_key, locations.c.code)
    )
    bins = conn.execute(query.where(locations.c.kind == "bin")).all()
    if bins:
        return bins
    return conn.execute(query.where(~exists().where(child.c.parent_id == locations.c.id))).all()


def on_hand_at(conn: Connection, location_id: int) -> int:
    """Units of every item at one place: what fills its capacity."""
    return int(
        conn.execute(
            select(func.coalesce(func.sum(levels.c.on_hand), 0)).where(levels.c.location_id == location_id)
        ).scalar_one()
    )


def lot_expiries_within(conn: Connection, variant_id: int, path: str) -> dict[int, list[date | None]]:
    """Per location in the subtree that holds the item: the expiry dates of its lots there."""
    rows = conn.execute(
        select(levels.c.location_id, lots.c.expires_on)
        .join(lots, lots.c.id == levels.c.lot_id)
        .join(locations, locations.c.id == levels.c.location_id)
        .where(levels.c.variant_id == variant_id, levels.c.on_hand > 0, locations.c.path.startswith(path))
    )
    held: dict[int, list[date | None]] = defaultdict(list)
    for location_id, expires_on in rows:
        held[location_id].append(expires_on)
    return held


def _of_order(reference: str):
    return select(postings.c.id).where(postings.c.reference == reference)


def order_leftovers(conn: Connection, reference: str, location_id: int) -> list[tuple[int, int, int]]:
    """(variant_id, lot_id, qty) an order's receipts put into available stock at `location_id`, less
    what put-aways for that order already moved away, capped by what is available there now."""
    received_here = and_(
        movements.c.kind == Kind.RECEIVE.value,
        movements.c.to_location_id == location_id,
        movements.c.to_bucket == "A",
    )
    put_away = and_(
        movements.c.kind == Kind.PUTAWAY.value,
        movements.c.from_location_id == location_id,
        movements.c.from_bucket == "A",
    )
    signed = case((movements.c.kind == Kind.RECEIVE.value, movements.c.qty), else_=-movements.c.qty)
    left = (
        select(movements.c.variant_id, movements.c.lot_id, func.sum(signed).label("qty"))
        .where(movements.c.posting_id.in_(_of_order(reference)), or_(received_here, put_away))
        .group_by(movements.c.variant_id, movements.c.lot_id)
        .subquery("left_over")
    )
    available = levels.c.on_hand - levels.c.reserved - levels.c.quarantined
    rows = conn.execute(
        select(left.c.variant_id, left.c.lot_id, left.c.qty, available.label("available"))
        .join(
            levels,
            and_(
                levels.c.variant_id == left.c.variant_id,
                levels.c.lot_id == left.c.lot_id,
                levels.c.location_id == location_id,
            ),
        )
        .order_by(left.c.variant_id, left.c.lot_id)
    )
    return [(v, lot, min(int(qty), int(free))) for v, lot, qty, free in rows if min(qty, free) > 0]


def order_serials_at(conn: Connection, reference: str, location_id: int) -> dict[tuple[int, int], list[str]]:
    """Serial numbers an order's receipts brought in that are still free at `location_id`."""
    rows = conn.execute(
        select(serials.c.variant_id, serials.c.lot_id, serials.c.serial_number)
        .where(
            serials.c.location_id == location_id,
            serials.c.bucket == "A",
            serials.c.id.in_(
                select(movements.c.serial_id).where(
                    movements.c.posting_id.in_(_of_order(reference)), movements.c.kind == Kind.RECEIVE.value
                )
            ),
        )
        .order_by(serials.c.serial_number)
    )
    found: dict[tuple[int, int], list[str]] = defaultdict(list)
    for variant_id, lot_id, number in rows:
        found[(variant_id, lot_id)].append(number)
    return found
