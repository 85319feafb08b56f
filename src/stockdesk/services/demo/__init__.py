"""A realistic demo business for an empty database: sites, catalogue, users and a few weeks of history.

Everything is posted through the services (so the books are as real as a user's), with the
context's clock set into the past; the same seed gives the same business.

- Sites: a central warehouse (zones > aisles > bins, with walking-order sort keys) and two shops
  (a few bins each).
- About 200 variants of a handful of products with size and colour attributes; coffee, tea, bars
  and sunscreen are lot-tracked with expiry dates (some within a fortnight, none expired); the
  headphones, watches and speakers are serial-tracked.
- Users: the owner, a manager (maria) and a staff member (sam).
- Four weeks of history: supplier receipts, transfers to the shops (and one each left requested,
  approved, picked and cancelled), shop sales, web orders reserved and shipped from the warehouse
  (some still reserved), returns, a quarantine, adjustments and a posted cycle count.
- Purchasing and sales documents in every state (documents.py): suppliers, purchase orders received
  and put away, partly received, sent and draft; web orders shipped, returned, packed, confirmed,
  cancelled and new.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...domain.errors import InvalidState
from ...domain.quantities import LocationKind
from ...domain.users import Action
from .. import catalog
from ..context import Context, open_context
from .business import build_catalogue, build_locations
from .documents import purchasing_and_orders
from .trading import DAYS, History, receive_everything, stock_the_shops, trading_day

DEFAULT_SEED = 1989


@dataclass(frozen=True)
class DemoSummary:
    sites: int
    locations: int
    variants: int
    postings: int
    days: int
    users: tuple[str, ...]


def is_empty(ctx: Context) -> bool:
    """No products and no locations yet: the only kind of database the demo fills."""
    with ctx.reading() as uow:
        return not (uow.catalog.variant_count() or uow.catalog.physical_locations())


def build_demo(ctx: Context, *, seed: int = DEFAULT_SEED) -> DemoSummary:
    ctx.user.require(Action.MANAGE_USERS)
    if not is_empty(ctx):
        raise InvalidState(
            "This database already has products or locations; the demo only fills an empty database. "
            "Point --db (or STOCKDESK_DB) at a new file and run 'stockdesk-cli init' first."
        )
    h = History(ctx, seed)
    h.at(0, 7)
    owner = h.owner
    catalog.add_user(owner, "maria", role="manager", display_name="Maria Lopez")
    catalog.add_user(owner, "sam", role="staff", display_name="Sam Patel")
    manager = open_context(ctx.database, "maria")
    manager.clock = h.clock
    staff = open_context(ctx.database, "sam")
    staff.clock = h.clock
    build_locations(owner)
    items = build_catalogue(owner, h.rng)
    receive_everything(h, staff, items)
    stock_the_shops(h, staff, manager, items, day=1)
    for day in range(2, DAYS):
        trading_day(h, staff, manager, items, day)
    purchasing_and_orders(h, staff, manager, items)
    with ctx.reading() as uow:
        postings = uow.ledger.posting_count()
        places = uow.catalog.physical_locations()
        locations, sites = len(places), sum(place.kind is LocationKind.SITE for place in places)
    return DemoSummary(sites, locations, len(items), postings, DAYS, (ctx.user.username, "maria", "sam"))
