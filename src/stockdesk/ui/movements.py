"""How a movement reads on every screen: places as people say them, and one set of timeline columns."""

from __future__ import annotations

from .table import Column

_BUCKET = {"R": "reserved", "Q": "on hold"}
_PLACE = {
    "@SUPPLIER": "supplier",
    "@CUSTOMER": "customer",
    "@SCRAP": "scrap",
    "@ADJUSTMENT": "written off",
    "@TRANSIT": "in transit",
}


def place(code: str, bucket: str = "A") -> str:
    """A place as people say it: a shelf code, or what a virtual place means; plus a non-free bucket."""
    name = _PLACE.get(code, code)
    return f"{name} ({_BUCKET[bucket]})" if bucket in _BUCKET else name


MOVEMENT_COLUMNS = (
    Column("When", lambda m: m.posted_at),
    Column("Movement", lambda m: m.kind),
    Column("Qty", lambda m: m.qty, numeric=True),
    Column("From", lambda m: place(m.from_location, m.from_bucket)),
    Column("To", lambda m: place(m.to_location, m.to_bucket)),
    Column("Reference", lambda m: m.reference, tooltip="Order, purchase order, transfer, count or recall"),
    Column("Lot / serial", lambda m: m.serial or m.lot),
    Column("By", lambda m: m.user),
    Column("Reason / note", lambda m: " · ".join(part for part in (m.reason, m.note) if part)),
)
"""A movement row (domain.postings.MovementRow) as the timelines of items, lots and serials show it."""
