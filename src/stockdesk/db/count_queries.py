"""Read queries behind the cycle-count desk: which items a place holds, and which counts are still open."""

from __future__ import annotations

from sqlalchemy import Connection, distinct, func, select

from .records import count_lines, count_sessions, levels, locations, users, variants


def items_within(conn: Connection, path: str):
    """Per variant that has (or has had) stock in the subtree: its SKU, name and number of places."""
    return conn.execute(
        select(
            variants.c.id,
            variants.c.sku,
            variants.c.name,
            func.count(distinct(levels.c.location_id)).label("places"),
        )
        .join(levels, levels.c.variant_id == variants.c.id)
        .join(locations, locations.c.id == levels.c.location_id)
        .where(locations.c.path.startswith(path))
        .group_by(variants.c.id, variants.c.sku, variants.c.name)
        .order_by(variants.c.sku)
    ).all()


def open_sessions(conn: Connection, within: str | None = None):
    """Open counts (optionally only those inside a subtree), oldest first, with how far each has got."""
    query = (
        select(
            count_sessions.c.id,
            locations.c.code,
            count_sessions.c.started_at,
            users.c.username,
            func.count(count_lines.c.id).label("lines"),
            func.count(count_lines.c.counted_qty).label("counted"),
        )
        .join(locations, locations.c.id == count_sessions.c.location_id)
        .outerjoin(users, users.c.id == count_sessions.c.started_by)
        .outerjoin(count_lines, count_lines.c.session_id == count_sessions.c.id)
        .where(count_sessions.c.status == "open")
        .group_by(count_sessions.c.id, locations.c.code, count_sessions.c.started_at, users.c.username)
        .order_by(count_sessions.c.id)
    )
    if within is not None:
        query = query.where(locations.c.path.startswith(within))
    return conn.execute(query).all()
