"""A delivery being received against a purchase order, as plain rows, and what a scan does to it.

It is the Receiving screen's receipt in progress (the same scan rules: items count up, a lot item asks
for its lot and expiry, a serial item takes its serials one by one) started from the order's open
lines, with a damaged count per line and a remembered answer for each item the order does not have.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ...domain.catalog import VariantRow
from ...domain.errors import InvalidInput
from ...services import catalog, po_receiving, purchase_orders
from ...services.context import Context
from ...services.lookup import ScanHit, ScanKind
from ...services.po_receiving import PoReceiptLine, PoReceiptResult
from ...services.purchase_orders import PurchaseOrderRow
from ...services.stock import ReceiptLine
from ..table import Column, RowTableModel
from ..theme import Status
from .receiving_draft import DraftLine, Expecting, ReceiptInProgress, new_line

WRONG_ITEM_CHOICES = {
    "refuse": "refused",
    "keep": "not ordered: kept, flagged",
    "return": "not ordered: goes back",
}


@dataclass(frozen=True)
class PoDraftLine(DraftLine):
    """`qty` counts every unit that arrived; `damaged` says how many of them are damaged (for serial
    items: the last ones scanned)."""

    damaged: int = 0
    outstanding: int | None = None
    """What the order still expects of the item; None for a second lot's line and for items not ordered."""
    wrong_item: str | None = None
    """'keep' or 'return' for an item the order does not have."""

    @property
    def sound(self) -> int:
        return self.qty - self.damaged

    @property
    def missing(self) -> str | None:
        return super().missing if self.qty else None  # an open line nothing arrived of needs nothing

    def changed(self, **values) -> PoDraftLine:
        draft = super().changed(**values)
        return replace(draft, damaged=min(draft.damaged, draft.qty))

    def with_damaged(self, damaged: int) -> PoDraftLine:
        return replace(self, damaged=max(0, min(damaged, self.qty)))

    def request(self) -> PoReceiptLine:
        serials = tuple(self.line.serials)
        sound = len(serials) - self.damaged if serials else 0
        return PoReceiptLine(
            self.item.sku,
            qty=self.sound,
            damaged=self.damaged,
            lot=self.line.lot,
            expiry=self.line.expiry,
            serials=serials[:sound],
            damaged_serials=serials[sound:],
        )


def state(draft: PoDraftLine) -> str:
    """The line's last column: what is still needed, or how it compares with the order."""
    if draft.wrong_item:
        return WRONG_ITEM_CHOICES[draft.wrong_item]
    if draft.missing:
        return f"needs {draft.missing}"
    if not draft.qty or draft.outstanding is None:
        return "" if not draft.qty else "another lot"
    if draft.qty > draft.outstanding:
        return f"{draft.qty - draft.outstanding:,} over the order"
    left = draft.outstanding - draft.qty
    return f"{left:,} still to come" if left else "complete"


def _line_status(draft: PoDraftLine) -> Status | None:
    if draft.missing or draft.wrong_item == "return":
        return Status.SHORTFALL
    if draft.wrong_item or (draft.outstanding is not None and draft.qty > draft.outstanding):
        return Status.BELOW_REORDER
    if draft.damaged:
        return Status.QUARANTINED
    return Status.GOOD if draft.qty and draft.qty == draft.outstanding else None


def receipt_model(parent=None) -> RowTableModel:
    return RowTableModel(
        [
            Column("SKU", lambda d: d.item.sku),
            Column("Item", lambda d: d.item.name),
            Column("Outstanding", lambda d: d.outstanding, numeric=True, tooltip="What the order still expects"),
            Column("Arrived", lambda d: d.qty, numeric=True, tooltip="Units scanned, sound and damaged"),
            Column("Damaged", lambda d: d.damaged or None, numeric=True, tooltip="Go into quarantine"),
            Column("Lot", lambda d: d.line.lot),
            Column("Expiry", lambda d: d.line.expiry),
            Column("Serials", lambda d: d.serial_count, numeric=True, tooltip="How many serial numbers"),
            Column("State", state),
        ],
        status=_line_status,
        parent=parent,
    )


