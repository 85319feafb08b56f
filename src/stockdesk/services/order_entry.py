"""Checking and writing new sales orders, shared by manual entry and the web-shop import: the items
must exist, quantities and prices be valid, and an item appears once per order."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from ..db.uow import UnitOfWork
from ..domain import validate
from ..domain.catalog import VariantRow
from ..domain.errors import InvalidInput
from ..domain.online_retail import RowRefused, timestamp
from ..domain.sales import text_field
from . import resolve
from .catalog import money
from .context import Context
from .order_rows import reference


@dataclass(frozen=True)
class SoLineInput:
    sku: str
    qty: int | str
    unit_price: Decimal | str | None = None
    """None: the item's price."""


@dataclass(frozen=True)
class OrderLine:
    """A line whose item is known and whose quantity and price are valid."""

    item: VariantRow
    qty: int
    unit_price: Decimal


@dataclass(frozen=True)
class NewOrder:
    external_ref: str | None
    customer_name: str
    ship_to: str | None
    ordered_at: datetime
    note: str | None
    lines: Sequence[OrderLine]


def resolve_line(uow: UnitOfWork, line: SoLineInput) -> OrderLine:
    item = resolve.variant(uow, line.sku)
    qty = validate.quantity(line.qty)
    given = line.unit_price is not None and str(line.unit_price).strip() != ""
    price = money(line.unit_price, what=f"Unit price of {item.sku}") if given else item.price
    return OrderLine(item, qty, price)


def merge_lines(lines: Sequence[OrderLine]) -> list[OrderLine]:
    """One line per item: the same item twice at one price is one line of the summed quantity."""
    merged: dict[int, OrderLine] = {}
    for line in lines:
        earlier = merged.get(line.item.id)
        if earlier is None:
            merged[line.item.id] = line
        elif earlier.unit_price != line.unit_price:
            raise InvalidInput(
                f"{line.item.sku} is on the order twice at different prices ({earlier.unit_price} and "
                f"{line.unit_price}); put it on one line."
            )
        else:
            merged[line.item.id] = replace(earlier, qty=earlier.qty + line.qty)
    return list(merged.values())


def insert_orders(
    uow: UnitOfWork, ctx: Context, channel: str, orders: Sequence[NewOrder], import_id: int | None = None
) -> list[int]:
    """Write checked orders as drafts; an order without an external number is known by its own."""
    now = ctx.now()
    ids = uow.sales.add_orders(
        [
            {
                "channel": channel,
                "external_ref": order.external_ref or f"~{uuid.uuid4().hex}",
                "customer_name": order.customer_name,
                "ship_to": order.ship_to,
                "status": "draft",
                "ordered_at": order.ordered_at,
                "created_by": ctx.user.id,
                "created_at": now,
                "updated_at": now,
                "import_id": import_id,
                "note": order.note,
            }
            for order in orders
        ]
    )
    for order_id, order in zip(ids, orders, strict=True):
        if order.external_ref is None:
            uow.sales.set_external_ref(order_id, reference(order_id))
    uow.sales.add_lines(
        [
            {"order_id": order_id, "variant_id": line.item.id, "qty_ordered": line.qty, "unit_price": line.unit_price}
            for order_id, order in zip(ids, orders, strict=True)
            for line in order.lines
        ]
    )
    return ids


def ordered_moment(value: datetime | str | None, now: datetime) -> datetime:
    if value is None or (isinstance(value, str) and not value.strip()):
        return now
    try:
        return timestamp(value, what="Order date")
    except RowRefused as wrong:
        raise InvalidInput(wrong.reason) from None


def channel_name(channel: str) -> str:
    return text_field(channel, what="Channel", limit=40, required=True)
