"""Where one lot still sits: its level rows on every shelf and in transit (the stock picture leaves
transit out and counts incoming transfers without their lots, so a recall needs its own read)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from .records import levels, locations, reservations


def lot_places(conn: Connection, lot_id: int):
    """(location_id, code, kind, on_hand, reserved, quarantined) wherever the lot has units, in walking order."""
    return list(
        conn.execute(
            select(
                locations.c.id.label("location_id"),
                locations.c.code,
                locations.c.kind,
                levels.c.on_hand,
                levels.c.reserved,
                levels.c.quarantined,
            )
            .join(locations, locations.c.id == levels.c.location_id)
            .where(levels.c.lot_id == lot_id, levels.c.on_hand > 0)
            .order_by(locations.c.is_virtual, locations.c.sort_key, locations.c.code)
        )
    )


def lot_reservations(conn: Connection, lot_id: int) -> list[str]:
    """The order references holding reserved units of the lot, so a recall can say whom to free them from."""
    return list(
        conn.scalars(
            select(reservations.c.order_ref)
            .where(reservations.c.lot_id == lot_id, reservations.c.qty > 0)
            .distinct()
            .order_by(reservations.c.order_ref)
        )
    )
