"""Recompute every projection from the ledger and compare with what is stored.

Written as UNION ALL ... GROUP BY, which both engines run in one linear pass (a FULL OUTER JOIN
form is planned as a nested loop on SQLite).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, case, delete, func, literal, or_, select, union_all, update

from ..domain.quantities import Level, LevelDelta
from .levels import upsert
from .records import (
    ReconciliationRecord,
    levels,
    locations,
    lots,
    movements,
    postings,
    purchase_order_lines,
    reservations,
    serials,
    variants,
)


@dataclass(frozen=True)
class Drift:
    what: str
    """'level', 'reservation', 'serial', or a document's counter that mirrors stock (db/document_drift.py):
    'on order' (a purchase order line's qty_on_order) or 'order line' (a sales order line's qty_reserved)."""
    sku: str
    location: str
    lot: str | None
    stored: str
    ledger: str
    key: tuple
    repairable: bool = True
    """False when the ledger cannot say what the stored value should be: reported, never repaired."""


def _bucket_qty(bucket_column, bucket: str, qty):
    return case((bucket_column == bucket, qty), else_=0)


def level_drift(conn: Connection) -> list[Drift]:
    tracked = select(locations.c.id).where(locations.c.keeps_levels.is_(True))
    zero = literal(0)
    incoming = select(
        movements.c.variant_id,
        movements.c.to_location_id.label("location_id"),
        movements.c.lot_id,
        movements.c.qty.label("l_oh"),
        _bucket_qty(movements.c.to_bucket, "R", movements.c.qty).label("l_r"),
        _bucket_qty(movements.c.to_bucket, "Q", movements.c.qty).label("l_q"),
        zero.label("s_oh"),
        zero.label("s_r"),
        zero.label("s_q"),
    ).where(movements.c.to_location_id.in_(tracked))
    outgoing = select(
        movements.c.variant_id,
        movements.c.from_location_id,
        movements.c.lot_id,
        -movements.c.qty,
        -_bucket_qty(movements.c.from_bucket, "R", movements.c.qty),
        -_bucket_qty(movements.c.from_bucket, "Q", movements.c.qty),
        zero,
        zero,
        zero,
    ).where(movements.c.from_location_id.in_(tracked))
    stored = select(
        levels.c.variant_id,
        levels.c.location_id,
        levels.c.lot_id,
        zero,
        zero,
        zero,
        levels.c.on_hand,
        levels.c.reserved,
        levels.c.quarantined,
    )
    legs = union_all(incoming, outgoing, stored).subquery("legs")
    sums = {c: func.sum(legs.c[c]).label(c) for c in ("l_oh", "l_r", "l_q", "s_oh", "s_r", "s_q")}
    query = (
        select(legs.c.variant_id, legs.c.location_id, legs.c.lot_id, *sums.values())
        .group_by(legs.c.variant_id, legs.c.location_id, legs.c.lot_id)
        .having(or_(sums["l_oh"] != sums["s_oh"], sums["l_r"] != sums["s_r"], sums["l_q"] != sums["s_q"]))
    )
    rows = conn.execute(query).all()
    names = _names(conn, {(r.variant_id, r.location_id, r.lot_id) for r in rows})
    return [
        Drift(
            "level",
            *names[(r.variant_id, r.location_id, r.lot_id)],
            stored=f"on hand {r.s_oh}, reserved {r.s_r}, quarantined {r.s_q}",
            ledger=f"on hand {r.l_oh}, reserved {r.l_r}, quarantined {r.l_q}",
            key=(r.variant_id, r.location_id, r.lot_id, Level(int(r.l_oh), int(r.l_r), int(r.l_q))),
        )
        for r in rows
    ]


def reservation_drift(conn: Connection) -> list[Drift]:
    legs = union_all(
        select(
            postings.c.reference.label("order_ref"),
            movements.c.variant_id,
            movements.c.to_location_id.label("location_id"),
            movements.c.lot_id,
            movements.c.qty.label("led"),
            literal(0).label("sto"),
        )
        .join(postings, postings.c.id == movements.c.posting_id)
        .where(movements.c.to_bucket == "R"),
        select(
            postings.c.reference,
            movements.c.variant_id,
            movements.c.from_location_id,
            movements.c.lot_id,
            -movements.c.qty,
            literal(0),
        )
        .join(postings, postings.c.id == movements.c.posting_id)
        .where(movements.c.from_bucket == "R"),
        select(
            reservations.c.order_ref,
            reservations.c.variant_id,
            reservations.c.location_id,
            reservations.c.lot_id,
            literal(0),
            reservations.c.qty,
        ),
    ).subquery("legs")
    led, sto = func.sum(legs.c.led), func.sum(legs.c.sto)
    rows = conn.execute(
        select(
            legs.c.order_ref, legs.c.variant_id, legs.c.location_id, legs.c.lot_id, led.label("led"), sto.label("sto")
        )
        .group_by(legs.c.order_ref, legs.c.variant_id, legs.c.location_id, legs.c.lot_id)
        .having(led != sto)
    ).all()
    names = _names(conn, {(r.variant_id, r.location_id, r.lot_id) for r in rows})
    return [
        Drift(
            "reservation",
            *names[(r.variant_id, r.location_id, r.lot_id)],
            stored=f"order {r.order_ref}: {r.sto}",
            ledger=f"order {r.order_ref}: {r.led}",
            key=(r.order_ref, r.variant_id, r.location_id, r.lot_id, int(r.led)),
        )
        for r in rows
    ]


def serial_drift(conn: Connection) -> list[Drift]:
    """A serial's stored place must be the destination of its last movement."""
    last = (
        select(movements.c.serial_id, func.max(movements.c.id).label("last_id"))
        .where(movements.c.serial_id.is_not(None))
        .group_by(movements.c.serial_id)
        .subquery("last")
    )
    final = movements.alias("final")
    rows = conn.execute(
        select(
            serials.c.id,
            serials.c.variant_id,
            serials.c.serial_number,
            serials.c.location_id,
            serials.c.bucket,
            serials.c.lot_id,
            final.c.to_location_id,
            final.c.to_bucket,
        )
        .join(last, last.c.serial_id == serials.c.id)
        .join(final, final.c.id == last.c.last_id)
        .where(
            or_(
                serials.c.location_id != final.c.to_location_id,
                serials.c.bucket != case((final.c.to_bucket == "Q", "Q"), else_="A"),
            )
        )
    ).all()
    names = _names(conn, {(r.variant_id, r.location_id, r.lot_id) for r in rows})
    ledger_places = _names(conn, {(r.variant_id, r.to_location_id, r.lot_id) for r in rows})
    return [
        Drift(
            "serial",
            *names[(r.variant_id, r.location_id, r.lot_id)],
            stored=f"serial {r.serial_number} at {names[(r.variant_id, r.location_id, r.lot_id)][1]}"
            f"{' (on hold)' if r.bucket == 'Q' else ''}",
            ledger=f"serial {r.serial_number} at {ledger_places[(r.variant_id, r.to_location_id, r.lot_id)][1]}",
            key=(r.id, r.to_location_id, "Q" if r.to_bucket == "Q" else "A"),
        )
        for r in rows
    ]


