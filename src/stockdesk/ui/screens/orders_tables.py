"""The orders screen's columns and colours: what each row says, and which rows need an eye."""

from __future__ import annotations

import re
from html import escape

from ...domain.errors import InvalidInput
from ...services.picking import PickLine
from ...services.sales_orders import SalesOrderRow, SoLineRow
from ...services.shipping import ShipmentLine, ShipmentRow
from ..table import Column, display
from ..theme import Status

FILTERS = (
    ("Open", "open"),
    ("All", "all"),
    ("Draft", "draft"),
    ("Confirmed", "confirmed"),
    ("Packed", "packed"),
    ("Partly shipped", "partial"),
    ("Shipped", "shipped"),
    ("Cancelled", "cancelled"),
)
"""The list's filter: (label, status); 'open' is every order with work left, 'all' every order."""

SHIPPABLE = ("confirmed", "packed", "partial")
"""Statuses in which an order may hold reserved units to pick, pack and ship."""


def count(n: int, word: str) -> str:
    """'1 unit', '3 units', '1,200 units'."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def units_open(order: SalesOrderRow) -> int:
    return 0 if order.status == "cancelled" else sum(line.open_qty for line in order.lines)


def is_short(order: SalesOrderRow, line: SoLineRow) -> bool:
    """A confirmed line that could not all be reserved (a draft has reserved nothing yet, on purpose)."""
    return order.status in SHIPPABLE and line.unreserved > 0


def order_status(order: SalesOrderRow) -> Status | None:
    if order.status in SHIPPABLE and any(is_short(order, line) for line in order.lines):
        return Status.SHORTFALL
    return {"packed": Status.IN_TRANSIT, "partial": Status.BELOW_REORDER, "shipped": Status.GOOD}.get(order.status)


ORDER_COLUMNS = (
    Column("Order", lambda o: o.id, numeric=True, tooltip="SO-<number> on its papers"),
    Column("Reference", lambda o: o.external_ref, tooltip="The web shop's order number, or SO-<number>"),
    Column("Customer", lambda o: o.customer_name),
    Column("Channel", lambda o: o.channel),
    Column("Site", lambda o: o.site, tooltip="Where it is reserved and shipped from (set when confirmed)"),
    Column("Status", lambda o: o.status),
    Column("Lines", lambda o: len(o.lines), numeric=True),
    Column("Units open", units_open, numeric=True, tooltip="Ordered and not yet shipped"),
    Column("Ordered", lambda o: o.ordered_at),
)

LINE_COLUMNS = (
    Column("SKU", lambda line: line.sku),
    Column("Item", lambda line: line.name),
    Column("Ordered", lambda line: line.ordered, numeric=True),
    Column("Reserved", lambda line: line.reserved, numeric=True, tooltip="Held for this order, not yet shipped"),
    Column("Packed", lambda line: line.packed, numeric=True, tooltip="Scanned at the packing bench"),
    Column("Shipped", lambda line: line.shipped, numeric=True),
    Column("Not reserved", lambda line: line.unreserved, numeric=True, tooltip="Open and not reserved: short"),
    Column("Unit price", lambda line: line.unit_price, numeric=True),
)


def _units(lines: tuple[ShipmentLine, ...]) -> int:
    return sum(line.qty for line in lines)


SHIPMENT_COLUMNS = (
    Column("Shipment", lambda s: s.id, numeric=True),
    Column("Shipped", lambda s: s.shipped_at),
    Column("Carrier", lambda s: s.carrier),
    Column("Tracking", lambda s: s.tracking),
    Column("Units", lambda s: _units(s.lines), numeric=True),
    Column("Returned", lambda s: _units(s.returned), numeric=True),
    Column("By", lambda s: s.shipped_by),
    Column("Override", lambda s: f"{s.override_by}: {s.override_note}" if s.override_by else ""),
)


def shipment_status(shipment: ShipmentRow) -> Status | None:
    return Status.BELOW_REORDER if shipment.override_by else None


def orders_served(line: PickLine) -> str:
    """'SO-3 ×2, SO-5 ×1': which orders one pick serves, and how many for each."""
    return ", ".join(f"{number} ×{qty}" for number, qty in line.orders)


PICK_COLUMNS = (
    Column("Location", lambda p: p.location),
    Column("SKU", lambda p: p.sku),
    Column("Item", lambda p: p.name),
    Column("Lot", lambda p: p.lot),
    Column("Expires", lambda p: p.expires_on),
    Column("Qty", lambda p: p.qty, numeric=True),
    Column("Serials", lambda p: ", ".join(p.serials), tooltip="Any of these units may be picked"),
    Column("Orders", orders_served),
)

_ORDER_CODE = re.compile(r"(?:SO-?)?(\d+)", re.IGNORECASE)
_ORDER_LABEL = re.compile(r"SO-?\d+", re.IGNORECASE)


def names_order(code: str) -> bool:
    """An order's label (SO-12), as opposed to an item's code, even on the packing bench."""
    return _ORDER_LABEL.fullmatch(code.strip().replace(" ", "")) is not None


def order_number(code: str) -> int:
    """The order a scanned or typed code names: 'SO-12', 'so12' or '12' (not '#1001': that is a shop's own number)."""
    found = _ORDER_CODE.fullmatch(code.strip().replace(" ", ""))
    if found is None:
        raise InvalidInput(
            f"'{code.strip()}' is not an order. Scan the order's papers (such as SO-12) or type its number."
        )
    return int(found.group(1))


def describe(order: SalesOrderRow) -> str:
    """The heading over an order's lines: who ordered what, where it goes, and where it stands."""
    status = order_status(order)
    colour = f' style="color: {status.color().name()}"' if status else ""
    reference = f" ({escape(order.external_ref)})" if order.external_ref != order.number else ""
    site = f" · from {escape(order.site)}" if order.site else " · no site yet: confirm to reserve"
    ship_to = escape(order.ship_to or "no ship-to address").replace("\n", ", ")
    note = f" &nbsp;·&nbsp; note: <i>{escape(order.note)}</i>" if order.note else ""
    verified = " &nbsp;·&nbsp; <b>verified</b>" if order.verified and order.status in SHIPPABLE else ""
    return (
        f"<span style='font-size: 13pt'><b>{order.number}</b></span>{reference} &nbsp; <b{colour}>{order.status}</b>"
        f"{verified} &nbsp;·&nbsp; {escape(order.channel)}{site}"
        f"<br><b>{escape(order.customer_name)}</b>, {ship_to}; ordered {display(order.ordered_at)}{note}"
    )
