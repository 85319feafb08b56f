"""The stock screen's search: which items come next for a filter, one page at a time.

A page is found in two steps. This module does the first: the items, in SKU order after the last
one shown (keyset paging on the unique SKU index, so the hundredth page costs what the first does),
whose SKU, name, barcode or an attribute value contains every searched word, that belong to the
chosen place, and optionally whose available total there is under their reorder point. The second
step reads those items' rows through the stock picture's own statement (`StockQueries.stock` with
`variant_ids`), so the screen shows exactly what `services.queries.stock` would, in transit included.

An item belongs to a place (a site or any subtree) if it has a level row there, even one now at
zero, or a transfer or an open purchase order is bringing it there: a sold-out item stays listed
where it is kept.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from typing import NamedTuple

from sqlalchemy import (
    ARRAY,
    Connection,
    Integer,
    any_,
    bindparam,
    exists,
    func,
    literal_column,
    or_,
    select,
)

from .records import levels, locations, purchase_order_lines, purchase_orders, transfer_lines, transfers, variants
from .stock_picture import is_in_transit, is_on_order

ESCAPE = "/"


class ItemMatch(NamedTuple):
    variant_id: int
    sku: str
    name: str
    reorder_point: int
    rows: int
    """Level rows holding stock in the place: sizes a page (what transfers bring is not counted)."""


def match_items(
    conn: Connection,
    *,
    words: Sequence[str] = (),
    within: str | None = None,
    below_reorder: bool = False,
    after: str | None = None,
    limit: int | None = None,
    variant_ids: Collection[int] | None = None,
) -> list[ItemMatch]:
    """Items matching the filter in SKU order: the first `limit` after `after`, or those among `variant_ids`;
    `within` (a location path) limits them to that place and what is under it."""
    place_ids = _locations_within(conn, within) if within else None
    statement, params = items_query(
        conn.dialect.name, words, within, place_ids, below_reorder, after, limit, variant_ids
    )
    return [ItemMatch(*row) for row in conn.execute(statement, params)]


def items_query(
    dialect: str,
    words: Sequence[str],
    within: str | None,
    place_ids: Collection[int] | None,
    below_reorder: bool,
    after: str | None,
    limit: int | None,
    variant_ids: Collection[int] | None,
):
    """The statement and its parameters (the benchmark runs them raw too)."""
    place = None if within is None else ("site" if within.count("/") == 2 else "part")  # a site's path is /id/
    some = variant_ids is not None
    statement = _statement(dialect, len(words), place, below_reorder, after is not None, some)
    params: dict[str, object] = {f"word{i}": contains_pattern(_folded(dialect, w)) for i, w in enumerate(words)}
    params.update(place_ids=place_ids, after=after, limit=limit, variant_ids=variant_ids)
    return statement, {k: v for k, v in params.items() if v is not None}


def contains_pattern(word: str) -> str:
    """A LIKE pattern for 'contains `word`', with the wildcards a user may type taken literally."""
    escaped = word.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return f"%{escaped}%"


@functools.cache
def _statement(dialect: str, words: int, place: str | None, below_reorder: bool, after: bool, some: bool):
    """One statement per shape of filter and engine, built once; values come as parameters.

    Each of the `words` must be in the variant's search text (migration 0003). Walking the SKU index
    reads the variants in random order: cheap when the first matches come soon, three times a plain
    scan when few or none match. So on PostgreSQL a search reads the matching items sorted by SKU
    first, and only then asks of each in turn, until the page is full, whether it is in the place
    and short. SQLite sorts the whole result again after such a subquery, so it scans and sorts for
    a search alone, and walks the index when a place or the reorder point is asked too.
    """
    item = _text_matches(dialect, words, after) if words and not some and dialect == "postgresql" else variants
    if place:  # +0: an item's few level rows are read by variant and filtered, not sought per location
        in_place = _one_of(dialect, levels.c.location_id + literal_column("0"))
    else:  # levels exist for shelves and for transit only; what is in transit shows at its destination
        in_place = levels.c.location_id != select(locations.c.id).where(locations.c.kind == "transit").scalar_subquery()
    held_here = select(func.count()).where(
        levels.c.variant_id == item.c.id, levels.c.on_hand > literal_column("0"), in_place
    )
    # SQLite searching only text: the SKU as an expression (sku || ''), which no index serves, so it
    # scans the table and keeps the first rows in SKU order; otherwise it walks the SKU index.
    scan = dialect == "sqlite" and words and not (place or below_reorder or some)
    key = variants.c.sku.concat(literal_column("''")) if scan else item.c.sku
    query = select(
        item.c.id, item.c.sku, item.c.name, item.c.reorder_point, held_here.scalar_subquery().label("rows")
    ).order_by(key)
    if item is variants:
        query = query.where(*_mentions(words))
        if after:
            query = query.where(key > bindparam("after"))
    if place:
        # Which items are in a part of a site, PostgreSQL answers once, through the location index (a
        # hashed subplan, as cheap as the part is small); of a whole site, which holds much of the
        # catalogue, it is cheaper to ask each item in turn, from its own rows, as SQLite always does.
        member = _one_of(dialect, levels.c.location_id) if dialect == "postgresql" and place == "part" else in_place
        query = query.where(or_(exists().where(levels.c.variant_id == item.c.id, member), _arriving(dialect, item)))
    if below_reorder:
        available = select(func.sum(levels.c.on_hand - levels.c.reserved - levels.c.quarantined)).where(
            levels.c.variant_id == item.c.id, in_place
        )
        # Nothing is below a reorder point of 0: most items are skipped before their levels are summed.
        query = query.where(
            item.c.reorder_point > literal_column("0"),
            item.c.reorder_point > func.coalesce(available.scalar_subquery(), 0),
        )
    if some:
        return query.where(item.c.id.in_(bindparam("variant_ids", expanding=True)))
    return query.limit(bindparam("limit"))


def _text_matches(dialect: str, words: int, after: bool):
    """The items whose text matches, sorted; OFFSET 0 keeps PostgreSQL from merging it into the
    outer query, so the place and reorder checks run on the sorted rows, only as far as needed."""
    query = select(variants.c.id, variants.c.sku, variants.c.name, variants.c.reorder_point).where(*_mentions(words))
    if after:
        query = query.where(variants.c.sku > bindparam("after"))
    return query.order_by(variants.c.sku).offset(0).subquery("found")


def _mentions(words: int) -> list:
    """Each word is in the SKU, name, barcode or an attribute value: the search text the database keeps."""
    return [variants.c.search_text.like(bindparam(f"word{i}"), escape=ESCAPE) for i in range(words)]


def _folded(dialect: str, word: str) -> str:
    """The case the search text is kept in: PostgreSQL lowers every letter; SQLite's lower() only
    A-Z, which its LIKE ignores anyway, so the word is left as typed there."""
    return word.lower() if dialect == "postgresql" else word


def _one_of(dialect: str, column):
    """`column` is one of the place's locations, given as a list: a constant the planners look up
    per level row through the primary key, where a join to the location tree (whose path is not
    indexed for LIKE under PostgreSQL's collation) made them scan the tree once per item."""
    if dialect == "postgresql":
        return column == any_(bindparam("place_ids", type_=ARRAY(Integer)))
    return column.in_(bindparam("place_ids", expanding=True))


def _arriving(dialect: str, item):
    """A picked transfer or a sent purchase order is bringing the item into the place."""
    by_transfer = exists().where(
        transfer_lines.c.variant_id == item.c.id,
        is_in_transit(),
        transfers.c.id == transfer_lines.c.transfer_id,
        _one_of(dialect, transfers.c.to_location_id),
    )
    by_order = exists().where(
        purchase_order_lines.c.variant_id == item.c.id,
        is_on_order(),
        purchase_orders.c.id == purchase_order_lines.c.po_id,
        _one_of(dialect, purchase_orders.c.deliver_to_id),
    )
    return or_(by_transfer, by_order)


def _locations_within(conn: Connection, path: str) -> list[int]:
    """The ids of a place and everything under it (its path is the prefix of theirs)."""
    return list(conn.scalars(select(locations.c.id).where(locations.c.path.startswith(path))))
