"""A lot recall: where the lot still sits, and one posting that puts every free unit of it on hold.

One posting rather than a quarantine per place, so a recall either holds the whole lot or, refused
(a unit sold at that moment on another desktop), holds nothing and can simply be pressed again.
Reserved units stay with their orders and units in transit with their transfer: the view shows
both, so the manager can free them (cancel a sales order, release another reservation) or receive
them, and recall again.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..db import traces
from ..domain.catalog import LotRow, VariantRow
from ..domain.errors import InvalidState
from ..domain.postings import MovementDraft, PostingResult
from ..domain.quantities import Bucket, Kind, Leg, LocationKind
from ..domain.sales import sales_order_of
from ..domain.users import Action
from . import resolve
from .context import Context
from .posting import Plan, post


@dataclass(frozen=True)
class LotPlace:
    location_id: int
    location: str
    in_transit: bool
    on_hand: int
    reserved: int
    quarantined: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved - self.quarantined

    @property
    def can_hold(self) -> int:
        """What a recall puts on hold here: the free units on a shelf (transit belongs to its transfer)."""
        return 0 if self.in_transit else self.available


def lot_places(ctx: Context, sku: str, lot: str) -> list[LotPlace]:
    """Every shelf (and transit) where units of the lot still are, in walking order."""
    with ctx.reading() as uow:
        _, found = _the_lot(uow, ctx, sku, lot)
        return _places(uow, found)


def recall_lot(ctx: Context, sku: str, lot: str, *, note: str | None = None, key: str | None = None) -> PostingResult:
    """Quarantine every free unit of the lot, wherever it is on the shelves, in one posting."""
    ctx.user.require(Action.RECALL_LOT)

    def plan(uow) -> Plan:
        item, found = _the_lot(uow, ctx, sku, lot)
        places = _places(uow, found)
        drafts = [
            MovementDraft(
                Kind.QUARANTINE,
                item.id,
                place.can_hold,
                Leg(place.location_id, Bucket.AVAILABLE),
                Leg(place.location_id, Bucket.QUARANTINED),
                found.id,
            )
            for place in places
            if place.can_hold > 0
        ]
        if not drafts:
            raise InvalidState(_nothing_to_hold(item, found, places, traces.lot_reservations(uow.connection, found.id)))
        return Plan(drafts, reference=f"RECALL-{found.number}", note=note or f"Recall of lot {found.number}")

    return post(ctx, kind=Kind.QUARANTINE, key=key, request={"recall": sku, "lot": lot, "note": note}, plan=plan)


def _the_lot(uow, ctx: Context, sku: str, lot: str) -> tuple[VariantRow, LotRow]:
    item = resolve.variant(uow, sku)
    return item, resolve.lot_by_number(uow, item, lot, ctx.today(), selling=False)


def _places(uow, lot: LotRow) -> list[LotPlace]:
    return [
        LotPlace(
            r.location_id,
            r.code,
            r.kind == LocationKind.TRANSIT.value,
            int(r.on_hand),
            int(r.reserved),
            int(r.quarantined),
        )
        for r in traces.lot_places(uow.connection, lot.id)
    ]


def _nothing_to_hold(item: VariantRow, lot: LotRow, places: list[LotPlace], holders: list[str]) -> str:
    if not places:
        return f"No units of lot {lot.number} ({item.sku}) are left in stock; the forward trace shows where they went."
    held = {
        "already quarantined": sum(p.quarantined for p in places),
        f"reserved for orders ({_freeing(holders)} first)": sum(p.reserved for p in places if not p.in_transit),
        "in transit (quarantine them as damaged on receipt)": sum(p.on_hand for p in places if p.in_transit),
    }
    parts = ", ".join(f"{n} {what}" for what, n in held.items() if n)
    return f"Nothing of lot {lot.number} ({item.sku}) is free on the shelves to put on hold: {parts}."


def _freeing(holders: list[str]) -> str:
    """The step that frees each holder's units: a sales order is cancelled (its lines mirror what it
    holds), any other reference is released item by item."""
    orders = [ref for ref in holders if sales_order_of(ref) is not None]
    others = [ref for ref in holders if sales_order_of(ref) is None]
    steps = [f"cancel {', '.join(orders)} on the Orders screen or with `so cancel`"] if orders else []
    steps += [f"release {', '.join(others)} with `release`"] if others else []
    return "; ".join(steps)
