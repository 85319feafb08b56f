"""Writing the materialized levels: the one place that decides how a level row is locked.

A delta that is itself a valid level (only additions) is upserted; anything that takes stock
away goes through a guarded path that refuses, rather than fails, when the row has too little.
(An upsert cannot carry a negative delta: both engines check the CHECK constraints on the row to
be inserted before they look for the conflict.)
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.contention import ContentionTracker
from ..domain.postings import LevelKey
from ..domain.quantities import Level, LevelDelta
from .records import LevelRecord

levels = LevelRecord.__table__


class LockMode(StrEnum):
    CONDITIONAL = "conditional"
    """One guarded UPDATE per level row: the database checks and writes in a single statement."""
    OPTIMISTIC = "optimistic"
    """Read the row's version, check in Python, write if the version is unchanged, else retry;
    items that retry too often switch to row locks (SELECT ... FOR UPDATE)."""


MAX_OPTIMISTIC_RETRIES = 50


class LevelRefused(Exception):
    """The level row holds too little for the delta; carries what it does hold."""

    def __init__(self, key: LevelKey, current: Level, delta: LevelDelta) -> None:
        super().__init__(key, current, delta)
        self.key = key
        self.current = current
        self.delta = delta


def _key_filter(key: LevelKey):
    variant_id, location_id, lot_id = key
    return (levels.c.variant_id == variant_id, levels.c.location_id == location_id, levels.c.lot_id == lot_id)


def _returning_level(stmt):
    return stmt.returning(levels.c.on_hand, levels.c.reserved, levels.c.quarantined)


def upsert(conn: Connection, key: LevelKey, delta: LevelDelta) -> Level:
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    variant_id, location_id, lot_id = key
    stmt = insert(levels).values(
        variant_id=variant_id,
        location_id=location_id,
        lot_id=lot_id,
        on_hand=delta.on_hand,
        reserved=delta.reserved,
        quarantined=delta.quarantined,
        version=0,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[levels.c.variant_id, levels.c.location_id, levels.c.lot_id],
        set_={
            "on_hand": levels.c.on_hand + delta.on_hand,
            "reserved": levels.c.reserved + delta.reserved,
            "quarantined": levels.c.quarantined + delta.quarantined,
            "version": levels.c.version + 1,
        },
    )
    return Level(*conn.execute(_returning_level(stmt)).one())


def _write(key: LevelKey, delta: LevelDelta, *guards):
    return _returning_level(
        update(levels)
        .where(*_key_filter(key), *guards)
        .values(
            on_hand=levels.c.on_hand + delta.on_hand,
            reserved=levels.c.reserved + delta.reserved,
            quarantined=levels.c.quarantined + delta.quarantined,
            version=levels.c.version + 1,
        )
    )


def guarded_update(conn: Connection, key: LevelKey, delta: LevelDelta) -> Level:
    """Check and write in one statement: under contention the database re-checks the row it waited for."""
    on_hand = levels.c.on_hand + delta.on_hand
    reserved = levels.c.reserved + delta.reserved
    quarantined = levels.c.quarantined + delta.quarantined
    row = conn.execute(
        _write(key, delta, on_hand >= 0, reserved >= 0, quarantined >= 0, reserved + quarantined <= on_hand)
    ).one_or_none()
    if row is None:
        raise LevelRefused(key, read(conn, key), delta)
    return Level(*row)


def optimistic_update(conn: Connection, key: LevelKey, delta: LevelDelta, tracker: ContentionTracker) -> Level:
    """Version-checked write with retries; hot items are served with a row lock instead."""
    lock = tracker.is_hot(key) and conn.dialect.name == "postgresql"
    retries = 0
    while True:
        query = select(levels.c.on_hand, levels.c.reserved, levels.c.quarantined, levels.c.version).where(
            *_key_filter(key)
        )
        row = conn.execute(query.with_for_update() if lock else query).one_or_none()
        current = Level(*row[:3]) if row else Level()
        after = LevelDelta(current.on_hand, current.reserved, current.quarantined) + delta
        if row is None or not after.is_valid_level:
            tracker.record(key, retries)
            raise LevelRefused(key, current, delta)
        written = conn.execute(_write(key, delta, levels.c.version == row.version)).one_or_none()
        if written is not None:
            tracker.record(key, retries)
            return Level(*written)
        retries += 1
        if retries >= MAX_OPTIMISTIC_RETRIES:
            lock = conn.dialect.name == "postgresql"


def read(conn: Connection, key: LevelKey) -> Level:
    row = conn.execute(
        select(levels.c.on_hand, levels.c.reserved, levels.c.quarantined).where(*_key_filter(key))
    ).one_or_none()
    return Level(*row) if row else Level()
