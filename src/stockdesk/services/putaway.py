"""Putaway: moving received goods from the receiving place to the bins they will be picked from.

`putaway_tasks` lists what a purchase order's receipts still leave at its destination, with the
three best bins for each (rules in domain/putaway.py, weights in the `settings` table);
`put_away` records the move as a PUTAWAY posting within one site, refused over a bin's capacity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..db import putaway_queries
from ..domain import validate
from ..domain.catalog import LocationRow, LotRow, VariantRow
from ..domain.errors import InvalidInput
from ..domain.postings import ChangeSet, MovementDraft, PostingResult, Topic
from ..domain.putaway import SETTING_KEY, BinFacts, PutawayRules, rank
from ..domain.quantities import Kind, Leg, Tracking
from ..domain.users import Action
from . import resolve
from .context import Context
from .counts import abc_classes
from .po_rows import header, reference
from .posting import Plan, post
from .stock.parts import A, outbound


@dataclass(frozen=True)
class BinSuggestion:
    location: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PutawayTask:
    sku: str
    name: str
    lot: str | None
    serials: tuple[str, ...]
    """For serial items: the order's units still free at the receiving place (any may be moved)."""
    qty: int
    from_location: str
    suggestions: tuple[BinSuggestion, ...]


def _rules(uow) -> PutawayRules:
    stored = uow.purchasing.setting(SETTING_KEY)
    return PutawayRules.from_mapping(stored) if stored else PutawayRules()


def get_putaway_rules(ctx: Context) -> PutawayRules:
    with ctx.reading() as uow:
        return _rules(uow)


def set_putaway_rules(ctx: Context, rules: PutawayRules) -> PutawayRules:
    ctx.user.require(Action.PURCHASE)
    checked = PutawayRules.from_mapping(rules.as_dict())
    with ctx.writing() as uow:
        uow.purchasing.set_setting(SETTING_KEY, checked.as_dict())
        uow.commit(ChangeSet.of(Topic.PURCHASING))
    return checked


def set_category_zone(ctx: Context, *, site: str, category: str, zone: str) -> None:
    """Goods of `category` arriving at `site` are best put in `zone` (or anywhere under it)."""
    ctx.user.require(Action.PURCHASE)
    with ctx.writing() as uow:
        site_row = resolve.site(uow, site)
        zone_row = resolve.location(uow, zone)
        if not site_row.contains(zone_row) or zone_row.id == site_row.id:
            raise InvalidInput(f"{zone_row.code} is not a place inside site {site_row.code}; choose one of its zones.")
        known = uow.purchasing.categories()
        wanted = (category or "").strip()
        if wanted not in known:
            listed = ", ".join(known) or "none yet"
            raise InvalidInput(f"No product has the category '{category}'; the categories are: {listed}.")
        uow.purchasing.set_category_zone(site_row.id, wanted, zone_row.id)
        uow.commit(ChangeSet.of(Topic.PURCHASING))


def set_capacity(ctx: Context, location: str, capacity: int | str | None) -> None:
    """How many units a bin holds; None when nobody knows (never full; scored neither roomy nor tight)."""
    ctx.user.require(Action.EDIT_CATALOG)
    units = None if capacity in (None, "") else validate.quantity(capacity, what="Capacity")
    with ctx.writing() as uow:
        place = resolve.location(uow, location)
        uow.purchasing.set_capacity(place.id, units)
        uow.commit(ChangeSet(location_ids=frozenset({place.id}), topics=frozenset({Topic.CATALOG})))


def suggest_bins(
    ctx: Context, sku: str, qty: int | str, *, site: str, lot: str | None = None, limit: int = 3
) -> list[BinSuggestion]:
    """The best bins of a site for `qty` units. `site` may also be the place the goods are at now
    (a receiving dock): its site's bins are then scored, that place left out."""
    qty = validate.quantity(qty)
    limit = validate.quantity(limit, what="Number of suggestions")
    classes = abc_classes(ctx)
    with ctx.reading() as uow:
        item = resolve.variant(uow, sku)
        origin = resolve.location(uow, site)
        lot_row = resolve.lot_by_number(uow, item, lot, ctx.today(), selling=False) if lot else None
        return list(_suggestions(uow, item, qty, origin, lot_row, _rules(uow), classes.get(item.id) == "A", limit))


