"""The adjustments desk: a quick adjustment that insists on a reason and a note, the history of
corrections with filters, and the pattern of items that keep going missing at the same place.

The ledger functions (`stock.adjust`, `stock.reverse`) leave the note optional for imports and
scripts; a person correcting stock by hand must say why, so the desk's entry points require it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from ..db import adjustment_queries
from ..domain.errors import InvalidInput
from ..domain.postings import MovementRow, PostingResult
from ..domain.quantities import ADJUSTMENT_CODE, Kind
from ..domain.users import Action
from . import resolve
from .context import Context
from .stock import corrections

CORRECTIONS = frozenset({Kind.ADJUST, Kind.COUNT, Kind.SCRAP, Kind.REVERSAL})
"""What the history shows unless asked for every movement."""
LOSSES = (Kind.ADJUST, Kind.COUNT)
"""Movements to the adjustment account that count as stock going missing (scrap is a deliberate write-off)."""
NOTE_LIMIT = 1000
"""The longest note a posting stores."""
VIRTUAL_PREFIX = "@"
"""Codes of virtual places start with @ (catalog.add_location refuses it for real ones)."""


def quick_adjust(
    ctx: Context,
    sku: str,
    delta: int | str,
    *,
    at: str,
    reason: str | None,
    note: str | None,
    lot: str | None = None,
    serials: Sequence[str] = (),
    key: str | None = None,
) -> PostingResult:
    """An adjustment made at the desk: a reason code and a note saying what happened are both required."""
    ctx.user.require(Action.ADJUST)
    if not (sku or "").strip():
        raise InvalidInput("Say which item: scan it, or type its SKU or barcode.")
    if not (reason or "").strip():
        raise InvalidInput("Choose a reason for the adjustment; every adjustment needs one.")
    note = _note(note, "Write a note saying what happened; every adjustment needs one.")
    return corrections.adjust(
        ctx, sku, delta, at=at, reason=reason or "", note=note, lot=lot or None, serials=serials, key=key
    )


def reverse_movement(ctx: Context, movement_id: int, *, note: str | None, key: str | None = None) -> PostingResult:
    """Undo a movement with a new one pointing at it; the note says why the original was wrong."""
    ctx.user.require(Action.ADJUST)
    note = _note(note, "Write a note saying why the movement is reversed.")
    return corrections.reverse(ctx, movement_id, note=note, key=key)


def _note(note: str | None, missing: str) -> str:
    text = (note or "").strip()
    if not text:
        raise InvalidInput(missing)
    if len(text) > NOTE_LIMIT:
        raise InvalidInput(f"A note may be at most {NOTE_LIMIT} characters; this one has {len(text)}.")
    return text


# -- the history ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryFilter:
    sku: str | None = None
    """An SKU or barcode."""
    reason: str | None = None
    user: str | None = None
    since: date | None = None
    until: date | None = None
    """Inclusive: the whole of that day."""
    corrections_only: bool = True


@dataclass(frozen=True)
class HistoryRow:
    movement: MovementRow
    place: str
    """The real place the movement changed (the shelf side of an adjustment)."""
    change: int | None
    """Units added (+) or taken (-) at `place`; None for a move between two real places or buckets."""
    reversed_by: int | None


@dataclass(frozen=True)
class History:
    rows: tuple[HistoryRow, ...]
    more: bool
    """More movements match than were returned: narrow the filter to see older ones."""


def history(ctx: Context, wanted: HistoryFilter, *, limit: int = 500) -> History:
    """The newest movements matching the filter, newest first, each with what reversed it (if anything)."""
    since, before = _period(wanted.since, wanted.until)
    with ctx.reading() as uow:
        clauses = adjustment_queries.history_clauses(
            kinds=CORRECTIONS if wanted.corrections_only else (),
            variant_id=resolve.variant(uow, wanted.sku).id if wanted.sku and wanted.sku.strip() else None,
            reason=(wanted.reason or "").strip().upper() or None,
            username=wanted.user or None,
            since=since,
            before=before,
        )
        found = uow.ledger.movement_rows(*clauses, limit=limit + 1, newest_first=True)
        shown = found[:limit]
        reversed_by = adjustment_queries.reversals_of(uow.connection, (m.id for m in shown))
    return History(tuple(_history_row(m, reversed_by.get(m.id)) for m in shown), more=len(found) > limit)


def _history_row(move: MovementRow, reversed_by: int | None) -> HistoryRow:
    came_from_outside = move.from_location.startswith(VIRTUAL_PREFIX)
    went_outside = move.to_location.startswith(VIRTUAL_PREFIX)
    if came_from_outside and not went_outside:
        return HistoryRow(move, move.to_location, move.qty, reversed_by)
    if went_outside and not came_from_outside:
        return HistoryRow(move, move.from_location, -move.qty, reversed_by)
    return HistoryRow(move, move.from_location, None, reversed_by)


def _period(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    if since and until and since > until:
        raise InvalidInput(f"The period starts ({since}) after it ends ({until}); swap the dates.")
    start = datetime.combine(since, time()) if since else None
    end = datetime.combine(until + timedelta(days=1), time()) if until else None
    return start, end


@dataclass(frozen=True)
class FilterChoices:
    reasons: tuple[str, ...]
    users: tuple[str, ...]


def filter_choices(ctx: Context) -> FilterChoices:
    """What the history's reason and user filters offer: every reason code and every user."""
    with ctx.reading() as uow:
        return FilterChoices(
            tuple(adjustment_queries.reason_codes(uow.connection)), tuple(adjustment_queries.usernames(uow.connection))
        )


# -- the pattern ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatternRow:
    sku: str
    name: str
    location: str
    adjustments: int
    units_lost: int
    value_lost: Decimal
    last_at: datetime


def loss_pattern(ctx: Context, since: date, until: date | None = None, *, at_least: int = 2) -> list[PatternRow]:
    """Items that went missing at the same place at least `at_least` times in the period, worst first.

    Counted are adjustments and count variances that took stock away and were not reversed.
    """
    start, end = _period(since, until or ctx.today())
    with ctx.reading() as uow:
        rows = adjustment_queries.repeated_losses(
            uow.connection,
            adjustment_id=resolve.virtual(uow, ADJUSTMENT_CODE),
            kinds=LOSSES,
            since=start,
            before=end,
            at_least=at_least,
        )
    return [
        PatternRow(r.sku, r.name, r.code, r.adjustments, int(r.units), Decimal(r.unit_cost) * int(r.units), r.last_at)
        for r in rows
    ]
