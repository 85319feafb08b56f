"""The receipt being put together on the Receiving screen, as plain rows, and the rules for what a
scan does to it: which line a scanned item counts into, and which serial is a scanning slip.

Each row pairs the catalogue item (for its name and tracking) with the `ReceiptLine` the service
will be given, so what the table shows is exactly what will be posted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from ...domain import validate
from ...domain.catalog import VariantRow
from ...domain.errors import InvalidInput, StockDeskError
from ...domain.keys import new_key
from ...domain.quantities import Tracking
from ...services.context import Context
from ...services.lookup import ScanHit, ScanKind, identify
from ...services.stock import ReceiptLine
from ..table import Column, RowTableModel
from ..theme import Status


@dataclass(frozen=True)
class DraftLine:
    item: VariantRow
    line: ReceiptLine

    @property
    def qty(self) -> int:
        return int(self.line.qty)

    @property
    def serial_count(self) -> int | None:
        """How many serials were scanned; None for items without serial numbers."""
        return len(self.line.serials) if self.item.tracking is Tracking.SERIAL else None

    @property
    def missing(self) -> str | None:
        """What the line still lacks before it can be posted, in the user's words."""
        if self.item.tracking is Tracking.LOT and not self.line.lot:
            return "lot number"
        if self.item.tracking is Tracking.SERIAL and not self.line.serials:
            return "serial numbers"
        return None

    @property
    def is_plain(self) -> bool:
        """Going to the receipt's bin and not on hold: more units of the same may join it."""
        return self.line.to is None and not self.line.quarantine

    def changed(self, **values) -> DraftLine:
        return replace(self, line=replace(self.line, **values))

    def with_serials(self, serials: Sequence[str]) -> DraftLine:
        """A serial-tracked line receives one unit per serial."""
        return self.changed(serials=tuple(serials), qty=len(serials))


def new_line(item: VariantRow) -> DraftLine:
    """One unit of a scanned item; a serial item starts at none until its serials are scanned."""
    return DraftLine(item, ReceiptLine(item.sku, 0 if item.tracking is Tracking.SERIAL else 1))


def line_to_count_into(lines: Sequence[DraftLine], item: VariantRow, lot: str | None = None, skip: int = -1) -> int:
    """The line another unit of `item` (of `lot`) adds to, or -1 for a new line.

    Only a plain line qualifies: going to the receipt's bin, not on hold, and of the same lot (a lot
    item's line still waiting for its lot counts the units scanned before the lot).
    """
    for position, draft in enumerate(lines):
        if (
            position != skip
            and draft.item.id == item.id
            and draft.is_plain
            and (draft.line.lot or None) == (lot or None)
        ):
            return position
    return -1


def line_with_serial(lines: Sequence[DraftLine], item: VariantRow, number: str) -> int:
    """The 1-based number of the line that already has this unit, or 0."""
    for position, draft in enumerate(lines, start=1):
        if draft.item.id == item.id and number in draft.line.serials:
            return position
    return 0


def parse_serials(text: str) -> list[str]:
    """Serials typed into one field, one a line (commas, semicolons or spaces also separate them)."""
    return [part for part in text.replace(",", " ").replace(";", " ").split() if part]


class Expecting(Enum):
    """What the scan field takes next."""

    ITEM = "item"
    SERIALS = "serials"
    LOT = "lot"
    EXPIRY = "expiry"

    @property
    def hint(self) -> str | None:
        """The scan field's placeholder while waiting for this; None: the screen's own."""
        return {
            Expecting.SERIALS: "Scan a serial number, then Enter",
            Expecting.LOT: "Scan or type the lot number, then Enter",
            Expecting.EXPIRY: "Type the expiry date (YYYY-MM-DD), then Enter",
        }.get(self)

    def prompt(self, draft: DraftLine | None) -> str:
        if draft is None or self is Expecting.ITEM:
            return "Scan an item to add it, or a location to receive into"
        sku = draft.item.sku
        if self is Expecting.SERIALS:
            return f"Scan the serial numbers of {sku} one by one ({draft.serial_count} so far) — Esc when done"
        if self is Expecting.LOT:
            return f"Scan or type the lot number of {sku} — Esc to leave it for later"
        return f"Type the expiry date of lot {draft.line.lot} as YYYY-MM-DD — Esc if it has none"


@dataclass(frozen=True)
class Reading:
    """A scanned code and what it is: an item or a location, or else why it is neither."""

    code: str
    hit: ScanHit | None
    problem: StockDeskError | None = None


def read_code(ctx: Context, code: str) -> Reading:
    try:
        return Reading(code, identify(ctx, code, accept=(ScanKind.ITEM, ScanKind.LOCATION)))
    except StockDeskError as problem:  # not an item or location: a serial, lot or date, or a bad scan
        return Reading(code, None, problem)


def lines_model(destination: Callable[[], str | None], parent=None) -> RowTableModel:
    """The receipt's lines as the table shows them; `destination` gives the receipt's bin."""
    return RowTableModel(
        [
            Column("SKU", lambda d: d.item.sku),
            Column("Name", lambda d: d.item.name),
            Column("Qty", lambda d: d.qty, numeric=True),
            Column("Lot", lambda d: d.line.lot),
            Column("Expiry", lambda d: d.line.expiry),
            Column("Serials", lambda d: d.serial_count, numeric=True, tooltip="How many serial numbers"),
            Column("Destination", lambda d: d.line.to or destination()),
            Column("Status", _line_state),
        ],
        status=_line_status,
        parent=parent,
    )


