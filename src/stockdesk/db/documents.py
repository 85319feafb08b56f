"""Transfer and cycle-count documents: their headers, lines and status changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from .records import (
    count_lines,
    count_sessions,
    levels,
    locations,
    lots,
    movements,
    postings,
    serials,
    transfer_lines,
    transfers,
    variants,
)


class DocumentRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- transfers --------------------------------------------------------------------------

    def add_transfer(self, *, from_id: int, to_id: int, user_id: int, now: datetime, note: str | None) -> int:
        return self.conn.execute(
            insert(transfers)
            .values(
                status="requested",
                from_location_id=from_id,
                to_location_id=to_id,
                requested_by=user_id,
                created_at=now,
                updated_at=now,
                note=note,
            )
            .returning(transfers.c.id)
        ).scalar_one()

    def add_transfer_line(self, transfer_id: int, variant_id: int, qty: int) -> None:
        self.conn.execute(
            insert(transfer_lines).values(transfer_id=transfer_id, variant_id=variant_id, qty_requested=qty)
        )

    def transfer(self, transfer_id: int, *, lock: bool = False):
        query = select(transfers).where(transfers.c.id == transfer_id)
        if lock and self.conn.dialect.name == "postgresql":
            query = query.with_for_update()
        return self.conn.execute(query).one_or_none()

    def transfer_lines(self, transfer_id: int):
        return list(
            self.conn.execute(
                select(transfer_lines, variants.c.sku)
                .join(variants, variants.c.id == transfer_lines.c.variant_id)
                .where(transfer_lines.c.transfer_id == transfer_id)
                .order_by(transfer_lines.c.id)
            )
        )

    def set_transfer_status(
        self, transfer_id: int, expected: str, status: str, now: datetime, approved_by: int | None = None
    ) -> bool:
        """Compare-and-set on the status, so two desktops cannot both pick or receive one transfer."""
        values = {"status": status, "updated_at": now}
        if approved_by is not None:
            values["approved_by"] = approved_by
        return (
            self.conn.execute(
                update(transfers).where(transfers.c.id == transfer_id, transfers.c.status == expected).values(**values)
            ).rowcount
            == 1
        )

    def record_line(self, line_id: int, **quantities: int) -> None:
        self.conn.execute(update(transfer_lines).where(transfer_lines.c.id == line_id).values(**quantities))

    def transit_lots(self, reference: str, variant_id: int, transit_id: int) -> list[tuple[int, int]]:
        """What the transfer's pick put in transit for this item, per lot."""
        return [
            (lot_id, int(qty))
            for lot_id, qty in self.conn.execute(
                select(movements.c.lot_id, func.sum(movements.c.qty))
                .join(postings, postings.c.id == movements.c.posting_id)
                .where(
                    postings.c.reference == reference,
                    movements.c.variant_id == variant_id,
                    movements.c.to_location_id == transit_id,
                )
                .group_by(movements.c.lot_id)
                .order_by(movements.c.lot_id)
            )
        ]

    def transit_serials(self, reference: str, variant_id: int, transit_id: int) -> list[tuple[int, int]]:
        """(lot_id, serial_id) of the units this transfer's pick put in transit and that are still there."""
        return [
            (lot_id, serial_id)
            for lot_id, serial_id in self.conn.execute(
                select(serials.c.lot_id, serials.c.id)
                .join(movements, movements.c.serial_id == serials.c.id)
                .join(postings, postings.c.id == movements.c.posting_id)
                .where(
                    postings.c.reference == reference,
                    movements.c.variant_id == variant_id,
                    movements.c.to_location_id == transit_id,
                    serials.c.location_id == transit_id,
                )
                .distinct()
                .order_by(serials.c.id)
            )
        ]

    def transfers_by_status(self, status: str | None = None):
        src = locations.alias("src")
        dst = locations.alias("dst")
        query = (
            select(transfers, src.c.code.label("from_code"), dst.c.code.label("to_code"))
            .join(src, src.c.id == transfers.c.from_location_id)
            .join(dst, dst.c.id == transfers.c.to_location_id)
            .order_by(transfers.c.id)
        )
        if status:
            query = query.where(transfers.c.status == status)
        return list(self.conn.execute(query))

    def unreceived_transfers_into(self, path: str) -> list[int]:
        dst = locations.alias("dst")
        return list(
            self.conn.scalars(
                select(transfers.c.id)
                .join(dst, dst.c.id == transfers.c.to_location_id)
                .where(transfers.c.status == "picked", dst.c.path.startswith(path))
            )
        )

    # -- cycle counts -----------------------------------------------------------------------

    def add_count_session(self, location_id: int, user_id: int, now: datetime) -> int:
        return self.conn.execute(
            insert(count_sessions)
            .values(location_id=location_id, status="open", started_by=user_id, started_at=now)
            .returning(count_sessions.c.id)
        ).scalar_one()

    def add_count_lines(self, session_id: int, lines: list[tuple[int, int, int, str | None]]) -> None:
        if lines:
            self.conn.execute(
                insert(count_lines),
                [
                    {"session_id": session_id, "variant_id": v, "location_id": loc, "lot_id": lot, "abc_class": abc}
                    for v, loc, lot, abc in lines
                ],
            )

    def count_session(self, session_id: int, *, lock: bool = False):
        query = select(count_sessions).where(count_sessions.c.id == session_id)
        if lock and self.conn.dialect.name == "postgresql":
            query = query.with_for_update()
        return self.conn.execute(query).one_or_none()

    def count_lines(self, session_id: int):
        return list(
            self.conn.execute(
                select(
                    count_lines,
                    variants.c.sku,
                    variants.c.name,
                    variants.c.unit_cost,
                    locations.c.code,
                    lots.c.number.label("lot_number"),
                )
                .join(variants, variants.c.id == count_lines.c.variant_id)
                .join(locations, locations.c.id == count_lines.c.location_id)
                .join(lots, lots.c.id == count_lines.c.lot_id)
                .where(count_lines.c.session_id == session_id)
                .order_by(locations.c.sort_key, locations.c.code, variants.c.sku, lots.c.number)
            )
        )

    def stock_keys_within(self, path: str) -> list[tuple[int, int, int]]:
        """Every variant x location x lot that has, or has had, stock in the subtree."""
        return [
            tuple(r)
            for r in self.conn.execute(
                select(levels.c.variant_id, levels.c.location_id, levels.c.lot_id)
                .join(locations, locations.c.id == levels.c.location_id)
                .where(locations.c.path.startswith(path))
                .order_by(locations.c.sort_key, locations.c.code, levels.c.variant_id, levels.c.lot_id)
            )
        ]

    def enter_count(self, line_id: int, counted: int, book: int, user_id: int, now: datetime) -> None:
        self.conn.execute(
            update(count_lines)
            .where(count_lines.c.id == line_id)
            .values(counted_qty=counted, book_qty=book, counted_by=user_id, counted_at=now)
        )

    def add_count_line(self, session_id: int, variant_id: int, location_id: int, lot_id: int) -> int:
        return self.conn.execute(
            insert(count_lines)
            .values(session_id=session_id, variant_id=variant_id, location_id=location_id, lot_id=lot_id)
            .returning(count_lines.c.id)
        ).scalar_one()

    def close_count_session(self, session_id: int, status: str, now: datetime) -> bool:
        return (
            self.conn.execute(
                update(count_sessions)
                .where(count_sessions.c.id == session_id, count_sessions.c.status == "open")
                .values(status=status, posted_at=now)
            ).rowcount
            == 1
        )

    def usage_value(self, since: datetime) -> list[tuple[int, float]]:
        """Per variant: units that left to customers since `since`, times unit cost (for ABC)."""
        customer = select(locations.c.id).where(locations.c.kind == "customer").scalar_subquery()
        shipped = (
            select(movements.c.variant_id, func.sum(movements.c.qty).label("units"))
            .where(movements.c.to_location_id == customer, movements.c.posted_at >= since)
            .group_by(movements.c.variant_id)
            .subquery()
        )
        return [
            (variant_id, float(value or 0))
            for variant_id, value in self.conn.execute(
                select(variants.c.id, shipped.c.units * variants.c.unit_cost).outerjoin(
                    shipped, shipped.c.variant_id == variants.c.id
                )
            )
        ]

    def last_counted(self) -> dict[int, datetime]:
        return {
            v: t
            for v, t in self.conn.execute(
                select(count_lines.c.variant_id, func.max(count_lines.c.counted_at))
                .where(count_lines.c.counted_at.is_not(None))
                .group_by(count_lines.c.variant_id)
            )
        }
