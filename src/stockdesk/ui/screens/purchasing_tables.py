"""The Purchasing screen's columns and colours: what each row says, and which rows need an eye."""

from __future__ import annotations

import re
from html import escape

from ...domain.errors import InvalidInput
from ...services.purchase_orders import DiscrepancyRow, PoLineRow, PurchaseOrderRow
from ...services.putaway import PutawayTask
from ...services.reorder import ReorderLine
from ...services.suppliers import SupplierRow
from ..table import Column, display
from ..theme import Status

OPEN_STATUSES = ("draft", "sent", "partial")
RECEIVABLE = ("sent", "partial")
_NUMBER = re.compile(r"^(?:PO-?|#)?(\d+)$", re.IGNORECASE)
_LABEL = re.compile(r"^PO-(\d+)$", re.IGNORECASE)


def po_number(code: str) -> int:
    """The purchase order a scanned or typed code names: 'PO-12', 'po12', '#12' or '12'."""
    found = _NUMBER.match(code.strip().replace(" ", ""))
    if found is None:
        raise InvalidInput(
            f"'{code.strip()}' is not a purchase order. Scan the order's label (such as PO-12) or type its number."
        )
    return int(found.group(1))


def po_label(code: str) -> int | None:
    """The order number of a scanned PO label ('PO-12'), or None: among item scans only the full label counts."""
    found = _LABEL.match(code.strip())
    return int(found.group(1)) if found else None


def open_units(po: PurchaseOrderRow) -> int:
    """Units still to come: what the open lines have outstanding (nothing once closed or cancelled)."""
    return sum(line.outstanding for line in po.lines if not line.unplanned) if po.status in OPEN_STATUSES else 0


PO_COLUMNS = (
    Column("PO", lambda po: po.id, numeric=True, tooltip="PO-<number> on its label"),
    Column("Supplier", lambda po: po.supplier_name),
    Column("Deliver to", lambda po: po.deliver_to),
    Column("Status", lambda po: po.status),
    Column("Expected", lambda po: po.expected_on),
    Column("Lines", lambda po: len(po.lines), numeric=True),
    Column("Total cost", lambda po: po.total_cost, numeric=True, tooltip="Ordered units times their unit cost"),
    Column("Open units", open_units, numeric=True, tooltip="Ordered and not yet received"),
)

PO_LINE_COLUMNS = (
    Column("SKU", lambda line: line.sku),
    Column("Item", lambda line: line.name),
    Column("Ordered", lambda line: line.ordered, numeric=True),
    Column("Unit cost", lambda line: line.unit_cost, numeric=True),
    Column("Expected", lambda line: line.expected_on),
    Column("Received", lambda line: line.received, numeric=True, tooltip="Arrived sound, now available"),
    Column("Damaged", lambda line: line.damaged, numeric=True, tooltip="Arrived damaged, now in quarantine"),
    Column("On order", lambda line: line.on_order, numeric=True, tooltip="Still expected from the supplier"),
    Column("Unplanned", lambda line: "wrong item, kept" if line.unplanned else "", tooltip="Never ordered"),
)

DISCREPANCY_WORDS = {"short": "short", "over": "over", "damaged": "damaged", "wrong_item": "wrong item"}

DISCREPANCY_COLUMNS = (
    Column("Discrepancy", lambda d: DISCREPANCY_WORDS.get(d.kind, d.kind)),
    Column("SKU", lambda d: d.sku),
    Column("Qty", lambda d: d.qty, numeric=True),
    Column("Goods", lambda d: "kept" if d.kept else "returned to supplier"),
    Column("Recorded", lambda d: d.recorded_at),
    Column("Note", lambda d: d.note),
)

