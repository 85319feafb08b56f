"""Web-shop order exports, one row per order line, read by column name.

Shopify, WooCommerce and hand-made files name the same things differently, so a column is known
by any of several names, compared without case, spaces or punctuation ("Lineitem sku", "item_sku"
and "SKU" are all the SKU). Each field takes the first of its names the file has; a column serves
one field only (Shopify's order number is its "Name" column, a plain file's "Name" is the customer).

Shopify writes an order's own fields (date, customer, address) on its first row only, so an order
takes each of them from the first of its rows that has it. A bad row refuses its whole order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from .errors import InvalidInput
from .online_retail import RowRefused, amount, text, timestamp, whole_number

_NAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    # field: alternatives in order of preference; an alternative of several columns is joined
    "order_number": tuple(
        (n,) for n in ("ordernumber", "orderno", "ordernr", "order", "orderid", "invoiceno", "invoice", "name")
    ),
    "sku": tuple((n,) for n in ("sku", "lineitemsku", "itemsku", "productsku", "stockcode", "itemcode")),
    "quantity": tuple((n,) for n in ("quantity", "qty", "lineitemquantity", "itemquantity", "itemqty")),
    "unit_price": tuple((n,) for n in ("unitprice", "price", "lineitemprice", "itemprice")),
    "date": tuple((n,) for n in ("orderdate", "date", "createdat", "orderedat", "invoicedate", "paidat")),
    "customer_name": (
        *((n,) for n in ("customername", "customer", "billingname", "shippingname", "billingfullname")),
        ("billingfirstname", "billinglastname"),
        ("shippingfirstname", "shippinglastname"),
        ("firstname", "lastname"),
        ("name",),
        ("customerid",),
    ),
    "ship_to": tuple((n,) for n in ("shipto", "shiptoaddress", "shippingaddress", "deliveryaddress", "address")),
}
_ADDRESS_PARTS = (
    ("shippingaddress1", "shippingstreet"),
    ("shippingaddress2",),
    ("shippingcity",),
    ("shippingzip", "shippingpostcode"),
    ("shippingprovince", "shippingstate"),
    ("shippingcountry",),
)
"""Shopify and WooCommerce split the address over columns: joined, in this order, when present."""

REQUIRED = {"order_number": "order number", "sku": "SKU", "quantity": "quantity"}
_FIELD_ORDER = ("order_number", "sku", "quantity", "unit_price", "date", "customer_name", "ship_to")


def normalized(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass(frozen=True)
class OrderColumns:
    """Field -> the positions of the column(s) that hold it (absent fields are not in the map)."""

    positions: dict[str, tuple[int, ...]]

    def cell(self, cells: Sequence[object], name: str, joiner: str = " ") -> str:
        parts = (text(cells[i]) if i < len(cells) else "" for i in self.positions.get(name, ()))
        return joiner.join(p for p in parts if p)


def map_header(header: Sequence[str]) -> OrderColumns:
    """Which column is which; InvalidInput naming each required column the file lacks."""
    where: dict[str, int] = {}
    for i, name in enumerate(header):
        where.setdefault(normalized(text(name)), i)
    claimed: set[int] = set()
    positions: dict[str, tuple[int, ...]] = {}
    for name in _FIELD_ORDER:
        for alternative in _NAMES[name]:
            found = tuple(where.get(n, -1) for n in alternative)
            if all(i >= 0 and i not in claimed for i in found):
                positions[name] = found
                claimed.update(found)
                break
    if "ship_to" not in positions:
        parts = [
            next(where[n] for n in names if n in where) for names in _ADDRESS_PARTS if any(n in where for n in names)
        ]
        if parts:
            positions["ship_to"] = tuple(parts)
    missing = [label for name, label in REQUIRED.items() if name not in positions]
    if missing:
        raise InvalidInput(
            f"The file has no {' or '.join(missing)} column. An order file needs one row per order line with "
            "the columns order number, SKU and quantity (Shopify and WooCommerce exports have them); date, "
            "customer name, ship-to address and unit price are read when present."
        )
    return OrderColumns(positions)


@dataclass(frozen=True)
class FileLine:
    row: int
    sku: str
    qty: int
    unit_price: Decimal | None
    """None: the item's own price."""


@dataclass
class FileOrder:
    number: str
    first_row: int
    ordered_at: datetime | None = None
    customer_name: str = ""
    ship_to: str = ""
    lines: list[FileLine] = field(default_factory=list)
    refused: tuple[int, str] | None = None
    """The first bad row of the order and what was wrong with it."""

    def refuse(self, row: int, reason: str) -> None:
        if self.refused is None:
            self.refused = (row, reason)


def read_orders(
    columns: OrderColumns, rows: Iterable[tuple[int, Sequence[object]]]
) -> tuple[list[FileOrder], list[tuple[int, str]]]:
    """The file's orders in file order, and the rows that belong to no order (no order number)."""
    orders: dict[str, FileOrder] = {}
    orphans: list[tuple[int, str]] = []
    for row, cells in rows:
        number = columns.cell(cells, "order_number")
        if not number:
            orphans.append((row, "The order number is missing, so the row belongs to no order."))
            continue
        order = orders.setdefault(number, FileOrder(number, row))
        try:
            _read_header(columns, order, cells)
            order.lines.append(_read_line(columns, row, cells))
        except RowRefused as wrong:
            order.refuse(row, wrong.reason)
    for order in orders.values():
        if len(order.number) > 100:
            order.refuse(order.first_row, f"The order number is longer than 100 characters: '{order.number[:20]}...'.")
        if not order.customer_name:
            order.refuse(order.first_row, "The order has no customer name.")
    return list(orders.values()), orphans


def _read_header(columns: OrderColumns, order: FileOrder, cells: Sequence[object]) -> None:
    if order.ordered_at is None:
        moment = columns.cell(cells, "date")
        order.ordered_at = timestamp(moment, what="The order date") if moment else None
    order.customer_name = order.customer_name or _limited(columns.cell(cells, "customer_name"), "Customer name", 200)
    order.ship_to = order.ship_to or _limited(columns.cell(cells, "ship_to", ", "), "Ship-to address", 1000)


def _read_line(columns: OrderColumns, row: int, cells: Sequence[object]) -> FileLine:
    sku = _limited(columns.cell(cells, "sku"), "SKU", 64)
    if not sku:
        raise RowRefused("The SKU is missing.")
    qty = whole_number(columns.cell(cells, "quantity"), what="Quantity")
    if qty <= 0:
        raise RowRefused(f"Quantity must be greater than zero; got {qty}.")
    price_text = columns.cell(cells, "unit_price")
    price = amount(price_text, what="Unit price") if price_text else None
    if price is not None and price < 0:
        raise RowRefused(f"Unit price cannot be negative; got {price}.")
    return FileLine(row, sku, qty, price)


def _limited(value: str, what: str, limit: int) -> str:
    if len(value) > limit:
        raise RowRefused(f"{what} is longer than {limit} characters: '{value[:20]}...'.")
    return value
