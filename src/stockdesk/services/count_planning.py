"""What to count next: the items due at a place by their ABC class, and the counts still open.

An item's class sets how often it is counted (domain/abc.py); it is due when it was never counted
or its last count is older than that. These are the same rules `counts.start_count(only_due=True)`
uses to build the sheet, so the list shows exactly what a due-only count would contain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..db import count_queries
from ..domain import abc
from . import resolve
from .context import Context
from .counts import abc_classes

CLASS_ORDER = {"A": 0, "B": 1, "C": 2}


@dataclass(frozen=True)
class DueItemRow:
    sku: str
    name: str
    abc_class: str
    places: int
    """Locations in the chosen place that hold (or held) the item: lines on its count sheet."""
    last_counted: datetime | None
    due_since: datetime | None
    """When the item fell due; None when it has never been counted."""


@dataclass(frozen=True)
class OpenCountRow:
    id: int
    location: str
    started_at: datetime
    started_by: str | None
    lines: int
    counted: int


def due_items(ctx: Context, at: str) -> list[DueItemRow]:
    """Items at `at` (and below) that are due for counting: A first, then longest overdue."""
    classes = abc_classes(ctx)
    now = ctx.now()
    with ctx.reading() as uow:
        place = resolve.location(uow, at)
        last = uow.documents.last_counted()
        items = count_queries.items_within(uow.connection, place.path)
    due = []
    for item in items:
        grade = classes.get(item.id, "C")
        counted = last.get(item.id)
        if abc.is_due(grade, counted, now):
            since = counted + abc.COUNT_EVERY[grade] if counted else None
            due.append(DueItemRow(item.sku, item.name, grade, item.places, counted, since))
    return sorted(due, key=lambda r: (CLASS_ORDER[r.abc_class], r.due_since or datetime.min, r.sku))


def open_counts(ctx: Context, within: str | None = None) -> list[OpenCountRow]:
    """Counts started and not yet posted, oldest first; `within` keeps those inside one site or place."""
    with ctx.reading() as uow:
        path = resolve.location(uow, within).path if within else None
        return [
            OpenCountRow(r.id, r.code, r.started_at, r.username, r.lines, r.counted)
            for r in count_queries.open_sessions(uow.connection, path)
        ]