TASK_COLUMNS = (
    Column("SKU", lambda t: t.sku),
    Column("Item", lambda t: t.name),
    Column("Lot", lambda t: t.lot),
    Column("Qty", lambda t: t.qty, numeric=True),
    Column("Serials", lambda t: len(t.serials) or None, numeric=True, tooltip="How many serial numbers"),
    Column("From", lambda t: t.from_location),
    Column("Best bin", lambda t: t.suggestions[0].location if t.suggestions else "no bin fits"),
)

REORDER_COLUMNS = (
    Column("SKU", lambda r: r.sku),
    Column("Item", lambda r: r.name),
    Column("Site", lambda r: r.site),
    Column("Available", lambda r: r.available, numeric=True),
    Column("In transit", lambda r: r.in_transit, numeric=True),
    Column("On order", lambda r: r.on_order, numeric=True),
    Column("Point", lambda r: r.reorder_point, numeric=True, tooltip="Reorder when the position falls below"),
    Column("Max", lambda r: r.max_qty, numeric=True, tooltip="Fill the position up to this"),
    Column("Transfer from", lambda r: r.transfer_from, tooltip="A site with surplus to move first"),
    Column("Transfer qty", lambda r: r.transfer_qty or None, numeric=True),
    Column("Order qty", lambda r: r.order_qty or None, numeric=True),
    Column("Supplier", lambda r: r.supplier or "none known"),
)

SUPPLIER_COLUMNS = (
    Column("Code", lambda s: s.code),
    Column("Name", lambda s: s.name),
    Column("Email", lambda s: s.email),
    Column("Phone", lambda s: s.phone),
    Column("Lead time", lambda s: s.lead_time_days, numeric=True, tooltip="Days from order to delivery"),
    Column(
        "Over-receipt %",
        lambda s: s.over_receipt_pct,
        numeric=True,
        tooltip="How far past an ordered line a delivery may be accepted",
    ),
    Column("Active", lambda s: s.active),
)


def po_status(po: PurchaseOrderRow) -> Status | None:
    if po.status == "sent":
        return Status.IN_TRANSIT
    if po.status == "partial":
        return Status.BELOW_REORDER
    if po.status == "received":
        return Status.GOOD
    if po.status == "closed" and any(d.kind == "short" for d in po.discrepancies):
        return Status.SHORTFALL
    return None


def po_line_status(line: PoLineRow) -> Status | None:
    if line.unplanned:
        return Status.BELOW_REORDER
    if line.damaged:
        return Status.QUARANTINED
    if line.on_order:
        return Status.IN_TRANSIT
    return Status.GOOD if line.received >= line.ordered else None


def discrepancy_status(row: DiscrepancyRow) -> Status | None:
    return Status.QUARANTINED if row.kind == "damaged" else Status.SHORTFALL


def reorder_status(row: ReorderLine) -> Status | None:
    return Status.SHORTFALL if row.order_qty and row.supplier is None else Status.BELOW_REORDER


def supplier_status(row: SupplierRow) -> Status | None:
    return None if row.active else Status.SHORTFALL


def task_status(task: PutawayTask) -> Status | None:
    return None if task.suggestions else Status.SHORTFALL


def describe(po: PurchaseOrderRow) -> str:
    """The heading over an order's lines: supplier, where it goes, when, and what it is worth."""
    status = po_status(po)
    colour = f' style="color: {status.color().name()}"' if status else ""
    expected = f", expected {display(po.expected_on)}" if po.expected_on else ""
    sent = f", sent {display(po.sent_at)}" if po.sent_at else ""
    note = f" &nbsp;·&nbsp; note: <i>{escape(po.note)}</i>" if po.note else ""
    return (
        f"<span style='font-size: 13pt'><b>{po.number}</b></span> &nbsp; <b{colour}>{po.status}</b>"
        f" &nbsp;·&nbsp; {escape(po.supplier_name)} ({escape(po.supplier_code)}) → {escape(po.deliver_to)}"
        f"<br>created {display(po.created_at)}{sent}{expected}; total cost {display(po.total_cost)}, "
        f"{open_units(po):,} units open{note}"
    )
