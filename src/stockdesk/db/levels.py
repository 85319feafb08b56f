"""Writing the materialized levels: the one place that decides how a level row is locked.

A delta that is itself a valid level (only additions) is upserted; anything that takes stock
away goes through a guarded path that refuses, rather than fails, when the row has too little.
(An upsert cannot carry a negative delta: both engines check the CHECK constraints on the row to
be inserted before they look for the conflict.)
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.contention import ContentionTracker
from ..domain.postings import LevelKey
from ..domain.quantities import Level, LevelDelta
from .records import levels


class LockMode(StrEnum):
    CONDITIONAL = "conditional"
    """One guarded UPDATE per level row: the database checks and writes in a single statement."""
    OPTIMISTIC = "optimistic"
    """Read the row's version, check in Python, write if the version is unchanged, else retry;
    items that retry too often switch to row locks (SELECT ... FOR UPDATE)."""


MAX_OPTIMISTIC_RETRIES = 50


class BatchRefused(Exception):
    """A guarded executemany matched fewer rows than it was given: some row held too little, but the
    database does not say which. The caller rolls its transaction back and does the work again one
    row at a time, which names the row (see services/posting.py)."""


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


@functools.cache
def _upsert_statement(dialect_name: str):
    """Built once per dialect and executed with parameters (see `_upsert_params`): building a
    statement per posting cost more Python time than executing it."""
    insert = postgresql.insert if dialect_name == "postgresql" else sqlite.insert
    stmt = insert(levels)
    stmt = stmt.on_conflict_do_update(
        index_elements=[levels.c.variant_id, levels.c.location_id, levels.c.lot_id],
        set_={
            "on_hand": levels.c.on_hand + stmt.excluded.on_hand,
            "reserved": levels.c.reserved + stmt.excluded.reserved,
            "quarantined": levels.c.quarantined + stmt.excluded.quarantined,
            "version": levels.c.version + 1,
        },
    )
    return stmt


def _upsert_params(key: LevelKey, delta: LevelDelta) -> dict[str, int]:
    variant_id, location_id, lot_id = key
    return {
        "variant_id": variant_id,
        "location_id": location_id,
        "lot_id": lot_id,
        "on_hand": delta.on_hand,
        "reserved": delta.reserved,
        "quarantined": delta.quarantined,
        "version": 0,
    }


def upsert(conn: Connection, key: LevelKey, delta: LevelDelta) -> None:
    conn.execute(_upsert_statement(conn.dialect.name), _upsert_params(key, delta))


def _write(key: LevelKey, delta: LevelDelta, *guards):
    return (
        update(levels)
        .where(*_key_filter(key), *guards)
        .values(
            on_hand=levels.c.on_hand + delta.on_hand,
            reserved=levels.c.reserved + delta.reserved,
            quarantined=levels.c.quarantined + delta.quarantined,
            version=levels.c.version + 1,
        )
        .returning(levels.c.on_hand, levels.c.reserved, levels.c.quarantined)
    )


def _guarded_statement():
    d_oh, d_r, d_q = bindparam("d_oh"), bindparam("d_r"), bindparam("d_q")
    on_hand, reserved, quarantined = levels.c.on_hand + d_oh, levels.c.reserved + d_r, levels.c.quarantined + d_q
    return (
        update(levels)
        .where(
            levels.c.variant_id == bindparam("k_v"),
            levels.c.location_id == bindparam("k_loc"),
            levels.c.lot_id == bindparam("k_lot"),
            on_hand >= 0,
            reserved >= 0,
            quarantined >= 0,
            reserved + quarantined <= on_hand,
        )
        .values(on_hand=on_hand, reserved=reserved, quarantined=quarantined, version=levels.c.version + 1)
    )


_GUARDED = _guarded_statement()
"""Built once, executed with the key and delta as parameters (see `_guarded_params`)."""


def _guarded_params(key: LevelKey, delta: LevelDelta) -> dict[str, int]:
    variant_id, location_id, lot_id = key
    return {
        "k_v": variant_id,
        "k_loc": location_id,
        "k_lot": lot_id,
        "d_oh": delta.on_hand,
        "d_r": delta.reserved,
        "d_q": delta.quarantined,
    }


def guarded_update(conn: Connection, key: LevelKey, delta: LevelDelta) -> None:
    """Check and write in one statement: under contention the database re-checks the row it waited for."""
    if conn.execute(_GUARDED, _guarded_params(key, delta)).rowcount != 1:
        raise LevelRefused(key, read(conn, key), delta)


def guarded_update_batch(conn: Connection, deltas: Sequence[tuple[LevelKey, LevelDelta]]) -> None:
    """Several guarded updates, in the order given, in one executemany (one round trip on
    PostgreSQL); BatchRefused when any row held too little."""
    if conn.execute(_GUARDED, [_guarded_params(key, delta) for key, delta in deltas]).rowcount != len(deltas):
        raise BatchRefused


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


# -- many rows at once (imports) ----------------------------------------------------------------


def read_many(
    conn: Connection, variant_ids: set[int], location_ids: set[int], *, for_update: bool = False
) -> dict[LevelKey, Level]:
    """Every level row of these variants at these locations (a superset of the pairs asked about).

    With `for_update` the rows are locked on PostgreSQL (SQLite's writer already holds the file).
    """
    if not variant_ids or not location_ids:
        return {}
    query = (
        select(
            levels.c.variant_id,
            levels.c.location_id,
            levels.c.lot_id,
            levels.c.on_hand,
            levels.c.reserved,
            levels.c.quarantined,
        )
        .where(levels.c.variant_id.in_(sorted(variant_ids)), levels.c.location_id.in_(sorted(location_ids)))
        .order_by(levels.c.variant_id, levels.c.location_id, levels.c.lot_id)
    )
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return {(v, loc, lot): Level(oh, r, q) for v, loc, lot, oh, r, q in conn.execute(query)}


def upsert_many(conn: Connection, deltas: dict[LevelKey, LevelDelta]) -> None:
    """Add many valid-level deltas (receipts) in one executemany; each key at most once."""
    if deltas:
        conn.execute(
            _upsert_statement(conn.dialect.name),
            [_upsert_params(key, delta) for key, delta in sorted(deltas.items())],
        )


def guarded_update_many(conn: Connection, deltas: dict[LevelKey, LevelDelta]) -> None:
    """Apply many deltas that take stock away, each guarded like `guarded_update`; LevelRefused if any fails."""
    if not deltas:
        return
    ordered = sorted(deltas.items())
    try:
        guarded_update_batch(conn, ordered)
    except BatchRefused:
        # Some row held too little (the caller's checks were passed by a row changed under it):
        # name one; the caller's transaction is rolled back, so the rows already updated do not count.
        for key, delta in ordered:
            current = read(conn, key)
            after = LevelDelta(current.on_hand, current.reserved, current.quarantined) + delta
            if not after.is_valid_level:
                raise LevelRefused(key, current, delta) from None
        raise LevelRefused(ordered[0][0], read(conn, ordered[0][0]), ordered[0][1]) from None
