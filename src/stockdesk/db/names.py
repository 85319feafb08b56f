"""Codes and numbers by id (and back), remembered per database.

Everything cached here is immutable once committed (SKUs, locations, lot and serial numbers,
user names), so one cache shared by all threads and never invalidated stays correct across
desktops too. Barcodes can change and are never cached. What a unit of work looks up is kept
aside and shared only once its transaction has committed: a row it created itself and then
rolled back must not be remembered (SQLite hands the same id out again).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy import Connection, Table, bindparam, select

from .records import LocationRecord, LotRecord, SerialRecord, UserRecord, VariantRecord

V = TypeVar("V")
_LOOKUP_CHUNK = 500
"""Keys per look-up statement: well inside SQLite's limit on parameters."""


class NameCache:
    """The shared, committed part; each unit of work reads it through a `NameSession`."""

    def __init__(self) -> None:
        self.maps: dict[tuple[str, object], object] = {}

    def session(self) -> NameSession:
        return NameSession(self)


class NameSession:
    def __init__(self, cache: NameCache) -> None:
        self.cache = cache
        self.pending: dict[tuple[str, object], object] = {}

    def remember(self, kind: str, key, load: Callable[[], V | None]) -> V | None:
        """The known value, or `load()`'s (kept unless None: what is missing may be created later)."""
        slot = (kind, key)
        if slot in self.cache.maps:
            return self.cache.maps[slot]
        if slot in self.pending:
            return self.pending[slot]
        value = load()
        if value is not None:
            self.pending[slot] = value
        return value

    def publish(self) -> None:
        """Called once the transaction has committed (or, for a read, once it is over)."""
        self.cache.maps.update(self.pending)
        self.pending.clear()

    def _column(self, conn: Connection, table: Table, key_column: str, value_column: str, key):
        return self.remember(
            _kind(table, key_column, value_column),
            key,
            lambda: conn.execute(_lookup(table, key_column, value_column), {"key": key}).scalar_one_or_none(),
        )

    def _learn(self, conn: Connection, table: Table, key_column: str, value_column: str, keys: Iterable) -> None:
        """Look up, in one statement, the values of those `keys` not known yet."""
        kind = _kind(table, key_column, value_column)
        known, pending = self.cache.maps, self.pending
        missing = sorted({k for k in keys if (kind, k) not in known and (kind, k) not in pending})
        for start in range(0, len(missing), _LOOKUP_CHUNK):
            chunk = missing[start : start + _LOOKUP_CHUNK]
            for key, value in conn.execute(_lookup_many(table, key_column, value_column), {"keys": chunk}):
                self.pending[(kind, key)] = value

    def learn(self, conn: Connection, *, variant_ids: Iterable[int], location_ids: Iterable[int]) -> None:
        """Look up the SKUs and location codes of many rows at once (e.g. a posting's movements),
        instead of one statement per id not seen before."""
        self._learn(conn, VariantRecord.__table__, "id", "sku", variant_ids)
        self._learn(conn, LocationRecord.__table__, "id", "code", location_ids)

    def location_code(self, conn: Connection, location_id: int) -> str:
        return self._column(conn, LocationRecord.__table__, "id", "code", location_id)

    def sku(self, conn: Connection, variant_id: int) -> str:
        return self._column(conn, VariantRecord.__table__, "id", "sku", variant_id)

    def lot_number(self, conn: Connection, lot_id: int) -> str | None:
        return self._column(conn, LotRecord.__table__, "id", "number", lot_id) or None

    def serial_number(self, conn: Connection, serial_id: int | None) -> str | None:
        return (
            None if serial_id is None else self._column(conn, SerialRecord.__table__, "id", "serial_number", serial_id)
        )

    def username(self, conn: Connection, user_id: int | None) -> str | None:
        return None if user_id is None else self._column(conn, UserRecord.__table__, "id", "username", user_id)


@functools.cache
def _kind(table: Table, key_column: str, value_column: str) -> str:
    return f"{table.name}.{key_column}>{value_column}"


@functools.cache
def _lookup(table: Table, key_column: str, value_column: str):
    """Built once per column pair (building a select costs more than running it)."""
    return select(table.c[value_column]).where(table.c[key_column] == bindparam("key"))


@functools.cache
def _lookup_many(table: Table, key_column: str, value_column: str):
    return select(table.c[key_column], table.c[value_column]).where(
        table.c[key_column].in_(bindparam("keys", expanding=True))
    )
