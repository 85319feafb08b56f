"""Read-only questions: what is where, what happened to it, and where did a lot go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain.catalog import GroupBy, LotRow, StockRow
from ..domain.errors import InvalidInput, NotFound
from ..domain.postings import MovementRow
from . import resolve
from .context import Context


def stock(
    ctx: Context, sku: str | None = None, *, at: str | None = None, group_by: GroupBy = GroupBy.LOCATION
) -> list[StockRow]:
    """All six quantities per item x place (x lot), per site or per item; `sku` may be a barcode."""
    with ctx.reading() as uow:
        within = resolve.location(uow, at).path if at else None
        rows = uow.queries.stock(variant_code=sku.strip() if sku else None, within=within, group_by=group_by)
        if sku and not rows:
            resolve.variant(uow, sku)  # an unknown code is refused; a known one simply has no stock here
        return rows


def history(
    ctx: Context,
    sku: str | None = None,
    *,
    serial: str | None = None,
    lot: str | None = None,
    at: str | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[MovementRow]:
    """Every movement of an item, a serial unit or a lot, oldest first (or the latest `limit`, newest first)."""
    with ctx.reading() as uow:
        filters: dict[str, int | str] = {}
        if sku:
            filters["variant_id"] = resolve.variant(uow, sku).id
        if serial:
            filters["serial_id"] = _serial(uow, serial, filters.get("variant_id")).id
        if lot:
            filters["lot_id"] = _lot(uow, lot, filters.get("variant_id")).id
        if at:
            filters["within"] = resolve.location(uow, at).path
        if not filters:
            raise InvalidInput("Say which item, serial, lot or location to show the history of.")
        where = uow.queries.movement_filter(**filters)
        return uow.ledger.movement_rows(where, limit=limit, newest_first=newest_first)


def _serial(uow, number: str, variant_id: int | None):
    found = [s for s in uow.catalog.serials_numbered(number.strip()) if variant_id in (None, s.variant_id)]
    if not found:
        raise NotFound(f"No unit has the serial number '{number}'.")
    if len(found) > 1:
        raise InvalidInput(f"Several items have a unit with serial '{number}'; give the SKU too.")
    return found[0]


def _lot(uow, number: str, variant_id: int | None) -> LotRow:
    found = [lot for lot in uow.catalog.lots_numbered(number.strip()) if variant_id in (None, lot.variant_id)]
    if not found:
        raise NotFound(f"There is no lot '{number}'.")
    if len(found) > 1:
        raise InvalidInput(f"Several items have a lot '{number}'; give the SKU too.")
    return found[0]


@dataclass(frozen=True)
class LotDestination:
    location: str
    kind: str
    reference: str | None
    movement: str
    qty: int
    last: datetime


@dataclass(frozen=True)
class LotReceipt:
    reference: str | None
    qty: int
    posted_at: datetime
    location: str


@dataclass(frozen=True)
class LotTrace:
    sku: str
    lot: LotRow
    receipts: tuple[LotReceipt, ...]
    """Backward: where the lot came from."""
    destinations: tuple[LotDestination, ...]
    """Forward: every unit that left the shelves, to which place and order."""
    in_stock: tuple[StockRow, ...]
    """What of it is still on the shelves or in transit."""


def trace_lot(ctx: Context, lot: str, sku: str | None = None) -> LotTrace:
    with ctx.reading() as uow:
        variant_id = resolve.variant(uow, sku).id if sku else None
        found = _lot(uow, lot, variant_id)
        item = uow.catalog.variant(found.variant_id)
        remaining = tuple(r for r in uow.queries.stock(variant_code=item.sku) if r.lot_id == found.id)
        return LotTrace(
            sku=item.sku,
            lot=found,
            receipts=tuple(
                LotReceipt(r.reference, r.qty, r.posted_at, r.code) for r in uow.queries.lot_receipts(found.id)
            ),
            destinations=tuple(
                LotDestination(r.code, r.kind, r.reference, r.movement, int(r.qty), r.last)
                for r in uow.queries.lot_destinations(found.id)
            ),
            in_stock=remaining,
        )


def balance_as_of(ctx: Context, sku: str, moment: datetime, *, at: str | None = None) -> dict[str, int]:
    with ctx.reading() as uow:
        item = resolve.variant(uow, sku)
        within = resolve.location(uow, at).path if at else None
        return uow.queries.balance_as_of(item.id, moment, within)
