"""How sales results read in the terminal: short lines, or JSON with the rows' derived figures."""

from __future__ import annotations

from typing import Any

from ..services.order_import import ImportResult
from ..services.packing import WeightCheck
from ..services.picking import PickLine
from ..services.sales_orders import ConfirmResult, SalesOrderRow
from ..services.shipping import ShipmentLine, ShipmentRow
from .output import plain


def order_json(row: SalesOrderRow) -> dict[str, Any]:
    data = plain(row)
    data["verified"] = row.verified
    for line, shown in zip(row.lines, data["lines"], strict=True):
        shown["open_qty"] = line.open_qty
        shown["unreserved"] = line.unreserved
    return data


def order_lines(row: SalesOrderRow) -> list[str]:
    site = f" from {row.site}" if row.site else ""
    text = [f"{row.number} ({row.channel} {row.external_ref}) for {row.customer_name}: {row.status}{site}"]
    if row.ship_to:
        text.append(f"  ship to: {', '.join(row.ship_to.splitlines())}")
    text += [
        f"  {line.sku:<16} ordered {line.ordered} @ {line.unit_price:.2f}, reserved {line.reserved}, "
        f"packed {line.packed}, shipped {line.shipped}"
        for line in row.lines
    ]
    if row.packed_serials:
        text.append(f"  packed serials: {', '.join(row.packed_serials)}")
    return text


def confirm_json(result: ConfirmResult) -> dict[str, Any]:
    return {"order": order_json(result.order), "shortages": plain(result.shortages)}


def confirm_lines(result: ConfirmResult) -> list[str]:
    short = [f"  short: {s.sku} wanted {s.wanted}, reserved {s.reserved}" for s in result.shortages]
    return order_lines(result.order) + (short or ["  everything is reserved"])


def import_lines(result: ImportResult) -> list[str]:
    if result.replayed:
        return [f"{result.file_name} was imported before (import {result.import_id}); nothing new was created."]
    text = [f"{result.file_name}: {len(result.orders_created)} order(s) created"]
    if result.orders_created:
        text.append(f"  created: {', '.join(result.orders_created)}")
    if result.orders_already_known:
        text.append(f"  already known, skipped: {', '.join(result.orders_already_known)}")
    text += [f"  row {row}: {message}" for row, message in result.refused]
    return text


def pick_lines(lines: list[PickLine]) -> list[str]:
    text = []
    for line in lines:
        lot = f" lot {line.lot}" + (f" (expires {line.expires_on})" if line.expires_on else "") if line.lot else ""
        orders = ", ".join(f"{number} x{qty}" for number, qty in line.orders)
        text.append(f"{line.location:<14} {line.qty:>5} x {line.sku}{lot}  [{orders}]")
        if line.serials:
            text.append(f"{'':<14}   any of: {', '.join(line.serials)}")
    return text


def weight_lines(check: WeightCheck) -> list[str]:
    if check.expected_grams is None:
        return [f"Measured {check.measured_grams} g; some packed item has no weight on record, so it is not checked."]
    verdict = "OK" if check.ok else "CHECK THE PARCEL"
    return [
        f"Measured {check.measured_grams} g, expected {check.expected_grams} g "
        f"(+/- {check.tolerance_grams} g): {verdict}"
    ]


def shipment_lines(row: ShipmentRow) -> list[str]:
    tracking = f" {row.tracking}" if row.tracking else ""
    text = [
        f"Shipment {row.id} of {row.order_number} ({row.external_ref}) to {row.customer_name}: "
        f"{row.carrier}{tracking}, {row.shipped_at:%Y-%m-%d %H:%M} by {row.shipped_by}"
    ]
    if row.override_by:
        text.append(f"  shipped unverified by {row.override_by}: {row.override_note}")
    text += [f"  {_unit_line(line)}" for line in row.lines]
    text += [f"  returned: {_unit_line(line)}" for line in row.returned]
    return text


def _unit_line(line: ShipmentLine) -> str:
    lot = f" lot {line.lot}" if line.lot else ""
    serials = f" ({', '.join(line.serials)})" if line.serials else ""
    return f"{line.qty:>5} x {line.sku}{lot}{serials}"
