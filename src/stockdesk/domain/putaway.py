"""Putaway scoring: which bins suit goods just received, by weighted rules the shop can tune.

Pure rules over plain facts, so they are tested without a database: the service gathers the facts
of each candidate bin (`BinFacts`), `rank` scores them and keeps the best. Each rule adds at most
its weight; a weight of 0 switches the rule off.

- same variant: the bin already holds the item (one place to pick from, fewer half-empty bins).
- category zone: the bin lies in the zone the shop set for the product's category.
- free capacity: the share of the bin still free after the put-away; a bin too small for the goods
  is never suggested; a bin of unknown capacity scores half (neutral: neither roomy nor tight).
- FEFO: for a lot, the bin holds this item and none of its lots there expires after the incoming
  lot (no lot expiring later sits in front of it), so taking the oldest stock first stays natural.
  A lot without expiry date counts as expiring last.
- near packing for fast movers: ABC class A items prefer bins early in the walking order
  (`walk_position` 0.0 is the first bin, 1.0 the last).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields

from .errors import InvalidInput

SETTING_KEY = "putaway_rules"
UNKNOWN_CAPACITY_SHARE = 0.5
NEAR_PACKING = 0.5
"""A fast mover's bin in the first half of the walk is said to be near packing."""


@dataclass(frozen=True)
class PutawayRules:
    same_variant: float = 5.0
    category_zone: float = 3.0
    free_capacity: float = 2.0
    fefo: float = 1.0
    near_packing_fast_movers: float = 2.0

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> PutawayRules:
        """Weights from a form or the settings table; unknown names and bad numbers are refused."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise InvalidInput(f"Unknown putaway rule {', '.join(unknown)}; the rules are {', '.join(sorted(names))}.")
        return cls(**{name: _weight(name, value) for name, value in values.items()})

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def _weight(name: str, value: object) -> float:
    try:
        weight = float(str(value).strip())
    except ValueError:
        raise InvalidInput(f"The weight of {name} must be a number such as 2.5; '{value}' is not.") from None
    if not 0 <= weight <= 100:
        raise InvalidInput(f"The weight of {name} must be between 0 (off) and 100; got {value}.")
    return weight


@dataclass(frozen=True)
class BinFacts:
    """What the rules need to know about one candidate bin for one put-away."""

    location: str
    sku: str
    qty: int
    """Units to put away."""
    holds_variant: bool
    zone_category: str | None
    """The product's category when the bin is in that category's zone, else None."""
    capacity: int | None
    on_hand: int
    """Units of every item in the bin now."""
    lot: str | None = None
    lot_first_out: bool = False
    """FEFO fact: the bin holds the item and none of its lots there expires after the incoming lot."""
    fast_mover: bool = False
    walk_position: float = 1.0

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.on_hand, 0)

    @property
    def fits(self) -> bool:
        return self.free is None or self.free >= self.qty


def score(facts: BinFacts, rules: PutawayRules) -> tuple[float, tuple[str, ...]]:
    """The bin's score and the reasons behind it, in the words the clerk sees."""
    total = 0.0
    reasons: list[str] = []

    def add(weight: float, share: float, reason: str | None) -> None:
        nonlocal total
        if weight > 0 and share > 0:
            total += weight * share
            if reason:
                reasons.append(reason)

    add(rules.same_variant, float(facts.holds_variant), f"already holds {facts.sku}")
    add(rules.category_zone, float(facts.zone_category is not None), f"zone for {facts.zone_category}")
    if facts.capacity is None:
        add(rules.free_capacity, UNKNOWN_CAPACITY_SHARE, None)
    elif facts.capacity > 0:
        free = facts.free or 0
        add(rules.free_capacity, (free - facts.qty) / facts.capacity, f"room for {free}")
    add(rules.fefo, float(facts.lot_first_out), f"no lot here expires after {facts.lot}")
    if facts.fast_mover:
        nearness = 1.0 - facts.walk_position
        add(rules.near_packing_fast_movers, nearness, "fast mover: near packing" if nearness >= NEAR_PACKING else None)
    return round(total, 4), tuple(reasons)


def rank(candidates: Iterable[BinFacts], rules: PutawayRules, limit: int = 3) -> list[tuple[BinFacts, float, tuple]]:
    """The `limit` best bins that have room, best first; ties go to the bin earlier in the walk."""
    scored = [(facts, *score(facts, rules)) for facts in candidates if facts.fits]
    scored.sort(key=lambda entry: (-entry[1], entry[0].walk_position, entry[0].location))
    return scored[:limit]
