"""Cycle counts: a blind count sheet, entered counts, and variances posted as of the count.

Each entered count stores the books' on hand at that moment; posting adjusts by
(counted - books then), so sales and receipts made while the count was going on are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from ..domain import abc, validate
from ..domain.errors import InvalidInput, InvalidState, NotFound
from ..domain.postings import ChangeSet, MovementDraft, PostingResult, Topic
from ..domain.quantities import ADJUSTMENT_CODE, Kind, Leg, Tracking
from ..domain.users import Action
from . import resolve
from .context import Context
from .posting import Plan, post


@dataclass(frozen=True)
class CountLineRow:
    """A line of the count sheet; `book` and `variance` stay None on the blind sheet."""

    id: int
    sku: str
    name: str
    location: str
    lot: str | None
    abc_class: str | None
    counted: int | None
    book: int | None = None
    variance: int | None = None
    value: Decimal | None = None


@dataclass(frozen=True)
class CountSheet:
    session_id: int
    location: str
    status: str
    lines: tuple[CountLineRow, ...]


def abc_classes(ctx: Context) -> dict[int, str]:
    with ctx.reading() as uow:
        return abc.classify(uow.documents.usage_value(ctx.now() - timedelta(days=365)))


def start_count(ctx: Context, at: str, *, only_due: bool = False) -> CountSheet:
    classes = abc_classes(ctx)
    with ctx.writing() as uow:
        place = resolve.location(uow, at)
        waiting = uow.documents.unreceived_transfers_into(place.path)
        if waiting:
            numbers = ", ".join(str(t) for t in waiting)
            raise InvalidState(
                f"Transfer {numbers} into {place.code} is picked but not received; receive it "
                "before counting, or the count will miss those units."
            )
        last = uow.documents.last_counted()
        lines = [
            (variant_id, location_id, lot_id, classes.get(variant_id, "C"))
            for variant_id, location_id, lot_id in uow.documents.stock_keys_within(place.path)
            if not only_due or abc.is_due(classes.get(variant_id, "C"), last.get(variant_id), ctx.now())
        ]
        session_id = uow.documents.add_count_session(place.id, ctx.user.id, ctx.now())
        uow.documents.add_count_lines(session_id, lines)
        sheet = _sheet(uow, session_id, blind=True)
        uow.commit(ChangeSet.of(Topic.COUNTS))
    return sheet


def enter_count(
    ctx: Context, session_id: int, sku: str, qty: int, *, at: str | None = None, lot: str | None = None
) -> CountLineRow:
    """Record what the counter found; counting again replaces the earlier figure."""
    qty = validate.quantity(qty, what="Counted quantity", allow_zero=True)
    with ctx.writing() as uow:
        # Locked like post_count, so an entry cannot slip into a count being posted at the same moment.
        session = _open_session(uow, session_id, lock=True)
        item = resolve.variant(uow, sku)
        lines = [
            line
            for line in uow.documents.count_lines(session_id)
            if line.variant_id == item.id
            and (at is None or line.code == at)
            and (lot is None or line.lot_number == lot)
        ]
        if len(lines) > 1:
            places = ", ".join(
                sorted({f"{line.code}{' lot ' + line.lot_number if line.lot_number else ''}" for line in lines})
            )
            raise InvalidInput(f"{item.sku} is on this count at {places}; say which location (and lot) you counted.")
        if lines:
            line_id, location_id, lot_id = lines[0].id, lines[0].location_id, lines[0].lot_id
        else:
            location_id, lot_id = _unexpected_place(uow, session, item, at, lot, ctx)
            line_id = uow.documents.add_count_line(session_id, item.id, location_id, lot_id)
        book = uow.queries.on_hand(item.id, location_id, lot_id)
        uow.documents.enter_count(line_id, qty, book, ctx.user.id, ctx.now())
        row = next(r for r in _sheet(uow, session_id, blind=True).lines if r.id == line_id)
        uow.commit(ChangeSet.of(Topic.COUNTS))
    return row


def _unexpected_place(uow, session, item, at, lot, ctx) -> tuple[int, int]:
    """An item found where the books have none: count it at the given (or the session's) location."""
    session_place = uow.catalog.location(session.location_id)
    place = resolve.location(uow, at) if at else session_place
    if not session_place.contains(place):
        raise InvalidInput(f"{place.code} is not part of this count of {session_place.code}.")
    if item.tracking is Tracking.LOT:
        if not lot:
            raise InvalidInput(f"{item.sku} is tracked by lot: say which lot you counted.")
        return place.id, resolve.lot_by_number(uow, item, lot, ctx.today(), selling=False).id
    return place.id, 0


def count_sheet(ctx: Context, session_id: int) -> CountSheet:
    """The blind sheet of a count already started, to carry on counting (on this or another desktop)."""
    with ctx.reading() as uow:
        return _sheet(uow, session_id, blind=True)


def count_variances(ctx: Context, session_id: int) -> CountSheet:
    """The manager's review: books at the moment of counting, counted, variance and its value.

    Only those who may post a count see it, so the counters' sheet stays blind.
    """
    ctx.user.require(Action.POST_COUNT)
    with ctx.reading() as uow:
        _session(uow, session_id)
        return _sheet(uow, session_id, blind=False)


def post_count(ctx: Context, session_id: int) -> PostingResult:
    ctx.user.require(Action.POST_COUNT)

    def plan(uow) -> Plan:
        _open_session(uow, session_id, lock=True)
        book = Leg(resolve.virtual(uow, ADJUSTMENT_CODE))
        drafts = []
        for line in uow.documents.count_lines(session_id):
            if line.counted_qty is None or line.counted_qty == line.book_qty:
                continue
            variance = line.counted_qty - line.book_qty
            if uow.catalog.variant(line.variant_id).tracking is Tracking.SERIAL:
                raise InvalidInput(f"{line.sku} is tracked by serial: adjust it serial by serial, not by a count.")
            before = uow.queries.on_hand(line.variant_id, line.location_id, line.lot_id)
            legs = (book, Leg(line.location_id)) if variance > 0 else (Leg(line.location_id), book)
            drafts.append(
                MovementDraft(
                    Kind.COUNT,
                    line.variant_id,
                    abs(variance),
                    *legs,
                    line.lot_id,
                    before_qty=before,
                    after_qty=before + variance,
                )
            )

        def after(uow, _posting_id: int) -> None:
            if not uow.documents.close_count_session(session_id, "posted", ctx.now()):
                raise InvalidState(f"Count {session_id} was closed by someone else meanwhile; nothing was posted.")

        return Plan(
            drafts, reference=f"COUNT-{session_id}", reason_code="COUNT", after=after, topics=frozenset({Topic.COUNTS})
        )

    return post(ctx, kind=Kind.COUNT, key=f"COUNT-{session_id}:post", request={"session": session_id}, plan=plan)


def _session(uow, session_id: int, *, lock: bool = False):
    session = uow.documents.count_session(session_id, lock=lock)
    if session is None:
        raise NotFound(f"There is no count number {session_id}.")
    return session


def _open_session(uow, session_id: int, *, lock: bool = False):
    session = _session(uow, session_id, lock=lock)
    if session.status != "open":
        raise InvalidState(f"Count {session_id} is already {session.status}.")
    return session


def _sheet(uow, session_id: int, *, blind: bool) -> CountSheet:
    session = _session(uow, session_id)
    rows = []
    for line in uow.documents.count_lines(session_id):
        variance = None if blind or line.counted_qty is None else line.counted_qty - line.book_qty
        rows.append(
            CountLineRow(
                id=line.id,
                sku=line.sku,
                name=line.name,
                location=line.code,
                lot=line.lot_number or None,
                abc_class=line.abc_class,
                counted=line.counted_qty,
                book=None if blind else line.book_qty,
                variance=variance,
                value=None if variance is None else Decimal(line.unit_cost) * variance,
            )
        )
    return CountSheet(session_id, uow.catalog.location(session.location_id).code, session.status, tuple(rows))
