"""How many units, of which lot or serial, make up one line of a stock operation."""

from __future__ import annotations

from collections.abc import Sequence

from ...domain import validate
from ...domain.errors import SerialConflict
from ...domain.postings import MovementDraft
from ...domain.quantities import (
    Bucket,
    Kind,
    Leg,
    LocationKind,
    Tracking,
)
from .. import resolve
from ..context import Context

A, R, Q = Bucket.AVAILABLE, Bucket.RESERVED, Bucket.QUARANTINED


def new_serial(uow, item, number: str, lot_id: int, origin_id: int) -> int:
    validate.code(number, what="Serial number")
    known = uow.catalog.serial(item.id, number)
    if known is None:
        return uow.catalog.add_serial(variant_id=item.id, serial_number=number, lot_id=lot_id, location_id=origin_id)
    if known.location_kind is LocationKind.CUSTOMER:
        raise SerialConflict(f"Serial {number} was shipped to a customer; book it as a return, not a receipt.")
    if known.location_id == origin_id:
        return known.id
    raise SerialConflict(
        f"Serial {number} is already on the books at {known.location_code}; it cannot be received again."
    )


def outbound(
    uow,
    ctx: Context,
    item,
    place,
    qty: int,
    lot: str | None,
    serials: Sequence[str],
    bucket: Bucket,
    *,
    selling: bool = False,
) -> list[tuple[int, int, int | None]]:
    """(lot_id, qty, serial_id) parts that make up `qty` units leaving `bucket` at `place`.

    A named expired lot is refused only when `selling` (sale or reservation); it may still be
    quarantined, scrapped or adjusted out, which is what is done with expired goods.
    """
    resolve.require_tracking(item, lot=lot, serials=serials, qty=qty)
    if item.tracking is Tracking.SERIAL:
        return [(s.lot_id, 1, s.id) for s in resolve.serials_at(uow, item, serials, place, bucket)]
    if lot:
        chosen = resolve.lot_by_number(uow, item, lot, ctx.today(), selling=selling)
        return [(chosen.id, qty, None)]
    return [(lot_id, n, None) for lot_id, n in resolve.allocate_lots(uow, item, place, qty, ctx.today(), bucket)]


def split_serials(
    kind: Kind, variant_id: int, qty: int, source: Leg, dest: Leg, lot_id: int, serial_ids
) -> list[MovementDraft]:
    if serial_ids is None:
        return [MovementDraft(kind, variant_id, qty, source, dest, lot_id)]
    return [MovementDraft(kind, variant_id, 1, source, dest, lot_id, serial_id=next(serial_ids)) for _ in range(qty)]
