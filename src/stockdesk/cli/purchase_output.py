"""How purchasing results read in the terminal: short lines, or JSON with the rows' derived figures."""

from __future__ import annotations

from typing import Any

from ..services import reorder, suppliers
from ..services.purchase_orders import PurchaseOrderRow
from .output import plain


def supplier_line(row: suppliers.SupplierRow) -> str:
    state = "" if row.active else " (inactive)"
    return (
        f"{row.code:<12} {row.name}{state}: lead time {row.lead_time_days} days, "
        f"over-receipt {row.over_receipt_pct}%, {row.email or '-'}, {row.phone or '-'}"
    )


def po_json(row: PurchaseOrderRow) -> dict[str, Any]:
    data = plain(row)
    data["total_cost"] = str(row.total_cost)
    for line, shown in zip(row.lines, data["lines"], strict=True):
        shown["outstanding"] = line.outstanding
    return data


def po_lines(row: PurchaseOrderRow) -> list[str]:
    expected = f", expected {row.expected_on}" if row.expected_on else ""
    text = [
        f"{row.number} {row.supplier_code} ({row.supplier_name}) -> {row.deliver_to}: {row.status}{expected}, "
        f"total {row.total_cost:.2f}"
    ]
    for line in row.lines:
        flag = " [wrong item, kept]" if line.unplanned else ""
        text.append(
            f"  line {line.id}: {line.sku:<14} ordered {line.ordered} @ {line.unit_cost:.2f}, "
            f"received {line.received}, damaged {line.damaged}, on order {line.on_order}{flag}"
        )
    text += [discrepancy_line(d) for d in row.discrepancies]
    return text


def reorder_line(line: reorder.ReorderLine) -> str:
    text = (
        f"{line.site:<8} {line.sku:<14} available {line.available}, in transit {line.in_transit}, "
        f"on order {line.on_order} (point {line.reorder_point}, max {line.max_qty})"
    )
    if line.transfer_qty:
        text += f"; move {line.transfer_qty} from {line.transfer_from}"
    if line.order_qty:
        text += f"; order {line.order_qty} from {line.supplier or 'no supplier known'}"
    return text


def discrepancy_line(d) -> str:
    return f"  {d.kind}: {d.qty} x {d.sku}{'' if d.kept else ' (returned)'} - {d.note or ''}"