class PoReceiptInProgress(ReceiptInProgress):
    def __init__(self, model: RowTableModel) -> None:
        super().__init__(model)
        self.po: PurchaseOrderRow | None = None
        self.choices: dict[str, str] = {}
        """What to do with each item the order does not have, as the clerk answered for this receipt."""

    def start(self, po: PurchaseOrderRow | None, items: Mapping[str, VariantRow]) -> None:
        """A fresh receipt over the order's open lines, nothing arrived yet."""
        self.clear()
        self.po, self.choices = po, {}
        ordered = [line for line in (po.lines if po else ()) if not line.unplanned and line.outstanding]
        self.model.set_rows(
            [PoDraftLine(items[line.sku], ReceiptLine(line.sku, 0), outstanding=line.outstanding) for line in ordered]
        )

    def ordered(self, item: VariantRow) -> bool:
        return self.po is not None and any(line.sku == item.sku and not line.unplanned for line in self.po.lines)

    def needs_choice(self, hit: ScanHit | None) -> VariantRow | None:
        """The scanned item when the order does not have it and the clerk has not said what to do yet."""
        item = hit.item if hit is not None and hit.kind is ScanKind.ITEM else None
        if item is None or self.ordered(item) or item.sku in self.choices:
            return None
        return item

    def take(self, code: str, hit: ScanHit | None, problem) -> str | None:
        if self.po is None:
            raise InvalidInput("Choose the order first: scan its label (PO-12), or pick it on the Orders tab.")
        if hit is not None and hit.kind is ScanKind.LOCATION:
            raise InvalidInput(
                f"{code} is a location. {self.po.number} is received at {self.po.deliver_to}; "
                "put the goods away after posting (Put away tab)."
            )
        if hit is not None and hit.item is not None and self.choices.get(hit.item.sku) == "refuse":
            raise InvalidInput(
                f"{hit.item.sku} is not on {self.po.number} and was refused: give it back to the driver."
            )
        return super().take(code, hit, problem)

    def make_line(self, item: VariantRow) -> PoDraftLine:
        first = not any(draft.item.id == item.id for draft in self.rows)
        line = next((x for x in self.po.lines if x.sku == item.sku and not x.unplanned), None) if self.po else None
        return PoDraftLine(
            item,
            new_line(item).line,
            outstanding=line.outstanding if line is not None and first else None,
            wrong_item=None if line is not None else self.choices.get(item.sku),
        )

    def prompt(self) -> str:
        if self.po is None:
            return "Scan the order's label (PO-12) to start receiving it"
        if self.expecting is Expecting.ITEM:
            return f"Scan each item of {self.po.number} as you unpack it; Ctrl+Enter posts the receipt"
        return self.expecting.prompt(self.target_line())

    def arrived(self) -> list[PoDraftLine]:
        return [draft for draft in self.rows if draft.qty]


def load_order(ctx: Context, po_id: int) -> tuple[PurchaseOrderRow, dict[str, VariantRow]]:
    """The order and its items (their tracking says which lines need lots or serials)."""
    po = purchase_orders.get_po(ctx, po_id)
    return po, {sku: catalog.find_variant(ctx, sku) for sku in {line.sku for line in po.lines}}


def post_receipt(ctx: Context, po_id: int, lines: Sequence[PoDraftLine], *, delivery_ref: str) -> PoReceiptResult:
    """The delivery as one receipt, with the clerk's answer for each item the order does not have.
    The key follows from the delivery note, so a second clerk's copy of the delivery books once."""
    answers = {draft.item.sku: draft.wrong_item for draft in lines if draft.wrong_item}
    return po_receiving.receive_po(
        ctx, po_id, [draft.request() for draft in lines], delivery_ref=delivery_ref, wrong_item=answers
    )