def _line_state(draft: DraftLine) -> str:
    if draft.missing:
        return f"needs {draft.missing}"
    return "on hold" if draft.line.quarantine else "ready"


def _line_status(draft: DraftLine) -> Status | None:
    if draft.missing:
        return Status.SHORTFALL
    return Status.QUARANTINED if draft.line.quarantine else None


class ReceiptInProgress:
    """The lines (held by the table model the screen shows), the receipt's idempotency key, and what
    the scan field expects next and for which line."""

    def __init__(self, model: RowTableModel) -> None:
        self.model = model
        self.key: str | None = None
        """Made when the first line is added and kept until the receipt is booked or cleared: Post
        pressed twice, or again after a lost connection, books it once."""
        self.expecting = Expecting.ITEM
        self.target = -1
        """The line the serials, lot or expiry being scanned belong to."""
        self.current = -1
        """The line the last scan touched, for the screen to select."""

    @property
    def rows(self) -> list[DraftLine]:
        return self.model.rows

    def target_line(self) -> DraftLine | None:
        return self.rows[self.target] if 0 <= self.target < len(self.rows) else None

    def expect(self, what: Expecting, target: int = -1) -> None:
        self.expecting, self.target = what, target

    def take(self, code: str, hit: ScanHit | None, problem: StockDeskError | None) -> str | None:
        """Apply one scan; returns the location code when it named the destination.

        A scan the receipt cannot use raises the refusal to show, and changes nothing.
        """
        target = self.target_line()
        same_item = hit is not None and target is not None and hit.item is not None and hit.item.id == target.item.id
        if hit is not None and not same_item:
            self.expect(Expecting.ITEM)  # another item or a location ends the serials, lot or expiry
        if hit is None and self.expecting is Expecting.SERIALS:
            self._add_serial(code)
        elif hit is None and self.expecting is Expecting.LOT:
            self._set_lot(code)
        elif hit is None and self.expecting is Expecting.EXPIRY:
            self._set_expiry(code)
        elif hit is None:
            raise problem or InvalidInput(f"'{code}' is not an item or a location.")
        elif hit.kind is ScanKind.LOCATION and hit.location is not None:
            return hit.location.code
        elif hit.item is not None and not (same_item and self.expecting is Expecting.SERIALS):
            self._add_item(hit.item)  # the item's own label between its serials changes nothing
        return None

    def _add_item(self, item: VariantRow) -> None:
        position = line_to_count_into(self.rows, item)
        if position < 0:
            self.key = self.key or new_key("receipt")
            self.model.append_rows([self.make_line(item)])
            position = len(self.rows) - 1
        elif item.tracking is not Tracking.SERIAL:
            self.replace(position, self.rows[position].changed(qty=self.rows[position].qty + 1))
        self.current = position
        if item.tracking is Tracking.SERIAL:
            self.expect(Expecting.SERIALS, position)
        elif item.tracking is Tracking.LOT and not self.rows[position].line.lot:
            self.expect(Expecting.LOT, position)

    def make_line(self, item: VariantRow) -> DraftLine:
        """The line a first unit of `item` starts; a purchase order's receipt makes its own kind."""
        return new_line(item)

    def _add_serial(self, number: str) -> None:
        target = self.rows[self.target]
        taken = line_with_serial(self.rows, target.item, number)
        if taken:
            raise InvalidInput(f"Serial {number} is already on line {taken} of this receipt.")
        self.replace(self.target, target.with_serials([*target.line.serials, number]))

    def _set_lot(self, number: str) -> None:
        target = self.rows[self.target]
        same = line_to_count_into(self.rows, target.item, number, skip=self.target) if target.is_plain else -1
        if same < 0:
            self.replace(self.target, target.changed(lot=number))
            self.expect(Expecting.EXPIRY, self.target)
            return
        # More of a lot already on the receipt: its line takes these units too.
        self.replace(same, self.rows[same].changed(qty=self.rows[same].qty + target.qty))
        self.model.remove_row(self.target)
        self.current = same if same < self.target else same - 1
        self.expect(Expecting.ITEM)

    def _set_expiry(self, text: str) -> None:
        expires_on = validate.iso_date(text, what="Expiry date")
        self.replace(self.target, self.rows[self.target].changed(expiry=str(expires_on)))
        self.expect(Expecting.ITEM)

    def replace(self, position: int, draft: DraftLine) -> None:
        self.model.replace_row(position, draft)
        self.current = position

    def remove(self, position: int) -> None:
        self.model.remove_row(position)
        self.current = min(position, len(self.rows) - 1)
        self.expect(Expecting.ITEM)

    def clear(self) -> None:
        """Empty, ready for the next receipt (with a new key)."""
        self.model.set_rows([])
        self.key, self.current = None, -1
        self.expect(Expecting.ITEM)

    def lines(self) -> list[ReceiptLine]:
        return [draft.line for draft in self.rows]
