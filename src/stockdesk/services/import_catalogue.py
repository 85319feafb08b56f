"""What an import knows of the catalogue (items, lots, places, reason codes), kept across its batches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..db import bulk
from ..db.uow import UnitOfWork
from ..domain.quantities import Tracking
from ..domain.users import Action
from .context import Context


@dataclass(frozen=True, slots=True)
class Item:
    id: int
    sku: str
    tracking: Tracking


@dataclass(frozen=True, slots=True)
class Lot:
    id: int
    number: str
    expires_on: date | None

    def expired(self, day: date) -> bool:
        return self.expires_on is not None and self.expires_on < day

    def fefo(self) -> tuple:
        return (self.expires_on is None, self.expires_on or date.max, self.id)


@dataclass(frozen=True, slots=True)
class RefusedRow:
    row: int
    reason: str


class Catalogue:
    """What the import knows of the catalogue, kept across batches (one import, one user)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        with ctx.reading() as uow:
            rows = bulk.all_locations(uow.connection)
            self.reasons = bulk.reason_codes(uow.connection)
        self.places = {r.code: r.id for r in rows if not r.is_virtual}
        self.place_codes = {r.id: r.code for r in rows}
        self.virtual = {r.code: r.id for r in rows if r.is_virtual}
        self.items: dict[str, Item] = {}
        self.missing: set[str] = set()
        self.lots: dict[int, dict[str, Lot]] = {}
        self.lot_ids: dict[int, Lot] = {}
        self.may_adjust = ctx.user.may(Action.ADJUST)

    def load_items(self, uow: UnitOfWork, codes: set[str]) -> None:
        wanted = codes - self.items.keys() - self.missing
        if not wanted:
            return
        by_barcode = {}
        for r in bulk.variants_by_code(uow.connection, wanted):
            item = Item(r.id, r.sku, Tracking(r.tracking))
            self.items[r.sku] = item
            if r.barcode:
                by_barcode[r.barcode] = item
        for code, item in by_barcode.items():
            self.items.setdefault(code, item)
        self.missing |= wanted - self.items.keys()

    def forget_missing(self) -> None:
        self.missing.clear()

    def load_lots(self, uow: UnitOfWork, items: list[Item]) -> None:
        """The lots of the batch's lot-tracked items, read again each batch (another desk may add some)."""
        wanted = [i.id for i in items if i.tracking is Tracking.LOT]
        for variant_id in wanted:
            self.lots[variant_id] = {}
        for r in bulk.lots_of(uow.connection, wanted):
            self.add_lot(r.variant_id, Lot(r.id, r.number, r.expires_on))

    def add_lot(self, variant_id: int, lot: Lot) -> Lot:
        self.lots[variant_id][lot.number] = self.lot_ids[lot.id] = lot
        return lot
