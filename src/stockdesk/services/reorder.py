"""Reorder: per item and site a reorder point and a maximum; what is below it, and the transfers
and draft purchase orders that bring it back up.

Position at a site = available + in transit + on order there. What was already asked for counts
as coming: transfers requested or approved towards the site are added to in transit, lines of draft
purchase orders for the site to on order. So drafting twice does not order twice.
An item is listed when its position is under the reorder point; it needs `max - position`.

Surplus first: another site can spare what it has available above its own maximum when it has a
rule for the item, else above the item's catalogue reorder point (a site without a rule, such as
a central warehouse, keeps that much as its floor), less what transfers already asked of it. The
site with the most to spare gives (one transfer per line); the rest is ordered from the rule's
supplier, else the supplier the item was last ordered from (a sent order), else nobody (unassigned).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..db import reorder_queries
from ..domain import validate
from ..domain.catalog import GroupBy
from ..domain.errors import InvalidInput
from ..domain.postings import ChangeSet, Topic
from ..domain.users import Action
from . import resolve
from .context import Context
from .purchase_orders import PoLineInput, PurchaseOrderRow, add_draft_po
from .suppliers import find as find_supplier
from .transfers import TransferRow, add_transfer_request

REORDER_LOCK = "reorder_lock"
"""The `settings` row every drafter updates first: drafting takes turns (who drafted last is kept)."""


@dataclass(frozen=True)
class ReorderRuleRow:
    sku: str
    site: str
    reorder_point: int
    max_qty: int
    supplier: str | None


@dataclass(frozen=True)
class ReorderLine:
    sku: str
    name: str
    site: str
    available: int
    in_transit: int
    on_order: int
    reorder_point: int
    max_qty: int
    transfer_from: str | None
    transfer_qty: int
    order_qty: int
    supplier: str | None


@dataclass(frozen=True)
class ReorderPlan:
    transfers: tuple[TransferRow, ...]
    orders: tuple[PurchaseOrderRow, ...]
    unassigned: tuple[ReorderLine, ...]
    """Lines with units to order but no supplier known: set one on their rule."""


def set_reorder_rule(
    ctx: Context,
    sku: str,
    *,
    site: str,
    reorder_point: int | str,
    max_qty: int | str,
    supplier: str | None = None,
) -> ReorderRuleRow:
    ctx.user.require(Action.PURCHASE)
    point = validate.quantity(reorder_point, what="Reorder point", allow_zero=True)
    most = validate.quantity(max_qty, what="Maximum")
    if most < point:
        raise InvalidInput(f"The maximum ({most}) must be at least the reorder point ({point}).")
    with ctx.writing() as uow:
        item = resolve.variant(uow, sku)
        place = resolve.site(uow, site)
        vendor = find_supplier(uow, supplier, active=True) if supplier else None
        uow.purchasing.set_reorder_rule(
            variant_id=item.id,
            site_id=place.id,
            reorder_point=point,
            max_qty=most,
            supplier_id=vendor.id if vendor else None,
        )
        uow.commit(ChangeSet.of(Topic.PURCHASING))
    return ReorderRuleRow(item.sku, place.code, point, most, vendor.code if vendor else None)


def below_reorder(ctx: Context, *, site: str | None = None) -> list[ReorderLine]:
    """Items under their reorder point (at one site, or every site), by site then SKU."""
    with ctx.reading() as uow:
        return _below_reorder(uow, site)


def _below_reorder(uow, site: str | None) -> list[ReorderLine]:
    only = resolve.site(uow, site).id if site else None
    conn = uow.connection
    rules = reorder_queries.rules(conn)
    if not rules:
        return []
    items = {r.variant_id for r in rules}
    available, in_transit, on_order = _positions(uow, items)
    surplus = _surplus(rules, available)
    for v, from_site, to_site, qty in reorder_queries.requested_transfers(conn, items):
        in_transit[v, to_site] += qty
        surplus[v, from_site] -= qty
    for key, qty in reorder_queries.drafted_orders(conn, items).items():
        on_order[key] += qty
    latest = uow.purchasing.latest_suppliers(items)
    site_codes = reorder_queries.sites(conn)
    lines = []
    for rule in rules:
        key = (rule.variant_id, rule.site_id)
        position = available[key] + in_transit[key] + on_order[key]
        if (only is not None and rule.site_id != only) or position >= rule.reorder_point:
            continue
        need = rule.max_qty - position
        donor = _best_donor(surplus, rule.variant_id, rule.site_id, site_codes)
        moved = min(need, surplus[rule.variant_id, donor]) if donor else 0
        if donor:
            surplus[rule.variant_id, donor] -= moved
        lines.append(
            ReorderLine(
                sku=rule.sku,
                name=rule.name,
                site=rule.site,
                available=available[key],
                in_transit=in_transit[key],
                on_order=on_order[key],
                reorder_point=rule.reorder_point,
                max_qty=rule.max_qty,
                transfer_from=site_codes[donor] if donor else None,
                transfer_qty=moved,
                order_qty=need - moved,
                supplier=rule.supplier or latest.get(rule.variant_id),
            )
        )
    return lines


def _positions(uow, items):
    """Per (variant, site): available, in transit and on order, summed over lots."""
    available: dict[tuple[int, int], int] = defaultdict(int)
    in_transit: dict[tuple[int, int], int] = defaultdict(int)
    on_order: dict[tuple[int, int], int] = defaultdict(int)
    for row in uow.queries.stock(variant_ids=sorted(items), group_by=GroupBy.SITE):
        key = (row.variant_id, row.location_id)
        available[key] += row.available
        in_transit[key] += row.in_transit
        on_order[key] += row.on_order
    return available, in_transit, on_order


def _surplus(rules, available) -> dict[tuple[int, int], int]:
    """What each site holding an item could spare of it (see the module docstring)."""
    ceiling = {(r.variant_id, r.site_id): r.max_qty for r in rules}
    floors = {r.variant_id: r.item_reorder_point for r in rules}
    surplus: dict[tuple[int, int], int] = defaultdict(int)
    for (variant_id, site_id), qty in available.items():
        surplus[variant_id, site_id] = qty - ceiling.get((variant_id, site_id), floors[variant_id])
    return surplus


def _best_donor(surplus, variant_id: int, site_id: int, site_codes: dict[int, str]) -> int | None:
    """The other site with the most to spare (by code on a tie), or None when none can spare any."""
    offers = [(-qty, site_codes[s], s) for (v, s), qty in surplus.items() if v == variant_id and s != site_id]
    offers = [offer for offer in offers if offer[0] < 0]
    return min(offers)[2] if offers else None


def draft_reorder(ctx: Context, *, site: str | None = None) -> ReorderPlan:
    """Request the surplus transfers and draft one purchase order per supplier and site.

    One write transaction that first takes the reorder lock: a second buyer drafting at the same
    moment waits, then reads the list with the first one's transfers and drafts already counted in,
    instead of ordering the same units again."""
    ctx.user.require(Action.PURCHASE)
    with ctx.writing() as uow:
        uow.purchasing.set_setting(REORDER_LOCK, {"user_id": ctx.user.id, "at": ctx.now().isoformat()})
        lines = _below_reorder(uow, site)
        moves: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
        orders: dict[tuple[str, str], list[PoLineInput]] = defaultdict(list)
        for line in lines:
            if line.transfer_qty:
                moves[line.transfer_from, line.site].append((line.sku, line.transfer_qty))
            if line.order_qty and line.supplier:
                orders[line.supplier, line.site].append(PoLineInput(line.sku, line.order_qty))
        transfers = tuple(
            add_transfer_request(uow, ctx, items, source=source, dest=dest, note="Reorder: surplus from another site")
            for (source, dest), items in sorted(moves.items())
        )
        drafted = tuple(
            add_draft_po(uow, ctx, supplier, deliver_to=dest, lines=items, note="Drafted by reorder")
            for (supplier, dest), items in sorted(orders.items())
        )
        uow.commit(ChangeSet.of(Topic.TRANSFERS, Topic.PURCHASING))
    unassigned = tuple(line for line in lines if line.order_qty and not line.supplier)
    return ReorderPlan(transfers, drafted, unassigned)
