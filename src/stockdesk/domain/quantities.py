"""The words of DOMAIN.md section 1-2 as types, and how a movement changes the stored levels.

A movement takes `qty` from one (location, bucket) and gives it to another. The buckets split
on hand into what is free (available), promised (reserved) and on hold (quarantined); so a
reservation is a move from the available to the reserved bucket of the same shelf, and the
double-entry rule (every movement sums to zero) covers reservations and quarantine too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Bucket(StrEnum):
    AVAILABLE = "A"
    RESERVED = "R"
    QUARANTINED = "Q"


class Kind(StrEnum):
    RECEIVE = "receive"
    RESERVE = "reserve"
    RELEASE = "release"
    SHIP = "ship"
    SELL = "sell"
    RETURN = "return"
    QUARANTINE = "quarantine"
    RELEASE_QUARANTINE = "release-quarantine"
    ADJUST = "adjust"
    COUNT = "count"
    SCRAP = "scrap"
    TRANSFER_PICK = "transfer-pick"
    TRANSFER_RECEIVE = "transfer-receive"
    PUTAWAY = "putaway"
    REVERSAL = "reversal"


class Tracking(StrEnum):
    NONE = "none"
    LOT = "lot"
    SERIAL = "serial"


class LocationKind(StrEnum):
    SITE = "site"
    ZONE = "zone"
    AISLE = "aisle"
    RACK = "rack"
    BIN = "bin"
    SUPPLIER = "supplier"
    CUSTOMER = "customer"
    ADJUSTMENT = "adjustment"
    SCRAP = "scrap"
    TRANSIT = "transit"

    @property
    def is_virtual(self) -> bool:
        return self in VIRTUAL_KINDS

    @property
    def keeps_levels(self) -> bool:
        """Shelves and transit hold countable stock; the other virtual places are unbounded sources and sinks."""
        return self not in VIRTUAL_KINDS or self is LocationKind.TRANSIT


VIRTUAL_KINDS = frozenset(
    {
        LocationKind.SUPPLIER,
        LocationKind.CUSTOMER,
        LocationKind.ADJUSTMENT,
        LocationKind.SCRAP,
        LocationKind.TRANSIT,
    }
)

# The codes of the virtual locations the first migration creates; services refer to them by code.
SUPPLIER_CODE = "@SUPPLIER"
CUSTOMER_CODE = "@CUSTOMER"
ADJUSTMENT_CODE = "@ADJUSTMENT"
SCRAP_CODE = "@SCRAP"
TRANSIT_CODE = "@TRANSIT"

NO_LOT = 0
"""Lot id of stock without a lot: a real row, because a NULL in a unique key never conflicts."""


@dataclass(frozen=True, slots=True)
class Leg:
    location_id: int
    bucket: Bucket = Bucket.AVAILABLE


@dataclass(frozen=True, slots=True)
class LevelDelta:
    """The change one posting makes to one stored level row (variant x location x lot)."""

    on_hand: int = 0
    reserved: int = 0
    quarantined: int = 0

    def __add__(self, other: LevelDelta) -> LevelDelta:
        return LevelDelta(
            self.on_hand + other.on_hand,
            self.reserved + other.reserved,
            self.quarantined + other.quarantined,
        )

    @property
    def is_zero(self) -> bool:
        return self.on_hand == 0 and self.reserved == 0 and self.quarantined == 0

    @property
    def is_valid_level(self) -> bool:
        """True when these numbers, taken as a level row, satisfy the schema's CHECK constraints.

        A delta that is itself a valid level can be added to any valid level and the sum stays
        valid, so it may be upserted; any other delta needs a guarded UPDATE.
        """
        return (
            self.on_hand >= 0
            and self.reserved >= 0
            and self.quarantined >= 0
            and self.reserved + self.quarantined <= self.on_hand
        )


def bucket_delta(bucket: Bucket, qty: int) -> LevelDelta:
    """What `qty` units entering `bucket` do to the level row (negative qty for leaving)."""
    if bucket is Bucket.RESERVED:
        return LevelDelta(on_hand=qty, reserved=qty)
    if bucket is Bucket.QUARANTINED:
        return LevelDelta(on_hand=qty, quarantined=qty)
    return LevelDelta(on_hand=qty)


@dataclass(frozen=True, slots=True)
class Level:
    on_hand: int = 0
    reserved: int = 0
    quarantined: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved - self.quarantined

    def in_bucket(self, bucket: Bucket) -> int:
        if bucket is Bucket.RESERVED:
            return self.reserved
        if bucket is Bucket.QUARANTINED:
            return self.quarantined
        return self.available
