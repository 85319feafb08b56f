"""Reading the ledger back: a posting as the caller sees it, and movement listings with names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Connection, func, select

from ..domain.postings import ChangeSet, MovementRow, PostingResult
from .records import movements, postings

if TYPE_CHECKING:
    from .names import NameSession


class LedgerReader:
    def __init__(self, conn: Connection, names: NameSession) -> None:
        self.conn = conn
        self.names = names

    def result(self, posting_id: int, *, replayed: bool = False) -> PostingResult:
        header = self.conn.execute(select(postings).where(postings.c.id == posting_id)).one()._mapping
        moves = self.conn.execute(
            select(movements).where(movements.c.posting_id == posting_id).order_by(movements.c.id)
        )
        return self.result_of(header, [m._mapping for m in moves], replayed=replayed)

    def result_of(self, header: Mapping, moves: Sequence[Mapping], *, replayed: bool = False) -> PostingResult:
        """A posting as the caller sees it, from its header and movement rows (just written or read back)."""
        self._learn_names(moves)
        return PostingResult(
            posting_id=header["id"],
            key=header["idempotency_key"],
            kind=header["kind"],
            reference=header["reference"],
            posted_at=header["posted_at"],
            movements=tuple(self._movement_row(m, header) for m in moves),
            changes=ChangeSet(
                variant_ids=frozenset(m["variant_id"] for m in moves),
                location_ids=frozenset(m[c] for m in moves for c in ("from_location_id", "to_location_id")),
                lot_ids=frozenset(m["lot_id"] for m in moves),
            ),
            replayed=replayed,
        )

    def posting_count(self) -> int:
        return self.conn.execute(select(func.count()).select_from(postings)).scalar_one()

    def movement_rows(self, *where, limit: int | None = None, newest_first: bool = False) -> list[MovementRow]:
        """Movements with their posting's reference, reason, note and user, oldest first (or the newest
        `limit` of them, newest first, for a screen that shows the latest)."""
        # Newest first goes by the posting's time: its index serves a date-bounded listing.
        order = (postings.c.posted_at.desc(), movements.c.id.desc()) if newest_first else (movements.c.id,)
        stmt = (
            select(movements, postings.c.reference, postings.c.reason_code, postings.c.note, postings.c.user_id)
            .join(postings, postings.c.id == movements.c.posting_id)
            .where(*where)
            .order_by(*order)
            .limit(limit)
        )
        rows = [r._mapping for r in self.conn.execute(stmt)]
        self._learn_names(rows)
        return [self._movement_row(r, r) for r in rows]

    def _learn_names(self, moves: Sequence[Mapping]) -> None:
        self.names.learn(
            self.conn,
            variant_ids=(m["variant_id"] for m in moves),
            location_ids=(m[c] for m in moves for c in ("from_location_id", "to_location_id")),
        )

    def _movement_row(self, m: Mapping, header: Mapping) -> MovementRow:
        names, conn = self.names, self.conn
        return MovementRow(
            id=m["id"],
            kind=m["kind"],
            sku=names.sku(conn, m["variant_id"]),
            qty=m["qty"],
            from_location=self._code(m["from_location_id"]),
            from_bucket=m["from_bucket"],
            to_location=self._code(m["to_location_id"]),
            to_bucket=m["to_bucket"],
            lot=names.lot_number(conn, m["lot_id"]),
            serial=names.serial_number(conn, m["serial_id"]),
            posted_at=m["posted_at"],
            before_qty=m["before_qty"],
            after_qty=m["after_qty"],
            reverses_id=m["reverses_id"],
            reference=header["reference"],
            reason=header["reason_code"],
            note=header["note"],
            user=names.username(conn, header["user_id"]),
        )

    def _code(self, location_id: int) -> str:
        return self.names.location_code(self.conn, location_id)

    def movement(self, movement_id: int):
        return self.conn.execute(
            select(movements, postings.c.reference)
            .join(postings, postings.c.id == movements.c.posting_id)
            .where(movements.c.id == movement_id)
        ).one_or_none()

    def is_reversed(self, movement_id: int) -> bool:
        return (
            self.conn.execute(select(movements.c.id).where(movements.c.reverses_id == movement_id)).first() is not None
        )

    def _names(self, variant_id: int, location_id: int) -> tuple[str, str]:
        return self.names.sku(self.conn, variant_id), self._code(location_id)
