"""Sales order rules that need no database: the status an order's line counters imply, when packing
has verified it, and how close a parcel's weight must come to what the packed items weigh.

The status is derived from the counters rather than stored by each step, so confirming, packing,
shipping and confirming again can happen in any order and the status always tells the truth.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from .errors import InvalidInput

STATUSES = ("draft", "confirmed", "packed", "partial", "shipped", "cancelled")
OPEN_STATUSES = ("draft", "confirmed", "packed", "partial")

ORDER_PREFIX = "SO-"
_ORDER_REFERENCE = re.compile(re.escape(ORDER_PREFIX) + r"([0-9]+)", re.IGNORECASE)

WEIGHT_TOLERANCE_PCT = 5
WEIGHT_TOLERANCE_MIN_GRAMS = 20


class LineCounts(NamedTuple):
    ordered: int
    reserved: int
    packed: int
    shipped: int


def order_reference(order_id: int) -> str:
    """A sales order's name in the ledger (postings.reference, reservations.order_ref) and on paper."""
    return f"{ORDER_PREFIX}{order_id}"


def sales_order_of(reference: str | None) -> int | None:
    """The sales order a reference names (SO-<digits>, any case), or None. Any other reference is the
    user's own words (a till receipt, a web shop's number, a supplier's note) that no order owns."""
    found = _ORDER_REFERENCE.fullmatch((reference or "").strip())
    return int(found.group(1)) if found else None


def is_verified(lines: Iterable[LineCounts]) -> bool:
    """Every reserved unit was scanned at the packing bench, and there is something to ship."""
    lines = list(lines)
    return any(line.reserved for line in lines) and all(line.packed == line.reserved for line in lines)


def status_of(lines: Iterable[LineCounts]) -> str:
    """The status of a confirmed (not cancelled) order, from its lines' counters."""
    lines = list(lines)
    if all(line.shipped >= line.ordered for line in lines):
        return "shipped"
    if is_verified(lines):
        return "packed"
    if any(line.reserved for line in lines):
        return "confirmed"
    return "partial" if any(line.shipped for line in lines) else "confirmed"


def weight_tolerance(expected_grams: int) -> int:
    """Scales and boxes vary: 5% of the expected weight, but never less than 20 g."""
    return max(-(-expected_grams * WEIGHT_TOLERANCE_PCT // 100), WEIGHT_TOLERANCE_MIN_GRAMS)


def text_field(value: object, *, what: str, limit: int, required: bool = False) -> str | None:
    """Trimmed free text (a customer name, an address, a carrier); None when empty and allowed."""
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise InvalidInput(f"{what} cannot be empty.")
        return None
    if len(text) > limit:
        raise InvalidInput(f"{what} is longer than {limit} characters: '{text[:20]}...'; shorten it.")
    return text
