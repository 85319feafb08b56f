"""What a scanned or typed code is: an item (SKU or barcode), a location, a serial unit or a lot.

Every screen's scan field asks this one function, so a code means the same thing everywhere and an
unknown code gets the same plain answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..domain.catalog import LocationRow, LotRow, SerialRow, VariantRow
from ..domain.errors import InvalidInput, NotFound
from .context import Context


class ScanKind(StrEnum):
    ITEM = "item"
    LOCATION = "location"
    SERIAL = "serial number"
    LOT = "lot"


@dataclass(frozen=True)
class ScanHit:
    kind: ScanKind
    code: str
    item: VariantRow | None = None
    """The item itself, or the item a serial or lot belongs to."""
    location: LocationRow | None = None
    serial: SerialRow | None = None
    lot: LotRow | None = None


ALL_KINDS = tuple(ScanKind)


def identify(ctx: Context, code: str, accept: tuple[ScanKind, ...] = ALL_KINDS) -> ScanHit:
    """The first reading of `code` among `accept`, in the order item, location, serial, lot."""
    code = code.strip()
    if not code:
        raise InvalidInput("Scan or type a code first.")
    with ctx.reading() as uow:
        for kind in accept:
            hit = _find(uow, kind, code)
            if hit is not None:
                return hit
        other = next((k for k in ALL_KINDS if k not in accept and _find(uow, k, code) is not None), None)
    wanted = " or ".join(k.value for k in accept)
    if other is not None:
        raise InvalidInput(f"'{code}' is a {other.value}; here scan {_article(wanted)} {wanted}.")
    raise NotFound(f"Nothing has the code '{code}': it is not a known {wanted}. Check the label or type the code.")


def _find(uow, kind: ScanKind, code: str) -> ScanHit | None:
    if kind is ScanKind.ITEM:
        item = uow.catalog.variant_by_code(code)
        return ScanHit(kind, code, item=item) if item else None
    if kind is ScanKind.LOCATION:
        place = uow.catalog.location_by_code(code)
        return ScanHit(kind, code, location=place) if place and not place.is_virtual else None
    if kind is ScanKind.SERIAL:
        units = uow.catalog.serials_numbered(code)
        if not units:
            return None
        _one(units, f"Several items have a unit with serial '{code}'; scan the item first.")
        return ScanHit(kind, code, item=uow.catalog.variant(units[0].variant_id), serial=units[0])
    found = uow.catalog.lots_numbered(code)
    if not found:
        return None
    _one(found, f"Several items have a lot '{code}'; scan the item first.")
    return ScanHit(kind, code, item=uow.catalog.variant(found[0].variant_id), lot=found[0])


def _one(found: list, message: str) -> None:
    if len(found) > 1:
        raise InvalidInput(message)


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"
