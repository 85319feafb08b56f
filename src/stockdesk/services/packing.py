"""The packing bench: every unit is scanned against the order before it may ship.

A wrong item or one unit too many is refused at the scan that brings it, so the packer knows at
once which one to take out; nothing is recorded for a refused scan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..db.uow import UnitOfWork, WriteConflict
from ..domain import validate
from ..domain.errors import InvalidInput, InvalidState, NotFound, SerialConflict
from ..domain.postings import ChangeSet, Topic
from ..domain.quantities import Tracking
from ..domain.sales import weight_tolerance
from .context import Context
from .order_rows import SalesOrderRow, confirmed_order, order_row, reference, settle


@dataclass(frozen=True)
class PackScan:
    order: SalesOrderRow
    sku: str
    packed: int
    expected: int
    complete: bool
    """The whole order is now verified."""


@dataclass(frozen=True)
class WeightCheck:
    expected_grams: int | None
    """None when some packed item has no weight on record (then the check passes)."""
    measured_grams: int
    ok: bool
    tolerance_grams: int


def pack_scan(ctx: Context, order_id: int, code: str) -> PackScan:
    """One scanned unit (barcode or SKU; the serial number for serial items) into the parcel."""
    return pack_scans(ctx, order_id, [code])[0]


def pack_scans(ctx: Context, order_id: int, codes: Sequence[str]) -> list[PackScan]:
    """Several scanned units in one transaction: all of them go into the parcel, or (one refused) none."""
    codes = [(code or "").strip() for code in codes]
    if not codes or not all(codes):
        raise InvalidInput("Scan the item's barcode (or type its SKU or serial number).")
    try:
        return _pack(ctx, order_id, codes)
    except WriteConflict:
        # Another bench packed one of these serial units just now: the second try names the order it went to.
        return _pack(ctx, order_id, codes)


def _pack(ctx: Context, order_id: int, codes: list[str]) -> list[PackScan]:
    with ctx.writing() as uow:
        confirmed_order(uow, order_id, step="packed")
        lines = [_pack_one(uow, order_id, code) for code in codes]
        order = settle(uow, order_id, ctx.now())
        uow.commit(ChangeSet.of(Topic.ORDERS))
    # Only the last scan can complete the order: after that, any unit is one too many and refused.
    last = len(lines) - 1
    return [
        PackScan(order, line.sku, line.qty_packed + 1, line.qty_reserved, order.verified and i == last)
        for i, line in enumerate(lines)
    ]


def _pack_one(uow: UnitOfWork, order_id: int, code: str):
    """Record one scan; the order line as it was before it."""
    line, serial = _matching_line(uow, order_id, code)
    if line.qty_packed >= line.qty_reserved:
        raise InvalidInput(_extra_unit(order_id, line))
    if serial is not None:
        _check_serial(uow, order_id, line, serial)
        uow.sales.add_packed_serial(order_id, serial.id)
    uow.sales.pack_one(line.id)
    return line


def _matching_line(uow: UnitOfWork, order_id: int, code: str):
    """The order line a scan is for, and the serial unit when it was a serial number."""
    lines = {line.variant_id: line for line in uow.sales.lines([order_id])}
    item = uow.catalog.variant_by_code(code)
    if item is not None:
        line = lines.get(item.id)
        if line is None:
            raise InvalidInput(f"{item.sku} ({item.name}) is not on order {reference(order_id)}: set it aside.")
        if line.tracking == Tracking.SERIAL.value:
            raise InvalidInput(f"{item.sku} is tracked by serial number: scan the serial number on the unit instead.")
        return line, None
    units = uow.catalog.serials_numbered(code)
    if not units:
        raise NotFound(f"No item or serial number matches '{code}'. Check the label and scan again.")
    on_order = [unit for unit in units if unit.variant_id in lines]
    if not on_order:
        sku = uow.catalog.variant(units[0].variant_id).sku
        raise InvalidInput(
            f"Serial {code} is a unit of {sku}, which is not on order {reference(order_id)}: set it aside."
        )
    return lines[on_order[0].variant_id], on_order[0]


def _extra_unit(order_id: int, line) -> str:
    if line.qty_reserved == 0:
        return f"No {line.sku} is reserved for order {reference(order_id)} (none in stock yet): set this one aside."
    return (
        f"Order {reference(order_id)} has {line.qty_reserved} x {line.sku} to pack and all of them are packed "
        "already: take the extra unit out."
    )


def _check_serial(uow: UnitOfWork, order_id: int, line, serial) -> None:
    """The unit must be free, packed for no order yet, and at a place where the order holds one of its kind."""
    number = serial.serial_number
    packed_for = uow.sales.packed_by(serial.id)
    if packed_for == order_id:
        raise InvalidInput(f"Serial {number} is already packed for this order; scan the next unit.")
    if packed_for is not None:
        raise SerialConflict(f"Serial {number} is packed for order {reference(packed_for)}; take another unit.")
    held = sum(
        r.qty
        for r in uow.sales.reservations_of([reference(order_id)])
        if (r.variant_id, r.location_id) == (line.variant_id, serial.location_id)
    )
    packed_there = sum(
        1
        for unit in uow.sales.packed_serials([order_id])
        if (unit.variant_id, unit.location_id) == (line.variant_id, serial.location_id)
    )
    if serial.bucket != "A" or held <= packed_there:
        state = "on hold" if serial.bucket == "Q" else "not reserved for this order"
        raise SerialConflict(
            f"Serial {number} is at {serial.location_code} ({state}); pack a unit from a place on the pick list."
        )


def reset_packing(ctx: Context, order_id: int) -> SalesOrderRow:
    """Start the packing check over: every scan of the order is forgotten."""
    with ctx.writing() as uow:
        confirmed_order(uow, order_id, step="packed")
        uow.sales.reset_packing(order_id)
        order = settle(uow, order_id, ctx.now())
        uow.commit(ChangeSet.of(Topic.ORDERS))
    return order


def check_weight(ctx: Context, order_id: int, measured_grams: int | str) -> WeightCheck:
    """Compare the parcel's weight with what its packed units should weigh: a missing or extra item shows."""
    measured = validate.quantity(measured_grams, what="Measured weight")
    with ctx.reading() as uow:
        order = order_row(uow, order_id)
    packed = [line for line in order.lines if line.packed]
    if not packed:
        raise InvalidState(f"Nothing of order {order.number} is packed yet; scan the items before weighing the parcel.")
    if any(line.weight_grams is None for line in packed):
        return WeightCheck(None, measured, True, 0)
    expected = sum(line.packed * line.weight_grams for line in packed)
    tolerance = weight_tolerance(expected)
    return WeightCheck(expected, measured, abs(measured - expected) <= tolerance, tolerance)
