"""Importing a web shop's order export (CSV or XLSX) as draft sales orders, in one transaction.

The same file twice into one channel creates nothing: the digest of its content and channel is
stored with the import. An order number the channel already has is skipped and listed, so an export
that overlaps the previous one is safe; a bad row refuses its own order (listed with the row
number), never the whole file, and such an import is stored under a digest nothing matches, so the
same file imports again once its rows (or the catalogue) are put right.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..db.uow import UnitOfWork, WriteConflict
from ..domain import order_file
from ..domain.errors import StockDeskError
from ..domain.postings import ChangeSet, Topic
from .context import Context
from .import_rows import open_table
from .order_entry import NewOrder, SoLineInput, channel_name, insert_orders, merge_lines, resolve_line

IMPORT_ATTEMPTS = 2
"""A second attempt after another desktop committed the same file or order number meanwhile:
it then finds theirs (a replay, or orders already known) instead of failing."""


@dataclass(frozen=True)
class ImportResult:
    import_id: int | None
    """None when nothing was created (every order refused or already known, or a replay)."""
    file_name: str
    orders_created: tuple[str, ...]
    """The shop's order numbers, in file order."""
    orders_already_known: tuple[str, ...]
    refused: tuple[tuple[int, str], ...]
    """(file row number, what was wrong), one per refused order (and per row without an order number)."""
    replayed: bool
    """This exact file was imported before: nothing was created."""


def import_orders(ctx: Context, path: str | Path, *, channel: str = "webshop") -> ImportResult:
    channel = channel_name(channel)
    table = open_table(path)
    columns = order_file.map_header(table.header)
    orders, orphans = order_file.read_orders(columns, table.rows())
    for attempt in range(IMPORT_ATTEMPTS):
        try:
            return _import(ctx, table, channel, orders, orphans)
        except WriteConflict:
            if attempt == IMPORT_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _import(ctx: Context, table, channel: str, orders, orphans) -> ImportResult:
    name = table.path.name
    with ctx.writing() as uow:
        earlier = uow.sales.import_by_digest(_import_digest(channel, table.digest, refused=False))
        if earlier is not None:
            return ImportResult(earlier.id, name, (), (), (), replayed=True)
        known = uow.sales.known_refs(channel, [order.number for order in orders])
        refused = list(orphans)
        new: list[NewOrder] = []
        for order in orders:
            if order.number in known:
                continue
            checked = _checked(uow, ctx, order)
            if isinstance(checked, NewOrder):
                new.append(checked)
            else:
                refused.append(checked)
        import_id = None
        if new:
            import_id = uow.sales.add_import(
                {
                    "digest": _import_digest(channel, table.digest, refused=bool(refused)),
                    "file_name": name[:300],
                    "channel": channel,
                    "orders_created": len(new),
                    "imported_by": ctx.user.id,
                    "imported_at": ctx.now(),
                }
            )
            insert_orders(uow, ctx, channel, new, import_id)
        uow.commit(ChangeSet.of(Topic.ORDERS))
    return ImportResult(
        import_id=import_id,
        file_name=name,
        orders_created=tuple(order.external_ref for order in new),
        orders_already_known=tuple(order.number for order in orders if order.number in known),
        refused=tuple(sorted(refused)),
        replayed=False,
    )


def _import_digest(channel: str, file_digest: str, *, refused: bool) -> str:
    """What an import is known by: the file's rows and the channel; unique when it refused orders."""
    parts = [channel, file_digest, uuid.uuid4().hex if refused else ""]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _checked(uow: UnitOfWork, ctx: Context, order: order_file.FileOrder) -> NewOrder | tuple[int, str]:
    """The order ready to insert, or (row, reason) for the first row that refuses it."""
    if order.refused is not None:
        return order.refused
    lines = []
    for line in order.lines:
        try:
            lines.append(resolve_line(uow, SoLineInput(line.sku, line.qty, line.unit_price)))
        except StockDeskError as wrong:
            return line.row, str(wrong)
    try:
        merged = merge_lines(lines)
    except StockDeskError as wrong:
        return order.first_row, str(wrong)
    return NewOrder(
        external_ref=order.number,
        customer_name=order.customer_name,
        ship_to=order.ship_to or None,
        ordered_at=order.ordered_at or ctx.now(),
        note=None,
        lines=merged,
    )
