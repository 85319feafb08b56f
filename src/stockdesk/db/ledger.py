"""Appending to the ledger and keeping its three projections (levels, reservations, serial
whereabouts) in step, in the caller's transaction.

Every projection change is derived from the movements themselves, so a reversal, a transfer or
a count updates them by the same rules as a sale: nothing else writes these tables.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, bindparam, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.errors import InsufficientStock, SerialConflict
from ..domain.postings import MovementDraft, level_deltas
from ..domain.quantities import Bucket, Level
from . import levels as level_rows
from . import reservations as reservation_rows
from .ledger_read import LedgerReader
from .records import movements, postings, serials

if TYPE_CHECKING:
    from .names import NameSession
    from .uow import Database


_POSTING_BY_KEY = select(postings.c.id, postings.c.fingerprint).where(postings.c.idempotency_key == bindparam("key"))


@functools.cache
def _insert_movements_statement(dialect_name: str):
    """One multi-row INSERT ... RETURNING id for a posting's movements.

    PostgreSQL numbers the rows in parameter order (SQLAlchemy's sentinel form). SQLite has no such
    form, so asking for that order makes SQLAlchemy insert row by row; but SQLite gives each new row
    the id one above the largest in the table, so the ids of one multi-row INSERT ascend with its
    VALUES rows, and sorting what RETURNING gives back pairs them up (see `append`)."""
    return insert(movements).returning(movements.c.id, sort_by_parameter_order=dialect_name == "postgresql")


@functools.cache
def _insert_posting_statement(dialect_name: str):
    """Built once per dialect and executed with the values as parameters: cheaper than building it per posting."""
    dialect_insert = postgresql.insert if dialect_name == "postgresql" else sqlite.insert
    return (
        dialect_insert(postings)
        .on_conflict_do_nothing(index_elements=[postings.c.idempotency_key])
        .returning(postings.c.id)
    )


_MOVE_SERIAL = (
    update(serials)
    .where(
        serials.c.id == bindparam("s_id"),
        serials.c.location_id == bindparam("s_from"),
        serials.c.bucket == bindparam("s_from_bucket"),
    )
    .values(location_id=bindparam("s_to"), bucket=bindparam("s_to_bucket"))
)
_SERIAL_NUMBER = select(serials.c.serial_number).where(serials.c.id == bindparam("s_id"))


class LedgerRepository(LedgerReader):
    """Appending postings and movements and keeping the projections in step (reading: LedgerReader)."""

    def __init__(self, conn: Connection, database: Database, names: NameSession) -> None:
        super().__init__(conn, names)
        self.database = database

    # -- postings ---------------------------------------------------------------------------

    def posting_by_key(self, key: str):
        return self.conn.execute(_POSTING_BY_KEY, {"key": key}).one_or_none()

    def insert_posting(self, header: dict) -> int | None:
        """Insert the posting header (the postings columns but id); None when another client
        committed the same idempotency key first."""
        return self.conn.execute(_insert_posting_statement(self.conn.dialect.name), header).scalar_one_or_none()

    def append(
        self,
        posting_id: int,
        reference: str | None,
        drafts: Sequence[MovementDraft],
        posted_at: datetime,
        *,
        row_by_row: bool = False,
    ) -> list[dict]:
        """Write the movements and update every projection; raises a typed refusal on shortfall.

        Guarded writes that take stock from several rows go in one executemany each, which raises
        BatchRefused on a shortfall; `row_by_row` writes them one at a time so the refusal names its row.
        Returns the movement rows as written (with their ids), for the posting's result.
        """
        if not drafts:  # e.g. a cycle count that matched the books: the posting records it, nothing moves
            return []
        rows = [
            {
                "posting_id": posting_id,
                "kind": d.kind.value,
                "variant_id": d.variant_id,
                "lot_id": d.lot_id,
                "serial_id": d.serial_id,
                "qty": d.qty,
                "from_location_id": d.source.location_id,
                "from_bucket": d.source.bucket.value,
                "to_location_id": d.dest.location_id,
                "to_bucket": d.dest.bucket.value,
                "before_qty": d.before_qty,
                "after_qty": d.after_qty,
                "reverses_id": d.reverses_id,
                "posted_at": posted_at,
            }
            for d in drafts
        ]
        ids = self.conn.execute(_insert_movements_statement(self.conn.dialect.name), rows).scalars().all()
        if self.conn.dialect.name != "postgresql":
            ids = sorted(ids)
        self._change_reservations(reservation_rows.deltas(reference, drafts), row_by_row=row_by_row)
        self._apply_serials(drafts)
        # Level rows last: a hot item's row stays locked only from here to the commit.
        self._apply_levels(drafts, row_by_row=row_by_row)
        return [{**row, "id": movement_id} for row, movement_id in zip(rows, ids, strict=True)]

    def append_bulk(
        self,
        headers: Sequence[dict],
        moves: Sequence[Sequence[dict]],
        level_changes: dict,
        reservation_changes: dict[tuple[str, int, int, int], int],
        serial_places: dict[int, tuple[int, str]],
    ) -> list[int]:
        """Many postings at once (imports), with executemany; returns the posting ids in order.

        The caller has checked every movement against the level rows it read (locked) in this
        transaction and passes the net change per projection row: level deltas (added by upsert,
        taken by guarded update), reservation deltas per (order, variant, location, lot), and the
        final (location, bucket) of each serial it moved.
        """
        if not headers:
            return []
        ids = self._new_posting_ids(len(headers))
        self.conn.execute(insert(postings), [{**h, "id": i} for h, i in zip(headers, ids, strict=True)])
        rows = [{**m, "posting_id": posting_id} for posting_id, ms in zip(ids, moves, strict=True) for m in ms]
        if rows:
            self.conn.execute(insert(movements), rows)
        adds = {k: d for k, d in level_changes.items() if d.is_valid_level}
        try:
            level_rows.upsert_many(self.conn, adds)
            level_rows.guarded_update_many(self.conn, {k: d for k, d in level_changes.items() if k not in adds})
        except level_rows.LevelRefused as refused:
            raise InsufficientStock(self._shortfall_message(refused)) from None
        self._change_reservations(reservation_changes, row_by_row=True)
        if serial_places:
            self.conn.execute(
                update(serials)
                .where(serials.c.id == bindparam("s_id"))
                .values(location_id=bindparam("s_loc"), bucket=bindparam("s_bucket")),
                [
                    {"s_id": s, "s_loc": loc, "s_bucket": _serial_bucket(Bucket(b))}
                    for s, (loc, b) in sorted(serial_places.items())
                ],
            )
        return ids

    def _new_posting_ids(self, count: int) -> list[int]:
        """Ids for `count` new postings, so the movements can name them without a RETURNING per row.

        PostgreSQL draws them from the table's sequence; on SQLite this transaction holds the
        database's write lock (BEGIN IMMEDIATE), so nobody else can take the ids after the highest.
        """
        if self.conn.dialect.name == "postgresql":
            drawn = self.conn.execute(
                text("SELECT nextval(pg_get_serial_sequence('postings', 'id')) FROM generate_series(1, :n)"),
                {"n": count},
            ).scalars()
            return sorted(drawn)
        highest = self.conn.execute(select(func.coalesce(func.max(postings.c.id), 0))).scalar_one()
        return list(range(highest + 1, highest + 1 + count))

    def existing_keys(self, keys: Sequence[str]) -> dict[str, str]:
        """Idempotency key -> fingerprint, for those of `keys` already posted."""
        if not keys:
            return {}
        query = select(postings.c.idempotency_key, postings.c.fingerprint).where(
            postings.c.idempotency_key.in_(list(keys))
        )
        return {key: print_ for key, print_ in self.conn.execute(query)}

    def existing_keys_between(self, low: str, high: str) -> dict[str, str]:
        """Idempotency key -> fingerprint for every key from `low` to `high`: one index range scan
        for keys that sort together, such as an import's row keys (an IN list of thousands is slower)."""
        query = select(postings.c.idempotency_key, postings.c.fingerprint).where(
            postings.c.idempotency_key >= low, postings.c.idempotency_key <= high
        )
        return {key: print_ for key, print_ in self.conn.execute(query)}

    def _apply_levels(self, drafts: Sequence[MovementDraft], *, row_by_row: bool) -> None:
        """Additions upserted, removals guarded; runs of either in one executemany, in key order
        (the order every writer locks level rows in, so two postings never deadlock)."""
        optimistic = self.database.lock_mode == level_rows.LockMode.OPTIMISTIC
        deltas = level_deltas(drafts, self.database.keeps_levels).items()
        for adding, run in itertools.groupby(deltas, key=lambda change: change[1].is_valid_level):
            run = list(run)
            try:
                if adding:
                    level_rows.upsert_many(self.conn, dict(run))
                elif len(run) > 1 and not (row_by_row or optimistic):
                    level_rows.guarded_update_batch(self.conn, run)
                else:
                    for key, delta in run:
                        if optimistic:
                            level_rows.optimistic_update(self.conn, key, delta, self.database.contention)
                        else:
                            level_rows.guarded_update(self.conn, key, delta)
            except level_rows.LevelRefused as refused:
                raise InsufficientStock(self._shortfall_message(refused)) from None

    def _change_reservations(self, changes: dict[reservation_rows.ReservationKey, int], *, row_by_row: bool) -> None:
        try:
            reservation_rows.apply(self.conn, changes, row_by_row=row_by_row)
        except reservation_rows.ReservationRefused as refused:
            order_ref, variant_id, location_id, _ = refused.key
            sku, location = self._names(variant_id, location_id)
            raise InsufficientStock(
                f"Order {order_ref} has {refused.held} of {sku} reserved at {location}, not {refused.wanted}."
            ) from None

    def _apply_serials(self, drafts: Sequence[MovementDraft]) -> None:
        for d in drafts:
            if d.serial_id is None:
                continue
            moved = self.conn.execute(
                _MOVE_SERIAL,
                {
                    "s_id": d.serial_id,
                    "s_from": d.source.location_id,
                    "s_from_bucket": _serial_bucket(d.source.bucket),
                    "s_to": d.dest.location_id,
                    "s_to_bucket": _serial_bucket(d.dest.bucket),
                },
            ).rowcount
            if moved != 1:
                number = self.conn.execute(_SERIAL_NUMBER, {"s_id": d.serial_id}).scalar_one()
                _, location = self._names(d.variant_id, d.source.location_id)
                raise SerialConflict(f"Serial {number} is not at {location} any more; look up its history.")

    # -- messages ---------------------------------------------------------------------------

    def _shortfall_message(self, refused: level_rows.LevelRefused) -> str:
        variant_id, location_id, lot_id = refused.key
        sku, location = self._names(variant_id, location_id)
        number = self.names.lot_number(self.conn, lot_id)
        lot = f" (lot {number})" if number else ""
        current: Level = refused.current
        delta = refused.delta
        if delta.reserved < 0 and current.reserved + delta.reserved < 0:
            return f"Only {current.reserved} of {sku}{lot} reserved at {location}; cannot take {-delta.reserved}."
        if delta.quarantined < 0 and current.quarantined + delta.quarantined < 0:
            return (
                f"Only {current.quarantined} of {sku}{lot} quarantined at {location}; "
                f"cannot release {-delta.quarantined}."
            )
        wanted = -(delta.on_hand - delta.reserved - delta.quarantined)
        return (
            f"Only {current.available} of {sku}{lot} available at {location} "
            f"(on hand {current.on_hand}, reserved {current.reserved}, quarantined {current.quarantined}); "
            f"{wanted} needed."
        )


def _serial_bucket(bucket: Bucket) -> str:
    """Serials are individually either free or on hold; a reservation is a count, not a unit."""
    return Bucket.QUARANTINED.value if bucket is Bucket.QUARANTINED else Bucket.AVAILABLE.value
