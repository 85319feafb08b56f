"""Sales orders: entered by hand (or imported), confirmed at a site, cancelled.

Confirming reserves what the site has and reports the rest, so nothing is ever promised twice;
confirming again later reserves what is still missing. Both confirm and cancel are postings even
when nothing moves: the posting records who did it and when.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from ..db.uow import UnitOfWork, WriteConflict
from ..domain.catalog import LocationRow
from ..domain.errors import AlreadyExists, InsufficientStock, InvalidInput, InvalidState
from ..domain.postings import ChangeSet, MovementDraft, Topic
from ..domain.quantities import Bucket, Kind, Leg, LocationKind
from ..domain.sales import OPEN_STATUSES, STATUSES, text_field
from . import resolve
from .context import Context
from .order_entry import (
    NewOrder,
    SoLineInput,
    channel_name,
    insert_orders,
    merge_lines,
    ordered_moment,
    resolve_line,
)
from .order_rows import (
    ORDER_TOPIC,
    SalesOrderRow,
    SoLineRow,
    open_order,
    order_row,
    order_row_from,
    order_rows,
    reference,
    settle_row,
)
from .posting import Plan, post

__all__ = [
    "ConfirmResult",
    "SalesOrderRow",
    "Shortage",
    "SoLineInput",
    "SoLineRow",
    "cancel_order",
    "confirm_order",
    "create_order",
    "get_order",
    "list_orders",
    "reference",
]

CONFIRM_ATTEMPTS = 3
"""Plans before giving up when other desktops keep taking the units a plan counted on; the last
attempt locks the level rows it reads (PostgreSQL), so it cannot be overtaken."""


@dataclass(frozen=True)
class Shortage:
    sku: str
    wanted: int
    """Units still to ship on the line."""
    reserved: int


@dataclass(frozen=True)
class ConfirmResult:
    order: SalesOrderRow
    shortages: tuple[Shortage, ...]


_OWN_NUMBER = re.compile(r"SO-\d+", re.IGNORECASE)
"""What our own order numbers look like (see order_rows.reference): a typed one would clash with them."""


def create_order(
    ctx: Context,
    customer_name: str,
    lines: Sequence[SoLineInput],
    *,
    external_ref: str | None = None,
    channel: str = "manual",
    ship_to: str | None = None,
    note: str | None = None,
    ordered_at: datetime | str | None = None,
) -> SalesOrderRow:
    if not lines:
        raise InvalidInput("An order needs at least one line: add the items the customer ordered.")
    channel = channel_name(channel)
    external_ref = text_field(external_ref, what="Order number", limit=100)
    if external_ref and _OWN_NUMBER.fullmatch(external_ref):
        raise InvalidInput(
            f"{external_ref} looks like one of our own order numbers (an order without a number gets one); "
            "leave the order number empty or type the customer's own reference."
        )
    order = NewOrder(
        external_ref=external_ref,
        customer_name=text_field(customer_name, what="Customer name", limit=200, required=True),
        ship_to=text_field(ship_to, what="Ship-to address", limit=1000),
        ordered_at=ordered_moment(ordered_at, ctx.now()),
        note=text_field(note, what="Note", limit=1000),
        lines=(),
    )
    try:
        return _write_order(ctx, channel, order, lines)
    except WriteConflict:
        # Another desktop entered the same order number just now: the second try sees it and says so.
        return _write_order(ctx, channel, order, lines)


def _write_order(ctx: Context, channel: str, order: NewOrder, lines: Sequence[SoLineInput]) -> SalesOrderRow:
    external_ref = order.external_ref
    with ctx.writing() as uow:
        known = uow.sales.known_refs(channel, [external_ref] if external_ref else [])
        if external_ref in known:
            raise AlreadyExists(
                f"Order {external_ref} of {channel} is already on the books as {reference(known[external_ref])}."
            )
        order = replace(order, lines=merge_lines([resolve_line(uow, line) for line in lines]))
        [order_id] = insert_orders(uow, ctx, channel, [order])
        row = order_row(uow, order_id)
        uow.commit(ChangeSet.of(Topic.ORDERS))
    return row


def confirm_order(ctx: Context, order_id: int, *, site: str) -> ConfirmResult:
    """Reserve each line's missing units from the site's free stock (first expiring lots first, then
    in walking order; expired lots never), as one RESERVE posting; report what could not be had."""
    for attempt in range(CONFIRM_ATTEMPTS):
        last = attempt == CONFIRM_ATTEMPTS - 1
        try:
            return _confirm(ctx, order_id, site, lock_levels=last)
        except InsufficientStock:
            # Another desktop took units this plan counted on between our read and our write.
            if last:
                raise
    raise AssertionError("unreachable")


def _confirm(ctx: Context, order_id: int, site: str, *, lock_levels: bool) -> ConfirmResult:
    done: dict[str, SalesOrderRow] = {}

    def plan(uow: UnitOfWork) -> Plan:
        header = open_order(uow, order_id, step="confirmed")
        lines = uow.sales.lines([order_id])
        place = _site(uow, header, site, holding=any(line.qty_reserved for line in lines))
        if lock_levels:
            uow.sales.lock_levels(order_id, place.path)
        drafts: list[MovementDraft] = []
        taken: Counter[int] = Counter()
        for line_id, variant_id, location_id, lot_id, unreserved, available in uow.sales.availability(
            order_id, place.path, ctx.today()
        ):
            take = min(available, unreserved - taken[line_id])
            if take > 0:
                free, held = Leg(location_id, Bucket.AVAILABLE), Leg(location_id, Bucket.RESERVED)
                drafts.append(MovementDraft(Kind.RESERVE, variant_id, take, free, held, lot_id))
                taken[line_id] += take

        def after(uow: UnitOfWork, _posting_id: int) -> None:
            uow.sales.change_lines([(line_id, n, 0, 0) for line_id, n in sorted(taken.items())])
            # The order is locked: its lines are as read above, plus what this posting reserved.
            row = order_row_from(uow, header, lines)
            now_reserved = tuple(replace(line, reserved=line.reserved + taken[line.id]) for line in row.lines)
            row = replace(row, lines=now_reserved)
            done["order"] = settle_row(uow, row, ctx.now(), site=place)

        return Plan(drafts, reference=reference(order_id), after=after, topics=ORDER_TOPIC)

    post(ctx, kind=Kind.RESERVE, key=None, request={"order": order_id, "site": site}, plan=plan)
    order = done["order"]
    shortages = tuple(Shortage(line.sku, line.open_qty, line.reserved) for line in order.lines if line.unreserved)
    return ConfirmResult(order, shortages)


def _site(uow: UnitOfWork, header, code: str, *, holding: bool) -> LocationRow:
    """The site to reserve at: while the order holds units it stays with the site that holds them;
    with nothing reserved (none was in stock there) another site may fulfil it."""
    place = resolve.location(uow, code)
    if place.kind is not LocationKind.SITE:
        site = resolve.site_of(uow, place).code
        raise InvalidInput(
            f"{place.code} is a {place.kind.value}, not a site; confirm the order at a site, e.g. {site}."
        )
    if holding and header.site_id != place.id:
        raise InvalidInput(
            f"Order {reference(header.id)} is fulfilled from {header.site_code}, where its units are reserved; "
            "confirm it there."
        )
    return place


def cancel_order(ctx: Context, order_id: int) -> SalesOrderRow:
    """Give every reserved unit back to available stock; refused once anything has shipped."""
    done: dict[str, SalesOrderRow] = {}

    def plan(uow: UnitOfWork) -> Plan:
        open_order(uow, order_id, step="cancelled")
        lines = uow.sales.lines([order_id])
        if any(line.qty_shipped for line in lines):
            raise InvalidState(
                f"Order {reference(order_id)} has already shipped in part; it cannot be cancelled. "
                "Book what the customer sends back as a return."
            )
        drafts = [
            MovementDraft(
                Kind.RELEASE,
                r.variant_id,
                r.qty,
                Leg(r.location_id, Bucket.RESERVED),
                Leg(r.location_id, Bucket.AVAILABLE),
                r.lot_id,
            )
            for r in uow.sales.reservations_of([reference(order_id)])
        ]

        def after(uow: UnitOfWork, _posting_id: int) -> None:
            uow.sales.change_lines([(line.id, -line.qty_reserved, -line.qty_packed, 0) for line in lines])
            uow.sales.forget_packed_serials(order_id)
            uow.sales.set_order(order_id, ctx.now(), status="cancelled")
            done["order"] = order_row(uow, order_id)

        return Plan(drafts, reference=reference(order_id), after=after, topics=ORDER_TOPIC)

    post(ctx, kind=Kind.RELEASE, key=None, request={"order": order_id, "cancel": True}, plan=plan)
    return done["order"]


def get_order(ctx: Context, order_id: int) -> SalesOrderRow:
    with ctx.reading() as uow:
        return order_row(uow, order_id)


def list_orders(ctx: Context, *, status: str | None = None, open_only: bool = False) -> list[SalesOrderRow]:
    """Newest first; `open_only` keeps the orders that still have work to do."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"An order's status is one of {', '.join(STATUSES)}; '{status}' is not.")
    statuses = [status] if status else None
    if open_only:
        statuses = [s for s in statuses or OPEN_STATUSES if s in OPEN_STATUSES]
    with ctx.reading() as uow:
        return order_rows(uow, uow.sales.orders(statuses=statuses))
