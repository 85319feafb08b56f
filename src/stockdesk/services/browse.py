"""The stock screen's reads: the stock picture a page at a time for a filter, and fresh rows for
the items another write changed (so an open screen updates those rows instead of reloading).

A page holds whole items, about `PAGE_ROWS` rows: the rows `queries.stock` gives for each item in
the chosen place, or one empty row (no location) for an item that has nothing there now, so a
search always finds the item and a sold-out item shows under "below reorder point".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from math import ceil

from ..db.stock_browse import ItemMatch, match_items
from ..domain.catalog import StockRow
from .context import Context
from .resolve import location

PAGE_ROWS = 200
FIRST_GUESS_ROWS_PER_ITEM = 10
MAX_WORDS = 6
"""More words than this narrow a search no further in practice; the rest are ignored."""


@dataclass(frozen=True)
class StockFilter:
    text: str = ""
    """Every word must appear in the SKU, name, barcode or an attribute value (any case)."""
    at: str | None = None
    """A site or any location code: that place and everything under it; None for all sites."""
    below_reorder: bool = False
    """Only items whose available total in the place is under their reorder point."""

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.text.split())[:MAX_WORDS]


@dataclass(frozen=True)
class StockPage:
    rows: tuple[StockRow, ...]
    below_reorder: frozenset[int]
    """Variant ids of the rows' items whose available total in the place is under their reorder point."""
    after: str | None = None
    """The SKU the next page starts after; None when nothing follows."""


def stock_page(ctx: Context, wanted: StockFilter, after: str | None = None, rows: int = PAGE_ROWS) -> StockPage:
    """The items after SKU `after` that match, with their rows: whole items, about `rows` rows.

    Without a search, items are asked for in batches sized by the rows per item seen so far (about
    one per site), so a filter that few items pass stops walking the catalogue once the page is full.
    """
    with ctx.reading() as uow:
        within = _within(uow, wanted)
        taken: list[ItemMatch] = []
        # A search asks for a whole page of items at once: PostgreSQL reads every match to sort them.
        count, batch = 0, rows if wanted.words else max(rows // FIRST_GUESS_ROWS_PER_ITEM, 1)
        while True:
            found = match_items(
                uow.connection,
                words=wanted.words,
                within=within,
                below_reorder=wanted.below_reorder,
                after=taken[-1].sku if taken else after,
                limit=batch,
            )
            for item in found:
                if taken and count + max(item.rows, 1) > rows:
                    return _page(uow, taken, within, after=taken[-1].sku)
                taken.append(item)
                count += max(item.rows, 1)
            if len(found) < batch:
                return _page(uow, taken, within)
            if count >= rows:
                return _page(uow, taken, within, after=taken[-1].sku)
            batch = min(rows, ceil((rows - count) * len(taken) / count) + 1)


def stock_rows(ctx: Context, wanted: StockFilter, variant_ids: Collection[int]) -> StockPage:
    """The rows the filter shows now for these items (none for an item that no longer matches)."""
    if not variant_ids:
        return StockPage((), frozenset())
    with ctx.reading() as uow:
        within = _within(uow, wanted)
        found = match_items(
            uow.connection,
            words=wanted.words,
            within=within,
            below_reorder=wanted.below_reorder,
            variant_ids=sorted(variant_ids),
        )
        return _page(uow, found, within)


def _within(uow, wanted: StockFilter) -> str | None:
    return location(uow, wanted.at).path if wanted.at else None


def _page(uow, items: Sequence[ItemMatch], within: str | None, *, after: str | None = None) -> StockPage:
    if not items:
        return StockPage((), frozenset(), after)
    by_item: dict[int, list[StockRow]] = defaultdict(list)
    for row in uow.queries.stock(variant_ids=[item.variant_id for item in items], within=within):
        by_item[row.variant_id].append(row)
    rows: list[StockRow] = []
    short: set[int] = set()
    for item in items:
        found = by_item.get(item.variant_id) or [_nothing_here(item)]
        rows.extend(found)
        if sum(row.available for row in found) < item.reorder_point:
            short.add(item.variant_id)
    return StockPage(tuple(rows), frozenset(short), after)


def _nothing_here(item: ItemMatch) -> StockRow:
    return StockRow(item.variant_id, item.sku, item.name, None, None, 0, None, None, 0, 0, 0, 0, 0, item.reorder_point)
