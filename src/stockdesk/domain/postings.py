"""What a write asks for (movement drafts) and what it returns (the posting and its change set)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .quantities import NO_LOT, Kind, Leg, LevelDelta, bucket_delta

LevelKey = tuple[int, int, int]
"""(variant_id, location_id, lot_id) of one stored level row."""


@dataclass(frozen=True, slots=True)
class MovementDraft:
    kind: Kind
    variant_id: int
    qty: int
    source: Leg
    dest: Leg
    lot_id: int = NO_LOT
    serial_id: int | None = None
    before_qty: int | None = None
    after_qty: int | None = None
    reverses_id: int | None = None

    def __post_init__(self) -> None:
        if self.qty <= 0:
            raise ValueError("a movement quantity is always positive; direction comes from its legs")


def level_deltas(drafts: Iterable[MovementDraft], keeps_levels: Callable[[int], bool]) -> dict[LevelKey, LevelDelta]:
    """Net change per stored level row; rows that net to zero are left out."""
    totals: dict[LevelKey, LevelDelta] = defaultdict(LevelDelta)
    for d in drafts:
        if keeps_levels(d.source.location_id):
            key = (d.variant_id, d.source.location_id, d.lot_id)
            totals[key] = totals[key] + bucket_delta(d.source.bucket, -d.qty)
        if keeps_levels(d.dest.location_id):
            key = (d.variant_id, d.dest.location_id, d.lot_id)
            totals[key] = totals[key] + bucket_delta(d.dest.bucket, d.qty)
    return {key: delta for key, delta in sorted(totals.items()) if not delta.is_zero}


@dataclass(frozen=True, slots=True)
class MovementRow:
    id: int
    kind: str
    sku: str
    qty: int
    from_location: str
    from_bucket: str
    to_location: str
    to_bucket: str
    lot: str | None
    serial: str | None
    posted_at: datetime
    before_qty: int | None = None
    after_qty: int | None = None
    reverses_id: int | None = None
    reference: str | None = None
    reason: str | None = None
    note: str | None = None
    user: str | None = None


class Topic(StrEnum):
    """Documents and lists a write can change besides stock levels; open views listen for them."""

    TRANSFERS = "transfers"
    COUNTS = "counts"
    CATALOG = "catalog"
    USERS = "users"
    PURCHASING = "purchasing"
    """Suppliers, purchase orders, receipts against them, reorder rules."""
    ORDERS = "orders"
    """Sales orders, their imports, packing, shipments and returns."""


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What a committed write touched, so open views refresh only that.

    `everything` stands for a change too large to list (a bulk import); views then reload.
    """

    variant_ids: frozenset[int] = frozenset()
    location_ids: frozenset[int] = frozenset()
    lot_ids: frozenset[int] = frozenset()
    topics: frozenset[Topic] = frozenset()
    everything: bool = False

    def __or__(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(
            self.variant_ids | other.variant_ids,
            self.location_ids | other.location_ids,
            self.lot_ids | other.lot_ids,
            self.topics | other.topics,
            self.everything or other.everything,
        )

    @classmethod
    def of(cls, *topics: Topic) -> ChangeSet:
        return cls(topics=frozenset(topics))

    @property
    def is_empty(self) -> bool:
        return not (self.variant_ids or self.location_ids or self.lot_ids or self.topics or self.everything)

    def touches_stock(self) -> bool:
        return self.everything or bool(self.variant_ids)

    def mentions(self, topic: Topic) -> bool:
        return self.everything or topic in self.topics


NOTHING = ChangeSet()
EVERYTHING = ChangeSet(everything=True)


@dataclass(frozen=True, slots=True)
class PostingResult:
    """A posting as stored. A replayed idempotency key returns the same posting with replayed=True."""

    posting_id: int
    key: str
    kind: str
    reference: str | None
    posted_at: datetime
    movements: tuple[MovementRow, ...]
    changes: ChangeSet = field(default_factory=ChangeSet)
    replayed: bool = False
