"""The stock screen's search: which items come next for a filter, one page at a time.

A page is found in two steps. This module does the first: the items, in SKU order after the last
one shown (keyset paging on the unique SKU index, so the hundredth page costs what the first does),
whose SKU, name, barcode or an attribute value contains every searched word, that belong to the
chosen place, and optionally whose available total there is under their reorder point. The second
step reads those items' rows through the stock picture's own statement (`StockQueries.stock` with
`variant_ids`), so the screen shows exactly what `services.queries.stock` would, in transit included.

An item belongs to a place (a site or any subtree) if it has a level row there, even one now at
zero, or a transfer is bringing it there: a sold-out item stays listed where it is kept.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from typing import NamedTuple

from sqlalchemy import (
    ARRAY,
    Connection,
    Integer,
    Text,
    and_,
    any_,
    bindparam,
    cast,
    exists,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
)

from .records import levels, locations, transfer_lines, transfers, variants
from .stock_picture import is_in_transit

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
    place_ids: Collection[int] | None = None,
    below_reorder: bool = False,
    after: str | None = None,
    limit: int | None = None,
    variant_ids: Collection[int] | None = None,
) -> list[ItemMatch]:
    """Items matching the filter in SKU order: the first `limit` after `after`, or those among `variant_ids`;
    `place_ids` (from `locations_within`) limits them to a place."""
    shape = tuple(word.isascii() and '"' not in word and "\\" not in word for word in words)
    some = variant_ids is not None
    statement = _statement(conn.dialect.name, shape, place_ids is not None, below_reorder, after is not None, some)
    params: dict[str, object] = {f"word{i}": contains_pattern(word) for i, word in enumerate(words)}
    params.update(place_ids=place_ids, after=after, limit=limit, variant_ids=variant_ids)
    return [ItemMatch(*row) for row in conn.execute(statement, {k: v for k, v in params.items() if v is not None})]


def contains_pattern(word: str) -> str:
    """A LIKE pattern for 'contains `word`', with the wildcards a user may type taken literally."""
    escaped = word.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return f"%{escaped}%"


@functools.cache
def _statement(dialect: str, words: tuple[bool, ...], in_a_place: bool, below_reorder: bool, after: bool, some: bool):
    """One statement per shape of filter and engine, built once; values come as parameters.

    `words` says of each searched word whether it is plain (see `_mentions`). On PostgreSQL a search
    reads the matching items sorted by SKU first and only then asks of each in turn, until the page
    is full, whether it is in the place and short: walking the SKU index instead reads the rows in
    random order, several times the cost of a scan when few items match. SQLite walks the index:
    its planner sorts the whole result again after such a subquery, which costs more than it saves.
    """
    item = _text_matches(dialect, words, after) if words and not some and dialect == "postgresql" else variants
    if in_a_place:
        in_place = _one_of(dialect, levels.c.location_id)
    else:  # levels exist for shelves and for transit only; what is in transit shows at its destination
        in_place = levels.c.location_id != select(locations.c.id).where(locations.c.kind == "transit").scalar_subquery()
    held_here = select(func.count()).where(
        levels.c.variant_id == item.c.id, levels.c.on_hand > literal_column("0"), in_place
    )
    query = select(
        item.c.id, item.c.sku, item.c.name, item.c.reorder_point, held_here.scalar_subquery().label("rows")
    ).order_by(item.c.sku)
    if item is variants:
        for i, plain in enumerate(words):
            query = query.where(_mentions(dialect, bindparam(f"word{i}"), plain))
        if after:
            query = query.where(variants.c.sku > bindparam("after"))
    if in_a_place:
        query = query.where(or_(exists().where(levels.c.variant_id == item.c.id, in_place), _arriving(dialect, item)))
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


def _text_matches(dialect: str, words: tuple[bool, ...], after: bool):
    """The items whose text matches, sorted; OFFSET 0 keeps PostgreSQL from merging it into the
    outer query, so the place and reorder checks run on the sorted rows, only as far as needed."""
    query = select(variants.c.id, variants.c.sku, variants.c.name, variants.c.reorder_point)
    for i, plain in enumerate(words):
        query = query.where(_mentions(dialect, bindparam(f"word{i}"), plain))
    if after:
        query = query.where(variants.c.sku > bindparam("after"))
    return query.order_by(variants.c.sku).offset(0).subquery("found")


def _mentions(dialect: str, pattern, plain: bool):
    """The SKU, name, barcode or one attribute value contains the word, ignoring the case of A-Z.

    Only of A-Z, on both engines: that is what SQLite's LIKE does, and PostgreSQL folds case several
    times faster under the C collation than under the database's own. An attribute value is looked
    for (with json_each / jsonb_each_text) only in the rows whose JSON text contains a plain word at
    all, which spares parsing the JSON of nearly every row; the text escapes quotes, backslashes and
    (on SQLite) non-ASCII letters, so it cannot rule out other words.
    """
    parse = func.jsonb_each_text if dialect == "postgresql" else func.json_each
    each = parse(variants.c.attributes).table_valued("value")
    in_values = exists().select_from(each).where(_contains(dialect, each.c.value, pattern))
    if plain:
        as_text = (
            cast(variants.c.attributes, Text) if dialect == "postgresql" else type_coerce(variants.c.attributes, Text)
        )
        in_values = and_(_contains(dialect, as_text, pattern), in_values)
    return or_(
        _contains(dialect, variants.c.sku, pattern),
        _contains(dialect, variants.c.name, pattern),
        _contains(dialect, variants.c.barcode, pattern),
        in_values,
    )


def _contains(dialect: str, text, pattern):
    if dialect == "postgresql":
        return func.lower(text.collate("C")).like(func.lower(pattern.collate("C")), escape=ESCAPE)
    return text.like(pattern, escape=ESCAPE)


def _one_of(dialect: str, column):
    """`column` is one of the place's locations, given as a list: a constant the planners look up
    per level row through the primary key, where a join to the location tree (whose path is not
    indexed for LIKE under PostgreSQL's collation) made them scan the tree once per item."""
    if dialect == "postgresql":
        return column == any_(bindparam("place_ids", type_=ARRAY(Integer)))
    return column.in_(bindparam("place_ids", expanding=True))


def _arriving(dialect: str, item):
    """A picked transfer is bringing the item into the place."""
    return exists().where(
        transfer_lines.c.variant_id == item.c.id,
        is_in_transit(),
        transfers.c.id == transfer_lines.c.transfer_id,
        _one_of(dialect, transfers.c.to_location_id),
    )


def locations_within(conn: Connection, path: str) -> list[int]:
    """The ids of a place and everything under it (its path is the prefix of theirs)."""
    return list(conn.scalars(select(locations.c.id).where(locations.c.path.startswith(path))))