def hold_writers(conn: Connection) -> None:
    """Before a repair: keep postings from changing the projections between the comparison and the fix.

    SQLite's writer already holds the whole file (BEGIN IMMEDIATE); PostgreSQL takes an EXCLUSIVE
    lock on the projection tables, which lets reads go on and makes writers wait for the commit.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("LOCK TABLE levels, reservations, serials, purchase_order_lines IN EXCLUSIVE MODE")


def repair(conn: Connection, drifts: list[Drift]) -> None:
    """Set each drifting projection row to what the ledger says."""
    for drift in drifts:
        if drift.what == "level":
            variant_id, location_id, lot_id, level = drift.key
            match = and_(
                levels.c.variant_id == variant_id, levels.c.location_id == location_id, levels.c.lot_id == lot_id
            )
            conn.execute(delete(levels).where(match))
            upsert(
                conn, (variant_id, location_id, lot_id), LevelDelta(level.on_hand, level.reserved, level.quarantined)
            )
        elif drift.what == "reservation":
            order_ref, variant_id, location_id, lot_id, qty = drift.key
            match = and_(
                reservations.c.order_ref == order_ref,
                reservations.c.variant_id == variant_id,
                reservations.c.location_id == location_id,
                reservations.c.lot_id == lot_id,
            )
            conn.execute(delete(reservations).where(match))
            conn.execute(
                reservations.insert().values(
                    order_ref=order_ref, variant_id=variant_id, location_id=location_id, lot_id=lot_id, qty=qty
                )
            )
        elif drift.what == "on order":
            line_id, expected = drift.key
            conn.execute(
                update(purchase_order_lines).where(purchase_order_lines.c.id == line_id).values(qty_on_order=expected)
            )
        else:
            serial_id, location_id, bucket = drift.key
            conn.execute(
                update(serials).where(serials.c.id == serial_id).values(location_id=location_id, bucket=bucket)
            )


def record_repair(conn: Connection, drifts: Sequence[Drift], *, user_id: int, at: datetime) -> int:
    """A repair is itself recorded: who, when, and every row it set to the ledger's values."""
    runs = ReconciliationRecord.__table__
    return conn.execute(
        runs.insert()
        .values(
            run_at=at,
            user_id=user_id,
            drift_rows=len(drifts),
            repaired=True,
            details=[{k: v for k, v in asdict(d).items() if k != "key"} for d in drifts],
        )
        .returning(runs.c.id)
    ).scalar_one()


def _names(
    conn: Connection, keys: set[tuple[int, int, int]]
) -> dict[tuple[int, int, int], tuple[str, str, str | None]]:
    found = {}
    for variant_id, location_id, lot_id in keys:
        sku = conn.execute(select(variants.c.sku).where(variants.c.id == variant_id)).scalar_one()
        code = conn.execute(select(locations.c.code).where(locations.c.id == location_id)).scalar_one()
        lot = conn.execute(select(lots.c.number).where(lots.c.id == lot_id)).scalar_one()
        found[(variant_id, location_id, lot_id)] = (sku, code, lot or None)
    return found
