"""Read queries behind the adjustments desk: which movements a history filter selects, which of them
have been undone, and the items that keep going missing at the same place."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, distinct, exists, func, select

from ..domain.quantities import Kind
from .records import locations, movements, postings, reasons, users, variants


def history_clauses(
    *,
    kinds: Collection[Kind] = (),
    variant_id: int | None = None,
    reason: str | None = None,
    username: str | None = None,
    since: datetime | None = None,
    before: datetime | None = None,
) -> tuple[ColumnElement[bool], ...]:
    """WHERE clauses for `LedgerReader.movement_rows` (which joins each movement to its posting)."""
    clauses: list[ColumnElement[bool]] = []
    if kinds:
        clauses.append(movements.c.kind.in_([kind.value for kind in kinds]))
    if variant_id is not None:
        clauses.append(movements.c.variant_id == variant_id)
    if reason:
        clauses.append(postings.c.reason_code == reason)
    if username:
        clauses.append(postings.c.user_id.in_(select(users.c.id).where(users.c.username == username)))
    # A movement carries its posting's time; the posting's column is the indexed one.
    if since is not None:
        clauses.append(postings.c.posted_at >= since)
    if before is not None:
        clauses.append(postings.c.posted_at < before)
    return tuple(clauses)


def reversals_of(conn: Connection, movement_ids: Iterable[int]) -> dict[int, int]:
    """original movement id -> the id of the movement that reversed it, for those reversed."""
    ids = list(movement_ids)
    if not ids:
        return {}
    rows = conn.execute(select(movements.c.reverses_id, movements.c.id).where(movements.c.reverses_id.in_(ids)))
    return {original: reversal for original, reversal in rows}


def repeated_losses(
    conn: Connection,
    *,
    adjustment_id: int,
    kinds: Collection[Kind],
    since: datetime,
    before: datetime,
    at_least: int,
):
    """Per item and place: adjustments that took stock away (and were not reversed), worst first.

    An adjustment is one posting (several serial units lost at once count once).
    """
    undone = movements.alias("undone")
    times = func.count(distinct(movements.c.posting_id))
    units = func.sum(movements.c.qty)
    return conn.execute(
        select(
            variants.c.sku,
            variants.c.name,
            variants.c.unit_cost,
            locations.c.code,
            times.label("adjustments"),
            units.label("units"),
            func.max(movements.c.posted_at).label("last_at"),
        )
        .join(postings, postings.c.id == movements.c.posting_id)
        .join(variants, variants.c.id == movements.c.variant_id)
        .join(locations, locations.c.id == movements.c.from_location_id)
        .where(
            movements.c.to_location_id == adjustment_id,
            movements.c.kind.in_([kind.value for kind in kinds]),
            postings.c.posted_at >= since,  # indexed, unlike the movement's copy of it
            postings.c.posted_at < before,
            ~exists().where(undone.c.reverses_id == movements.c.id),
        )
        .group_by(variants.c.sku, variants.c.name, variants.c.unit_cost, locations.c.code)
        .having(times >= at_least)
        .order_by(times.desc(), units.desc(), variants.c.sku, locations.c.code)
    ).all()


def reason_codes(conn: Connection) -> list[str]:
    """Every reason code, the system's own (COUNT, REVERSAL...) included: they appear in the history."""
    return list(conn.scalars(select(reasons.c.code).order_by(reasons.c.code)))


def usernames(conn: Connection) -> list[str]:
    return list(conn.scalars(select(users.c.username).order_by(users.c.username)))
