"""Read queries: stock pictures, allocations, histories, traces and balances as of a date."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, and_, case, func, literal, or_, select, union_all

from ..domain.catalog import GroupBy, StockRow, VariantRow
from ..domain.errors import InsufficientStock, InvalidInput
from ..domain.quantities import CUSTOMER_CODE, Bucket, Kind
from .records import (
    levels,
    locations,
    lots,
    movements,
    postings,
    reservations,
)
from .stock_picture import stock_statement

if TYPE_CHECKING:
    from .uow import Database


def _fefo(query, *, latest_first: bool = False):
    """First expiring first; lots without expiry last, then oldest lot (or all of it reversed)."""
    keys = [case((lots.c.expires_on.is_(None), 1), else_=0), lots.c.expires_on, lots.c.id]
    return query.order_by(*(k.desc() for k in keys) if latest_first else keys)


class StockQueries:
    def __init__(self, conn: Connection, database: Database) -> None:
        self.conn = conn
        self.database = database

    # -- allocation helpers for the services ------------------------------------------------

    def lots_in_bucket(self, variant_id: int, location_id: int, bucket: Bucket, today: date):
        held = {
            Bucket.AVAILABLE: levels.c.on_hand - levels.c.reserved - levels.c.quarantined,
            Bucket.RESERVED: levels.c.reserved,
            Bucket.QUARANTINED: levels.c.quarantined,
        }[bucket]
        query = (
            select(levels.c.lot_id, held)
            .join(lots, lots.c.id == levels.c.lot_id)
            .where(levels.c.variant_id == variant_id, levels.c.location_id == location_id, held > 0)
        )
        if bucket is Bucket.AVAILABLE:
            query = query.where(or_(lots.c.expires_on.is_(None), lots.c.expires_on >= today))
        return list(self.conn.execute(_fefo(query)))

    def available_within(self, variant_id: int, path: str, today: date):
        """(location_id, lot_id, available) in a subtree: unexpired, first expiring first, then walking order."""
        available = levels.c.on_hand - levels.c.reserved - levels.c.quarantined
        query = (
            select(levels.c.location_id, levels.c.lot_id, available)
            .join(lots, lots.c.id == levels.c.lot_id)
            .join(locations, locations.c.id == levels.c.location_id)
            .where(
                levels.c.variant_id == variant_id,
                locations.c.path.startswith(path),
                available > 0,
                or_(lots.c.expires_on.is_(None), lots.c.expires_on >= today),
            )
        )
        return list(self.conn.execute(_fefo(query).order_by(locations.c.sort_key, locations.c.code)))

    def reservation_lots(
        self,
        order_ref: str,
        variant_id: int,
        location_id: int,
        qty: int,
        *,
        partial: bool = False,
        latest_first: bool = False,
    ) -> list[tuple[int, int]]:
        """The order's reserved units at a place, up to `qty`: first expiring first for shipping,
        last expiring first for releasing (so what stays reserved is what should go out first)."""
        rows = self.conn.execute(
            _fefo(
                select(reservations.c.lot_id, reservations.c.qty)
                .join(lots, lots.c.id == reservations.c.lot_id)
                .where(
                    reservations.c.order_ref == order_ref,
                    reservations.c.variant_id == variant_id,
                    reservations.c.location_id == location_id,
                    reservations.c.qty > 0,
                ),
                latest_first=latest_first,
            )
        )
        parts, left = [], qty
        for lot_id, held in rows:
            take = min(held, left)
            parts.append((lot_id, take))
            left -= take
            if left == 0:
                break
        if left and not partial:
            raise InsufficientStock(
                f"Order {order_ref} has only {qty - left} of that item reserved here; {qty} cannot be released."
            )
        return parts

    def returnable_lots(self, order_ref: str, item: VariantRow, qty: int) -> list[tuple[int, int]]:
        """What went to the customer on this order and has not come back, per lot."""
        customer = select(locations.c.id).where(locations.c.code == CUSTOMER_CODE).scalar_subquery()
        signed = case((movements.c.to_location_id == customer, movements.c.qty), else_=-movements.c.qty)
        rows = self.conn.execute(
            _fefo(
                select(movements.c.lot_id, func.sum(signed).label("out"))
                .join(postings, postings.c.id == movements.c.posting_id)
                .join(lots, lots.c.id == movements.c.lot_id)
                .where(
                    postings.c.reference == order_ref,
                    movements.c.variant_id == item.id,
                    or_(movements.c.to_location_id == customer, movements.c.from_location_id == customer),
                )
                .group_by(movements.c.lot_id, lots.c.expires_on, lots.c.id)
            )
        )
        parts, left = [], qty
        for lot_id, out in rows:
            take = min(out, left)
            if take > 0:
                parts.append((lot_id, take))
                left -= take
        if left:
            raise InvalidInput(f"Order {order_ref} has {qty - left} of {item.sku} that can come back, not {qty}.")
        return parts

    def serial_shipped_on(self, serial_id: int, order_ref: str) -> bool:
        last = self.conn.execute(
            select(postings.c.reference)
            .join(movements, movements.c.posting_id == postings.c.id)
            .where(movements.c.serial_id == serial_id)
            .order_by(movements.c.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        return last == order_ref

    def on_hand(self, variant_id: int, location_id: int, lot_id: int) -> int:
        return (
            self.conn.execute(
                select(levels.c.on_hand).where(
                    levels.c.variant_id == variant_id, levels.c.location_id == location_id, levels.c.lot_id == lot_id
                )
            ).scalar_one_or_none()
            or 0
        )

    # -- the stock picture ------------------------------------------------------------------

    def stock(
        self,
        *,
        variant_code: str | None = None,
        within: str | None = None,
        group_by: GroupBy = GroupBy.LOCATION,
        include_zero: bool = False,
        variant_ids: Collection[int] | None = None,
    ) -> list[StockRow]:
        """Rows of all six quantities for one item (by SKU or barcode), some items (by id) or all;
        `within` is a location path prefix (a subtree)."""
        statement = stock_statement(
            group_by, variant_code is not None, within is not None, include_zero, variant_ids is not None
        )
        params = {"variant_code": variant_code, "within": within, "variant_ids": variant_ids}
        rows = self.conn.execute(statement, {k: v for k, v in params.items() if v is not None})
        return [
            StockRow(
                variant_id,
                sku,
                name,
                loc_id,
                loc_code,
                lot_key,
                number or None,
                expires_on,
                int(on_hand),
                int(reserved),
                int(quarantined),
                int(in_transit),
                int(on_order),
                reorder_point,
            )
            for (
                variant_id,
                sku,
                name,
                reorder_point,
                loc_id,
                loc_code,
                lot_key,
                on_hand,
                reserved,
                quarantined,
                in_transit,
                on_order,
                number,
                expires_on,
            ) in rows
        ]

    def balance_as_of(self, variant_id: int, moment: datetime, within: str | None = None) -> dict[str, int]:
        """On hand per location at a past moment, summed from the ledger (not from the stored levels)."""
        incoming = select(movements.c.to_location_id.label("loc"), movements.c.qty.label("qty")).where(
            movements.c.variant_id == variant_id, movements.c.posted_at <= moment
        )
        outgoing = select(movements.c.from_location_id.label("loc"), (-movements.c.qty).label("qty")).where(
            movements.c.variant_id == variant_id, movements.c.posted_at <= moment
        )
        legs = union_all(incoming, outgoing).subquery("legs")
        query = (
            select(locations.c.code, func.sum(legs.c.qty))
            .join(locations, locations.c.id == legs.c.loc)
            .where(locations.c.keeps_levels.is_(True))
            .group_by(locations.c.code)
            .having(func.sum(legs.c.qty) != 0)
            .order_by(locations.c.code)
        )
        if within is not None:
            query = query.where(locations.c.path.startswith(within))
        return {code: int(qty) for code, qty in self.conn.execute(query)}

    # -- traces -----------------------------------------------------------------------------

    def lot_destinations(self, lot_id: int):
        """Forward trace: every unit of the lot that left the shelves, with where and which order."""
        dest = locations.alias("dest")
        return list(
            self.conn.execute(
                select(
                    dest.c.code,
                    dest.c.kind,
                    postings.c.reference,
                    movements.c.kind.label("movement"),
                    func.sum(movements.c.qty).label("qty"),
                    func.max(movements.c.posted_at).label("last"),
                )
                .join(postings, postings.c.id == movements.c.posting_id)
                .join(dest, dest.c.id == movements.c.to_location_id)
                .where(movements.c.lot_id == lot_id, dest.c.keeps_levels.is_(False))
                .group_by(dest.c.code, dest.c.kind, postings.c.reference, movements.c.kind)
                .order_by(func.max(movements.c.posted_at))
            )
        )

    def lot_receipts(self, lot_id: int):
        """Backward trace: the receipts that brought the lot in."""
        return list(
            self.conn.execute(
                select(postings.c.reference, movements.c.qty, movements.c.posted_at, locations.c.code)
                .join(postings, postings.c.id == movements.c.posting_id)
                .join(locations, locations.c.id == movements.c.to_location_id)
                .where(movements.c.lot_id == lot_id, movements.c.kind == Kind.RECEIVE.value)
                .order_by(movements.c.id)
            )
        )

    def movement_filter(
        self,
        *,
        variant_id: int | None = None,
        lot_id: int | None = None,
        serial_id: int | None = None,
        within: str | None = None,
    ):
        """A WHERE clause for the ledger repository's movement rows."""
        clauses = []
        if variant_id is not None:
            clauses.append(movements.c.variant_id == variant_id)
        if lot_id is not None:
            clauses.append(movements.c.lot_id == lot_id)
        if serial_id is not None:
            clauses.append(movements.c.serial_id == serial_id)
        if within is not None:
            inside = select(locations.c.id).where(locations.c.path.startswith(within))
            clauses.append(or_(movements.c.to_location_id.in_(inside), movements.c.from_location_id.in_(inside)))
        return and_(*clauses) if clauses else literal(True)
