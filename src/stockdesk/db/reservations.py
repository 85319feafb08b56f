"""Writing the reservations projection: units reserved per order, per place and lot.

Like db/levels.py for level rows: additions cannot be refused and go in one executemany; a removal
is a guarded UPDATE that matches no row when the order holds too few. Several removals go in one
executemany too, unless the caller asks for them row by row: only then does a refusal name its row.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.errors import InsufficientStock
from ..domain.postings import MovementDraft
from ..domain.quantities import Bucket
from .levels import BatchRefused
from .records import reservations

ReservationKey = tuple[str, int, int, int]
"""(order_ref, variant_id, location_id, lot_id) of one reservations row."""


class ReservationRefused(Exception):
    """The order holds fewer units on the row than a posting takes from it."""

    def __init__(self, key: ReservationKey, held: int, wanted: int) -> None:
        super().__init__(key, held, wanted)
        self.key = key
        self.held = held
        self.wanted = wanted


def deltas(reference: str | None, drafts: Sequence[MovementDraft]) -> dict[ReservationKey, int]:
    """Net change per reservations row: what the drafts put into (+) and take out of (-) the
    reserved bucket, which always belongs to an order."""
    changes: dict[ReservationKey, int] = {}
    for d in drafts:
        for leg, sign in ((d.source, -1), (d.dest, 1)):
            if leg.bucket is not Bucket.RESERVED:
                continue
            if reference is None:
                raise InsufficientStock("Reserved stock always belongs to an order: give the order reference.")
            key = (reference, d.variant_id, leg.location_id, d.lot_id)
            changes[key] = changes.get(key, 0) + sign * d.qty
    return changes


def _match():
    return (
        reservations.c.order_ref == bindparam("r_ref"),
        reservations.c.variant_id == bindparam("r_variant"),
        reservations.c.location_id == bindparam("r_location"),
        reservations.c.lot_id == bindparam("r_lot"),
    )


@functools.cache
def _add_statement(dialect_name: str):
    """Built once per dialect; executed with the rows' columns as parameters."""
    dialect_insert = postgresql.insert if dialect_name == "postgresql" else sqlite.insert
    add = dialect_insert(reservations)
    return add.on_conflict_do_update(
        index_elements=[
            reservations.c.order_ref,
            reservations.c.variant_id,
            reservations.c.location_id,
            reservations.c.lot_id,
        ],
        set_={"qty": reservations.c.qty + add.excluded.qty},
    )


_TAKE = (
    update(reservations)
    .where(*_match(), reservations.c.qty >= bindparam("r_qty"))
    .values(qty=reservations.c.qty - bindparam("r_qty"))
)
_HELD = select(reservations.c.qty).where(*_match())


def _key_params(key: ReservationKey) -> dict:
    order_ref, variant_id, location_id, lot_id = key
    return {"r_ref": order_ref, "r_variant": variant_id, "r_location": location_id, "r_lot": lot_id}


def apply(conn: Connection, changes: dict[ReservationKey, int], *, row_by_row: bool) -> None:
    """Apply net changes per row in key order (the order every writer locks rows in). A removal the
    order cannot cover raises ReservationRefused (row by row, or a lone removal) or BatchRefused."""
    ordered = sorted((key, qty) for key, qty in changes.items() if qty)
    for adding, run in itertools.groupby(ordered, key=lambda change: change[1] > 0):
        if adding:
            rows = [
                {"order_ref": ref, "variant_id": v, "location_id": loc, "lot_id": lot, "qty": qty}
                for (ref, v, loc, lot), qty in run
            ]
            conn.execute(_add_statement(conn.dialect.name), rows)
            continue
        takes = [(key, -qty) for key, qty in run]
        if len(takes) > 1 and not row_by_row:
            if conn.execute(_TAKE, [{**_key_params(key), "r_qty": qty} for key, qty in takes]).rowcount != len(takes):
                raise BatchRefused
            continue
        for key, qty in takes:
            if conn.execute(_TAKE, {**_key_params(key), "r_qty": qty}).rowcount != 1:
                held = conn.execute(_HELD, _key_params(key)).scalar_one_or_none() or 0
                raise ReservationRefused(key, held, qty)