def _suggestions(
    uow, item: VariantRow, qty: int, origin: LocationRow, lot: LotRow | None, rules, fast: bool, limit: int = 3
) -> tuple[BinSuggestion, ...]:
    site = resolve.site_of(uow, origin)
    bins = putaway_queries.candidate_bins(uow.connection, site.id)
    last = max(len(bins) - 1, 1)
    expiries = putaway_queries.lot_expiries_within(uow.connection, item.id, site.path)
    zone_path = uow.purchasing.category_zone_path(site.id, item.category)
    facts = [
        BinFacts(
            location=b.code,
            sku=item.sku,
            qty=qty,
            holds_variant=b.id in expiries,
            zone_category=item.category if zone_path and b.path.startswith(zone_path) else None,
            capacity=b.capacity,
            on_hand=int(b.on_hand),
            lot=lot.number if lot else None,
            lot_first_out=_first_out(expiries.get(b.id), lot),
            fast_mover=fast,
            walk_position=position / last,
        )
        for position, b in enumerate(bins)
        if b.id != origin.id
    ]
    return tuple(BinSuggestion(f.location, points, reasons) for f, points, reasons in rank(facts, rules, limit))


def _first_out(held: list[date | None] | None, lot: LotRow | None) -> bool:
    """FEFO: none of the item's lots in the bin expires after the incoming lot (no date: last)."""
    if lot is None or not held:
        return False
    incoming = lot.expires_on or date.max
    return all((expires or date.max) <= incoming for expires in held)


def putaway_tasks(ctx: Context, po_id: int) -> list[PutawayTask]:
    """What this order's receipts still leave in available stock at its destination, with bins for each."""
    classes = abc_classes(ctx)
    with ctx.reading() as uow:
        po = header(uow, po_id)
        origin = uow.catalog.location(po.deliver_to_id)
        rules = _rules(uow)
        conn = uow.connection
        serials = putaway_queries.order_serials_at(conn, reference(po_id), origin.id)
        tasks = []
        for variant_id, lot_id, qty in putaway_queries.order_leftovers(conn, reference(po_id), origin.id):
            item = uow.catalog.variant(variant_id)
            lot = uow.catalog.lot(lot_id) if item.tracking is Tracking.LOT else None
            units = tuple(serials.get((variant_id, lot_id), ())) if item.tracking is Tracking.SERIAL else ()
            if item.tracking is Tracking.SERIAL:
                qty = min(qty, len(units))
            if qty:
                bins = _suggestions(uow, item, qty, origin, lot, rules, classes.get(item.id) == "A")
                number = lot.number if lot else None
                tasks.append(PutawayTask(item.sku, item.name, number, units, qty, origin.code, bins))
        return tasks


def put_away(
    ctx: Context,
    sku: str,
    qty: int | str,
    *,
    source: str,
    dest: str,
    lot: str | None = None,
    serials: Sequence[str] = (),
    ref: str | None = None,
    key: str | None = None,
) -> PostingResult:
    """Move available units from `source` to `dest` within one site (between sites: a transfer)."""
    qty = validate.quantity(qty)
    serials = [s.strip() for s in serials]
    ref = (ref or "").strip() or None

    def plan(uow) -> Plan:
        item = resolve.variant(uow, sku)
        src = resolve.location(uow, source)
        dst = resolve.location(uow, dest)
        if src.id == dst.id:
            raise InvalidInput(f"The goods are at {src.code} already; choose another bin to put them in.")
        src_site, dst_site = resolve.site_of(uow, src), resolve.site_of(uow, dst)
        if src_site.id != dst_site.id:
            raise InvalidInput(
                f"{src.code} is in site {src_site.code} and {dst.code} in site {dst_site.code}; a put-away stays "
                "within one site. Use a transfer to move stock between sites."
            )
        capacity = uow.purchasing.capacity(dst.id, lock=True)
        if capacity is not None:
            held = putaway_queries.on_hand_at(uow.connection, dst.id)
            if held + qty > capacity:
                raise InvalidInput(
                    f"{dst.code} holds at most {capacity} units and has {held}: room for {max(capacity - held, 0)}, "
                    f"not {qty}. Choose another bin, or split the goods."
                )
        drafts = [
            MovementDraft(Kind.PUTAWAY, item.id, n, Leg(src.id, A), Leg(dst.id, A), lot_id, serial_id=serial_id)
            for lot_id, n, serial_id in outbound(uow, ctx, item, src, qty, lot, serials, A)
        ]
        return Plan(drafts, reference=ref, topics=frozenset({Topic.PURCHASING}))

    request = {"sku": sku, "qty": qty, "from": source, "to": dest, "lot": lot, "serials": serials, "ref": ref}
    return post(ctx, kind=Kind.PUTAWAY, key=key, request=request, plan=plan)
