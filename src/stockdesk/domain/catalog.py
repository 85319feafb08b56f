"""Catalogue rows as the services and screens see them (plain, read-only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from .quantities import LocationKind, Tracking


@dataclass(frozen=True, slots=True)
class VariantRow:
    id: int
    product_id: int
    sku: str
    name: str
    barcode: str | None
    tracking: Tracking
    unit_cost: Decimal
    price: Decimal
    reorder_point: int
    category: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    weight_grams: int | None = None


@dataclass(frozen=True, slots=True)
class LocationRow:
    id: int
    code: str
    name: str
    kind: LocationKind
    parent_id: int | None
    site_id: int | None
    path: str
    sort_key: str

    @property
    def is_virtual(self) -> bool:
        return self.kind.is_virtual

    def contains(self, other: LocationRow) -> bool:
        return other.path.startswith(self.path)


@dataclass(frozen=True, slots=True)
class LotRow:
    id: int
    variant_id: int
    number: str
    supplier: str | None
    manufactured_on: date | None
    expires_on: date | None
    certificate_ref: str | None

    def is_expired(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today


@dataclass(frozen=True, slots=True)
class SerialRow:
    id: int
    variant_id: int
    serial_number: str
    lot_id: int
    location_id: int
    location_code: str
    location_kind: LocationKind
    bucket: str


class GroupBy(StrEnum):
    """How the stock picture is summed: per location (and lot), per site (and lot), or per item."""

    LOCATION = "location"
    SITE = "site"
    VARIANT = "variant"


class StockRow(NamedTuple):
    """One line of the stock picture: all six quantities of DOMAIN.md section 2.

    A named tuple rather than a frozen dataclass: a catalogue-wide picture has tens of thousands
    of rows, and a frozen dataclass takes several times longer to build each one.
    """

    variant_id: int
    sku: str
    name: str
    location_id: int | None
    location: str | None
    lot_id: int
    lot: str | None
    expires_on: date | None
    on_hand: int
    reserved: int
    quarantined: int
    in_transit: int
    on_order: int
    reorder_point: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved - self.quarantined
