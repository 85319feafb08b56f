"""Writing a purchase order: the new-order form (supplier, where the goods go, when, and lines added by
scanning or typing an SKU after setting quantity and cost), and the smaller form that adds lines to an
order already drafted or sent. Each form sends its own request, so a refusal stays beside it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...domain.catalog import LocationRow, VariantRow
from ...services import catalog, purchase_orders, suppliers
from ...services.purchase_orders import PoLineInput, PurchaseOrderRow
from ..controls import buddy_label, push_button
from ..form_dialog import FormDialog
from ..line_entry import LineAdder, NewLines
from ..place_box import PlaceBox
from ..session import Session
from ..table import Column, display
from ..theme import SPACING
from .receiving_result import fit_columns


@dataclass(frozen=True)
class NewPoLine:
    sku: str
    name: str
    qty: int
    unit_cost: Decimal
    typed_cost: bool
    """False: the item's own cost, which the service takes when none is given."""

    def request(self) -> PoLineInput:
        return PoLineInput(self.sku, self.qty, self.unit_cost if self.typed_cost else None)


NEW_PO_LINE_COLUMNS = (
    Column("SKU", lambda line: line.sku),
    Column("Item", lambda line: line.name),
    Column("Qty", lambda line: line.qty, numeric=True),
    Column("Unit cost", lambda line: line.unit_cost, numeric=True, tooltip="Typed, or else the item's cost"),
    Column("Line cost", lambda line: line.unit_cost * line.qty, numeric=True),
)


def same_item_and_cost(line: NewPoLine, new: NewPoLine) -> bool:
    """An item scanned again joins its line unless a different cost was typed for it."""
    return line.sku == new.sku and (not new.typed_cost or new.unit_cost == line.unit_cost)


class NewOrderDialog(FormDialog):
    created = Signal(object)
    """The PurchaseOrderRow just drafted."""

    def __init__(self, session: Session, run: Callable, parent: QWidget | None = None) -> None:
        super().__init__(run, "New purchase order", "newOrderDialog", parent)
        self.resize(760, 540)
        self.session = session
        self.supplier = QComboBox(self)
        self.supplier.setObjectName("supplierBox")
        self.deliver_to = PlaceBox(self)
        self.deliver_to.setObjectName("deliverToBox")
        self.expected = QLineEdit(self)
        self.expected.setObjectName("expectedField")
        self.expected.setPlaceholderText("YYYY-MM-DD, optional")
        self.adder = LineAdder(session, run, self.message, self, with_cost=True)
        self.adder.wanted.connect(self._add)
        self.lines = NewLines(NEW_PO_LINE_COLUMNS, "newLines", self, merges=same_item_and_cost)
        self.lines.changed.connect(self._show_totals)
        self.model = self.lines.model
        fit_columns(self.lines.view, stretch=1)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Optional: anything the supplier or the receiving clerk should know")

        remove_button = self.lines.remove_button(self)
        self.create_button = push_button("&Create order", "file-document-plus-outline", self, "Ctrl+Return")
        self.create_button.clicked.connect(self.create)
        self.totals = QLabel(self)
        self.totals.setObjectName("newOrderTotals")

        form = QFormLayout()
        form.addRow(buddy_label("&Supplier:", self.supplier), self.supplier)
        form.addRow(buddy_label("&Deliver to:", self.deliver_to), self.deliver_to)
        form.addRow(buddy_label("&Expected on:", self.expected), self.expected)
        form.addRow("Add a line:", self.adder)
        note_row = QFormLayout()
        note_row.addRow(buddy_label("&Note:", self.note), self.note)
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.lines, 1)
        layout.addLayout(note_row)
        layout.addLayout(self.foot(self.create_button, leading=[remove_button, self.totals]))
        ctx = session.ctx
        run(lambda: (suppliers.list_suppliers(ctx), catalog.locations(ctx)), self._show_choices, self.show_error)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.adder.item_field.setFocus()  # ready for the scanner

    def _show_choices(self, found: tuple[list, list[LocationRow]]) -> None:
        known, places = found
        for supplier in known:
            self.supplier.addItem(f"{supplier.code} — {supplier.name}", supplier.code)
        self.deliver_to.set_places(places)
        self.deliver_to.choose(self.session.site)
        if not known:
            self.message.show_error("There is no supplier yet. Add one on the Suppliers tab (Alt+5) first.")

    def _add(self, item: VariantRow, qty: int, cost: Decimal | None) -> None:
        unit_cost = item.unit_cost if cost is None else cost
        self.lines.add(NewPoLine(item.sku, item.name, qty, unit_cost, cost is not None))

    def _show_totals(self) -> None:
        rows = self.lines.rows
        total = sum((line.unit_cost * line.qty for line in rows), Decimal(0))
        self.totals.setText(f"{len(rows)} lines, {sum(r.qty for r in rows):,} units, {display(total)}" if rows else "")

    def create(self) -> None:
        ctx, lines = self.session.ctx, [line.request() for line in self.lines.rows]
        supplier, deliver_to = self.supplier.currentData() or "", self.deliver_to.code() or ""
        expected, note = self.expected.text().strip() or None, self.note.text().strip() or None
        self.send(
            self.create_button,
            lambda: purchase_orders.create_po(
                ctx, supplier, deliver_to=deliver_to, lines=lines, expected_on=expected, note=note
            ),
            self.created.emit,
        )


class AddLinesDialog(FormDialog):
    """Lines for an order already written: each scanned item is added at once (a sent order's new
    line is on order straight away), and the form stays open for the next."""

    close_accepts = True
    added = Signal(object)
    """The PurchaseOrderRow after the line was added."""

    def __init__(self, po: PurchaseOrderRow, session: Session, run: Callable, parent: QWidget | None = None) -> None:
        super().__init__(run, f"Add lines to {po.number}", "addLinesDialog", parent)
        self.po, self.session = po, session
        self.resize(640, 160)
        self.adder = LineAdder(session, run, self.message, self, with_cost=True)
        self.adder.wanted.connect(self._add)
        layout = QVBoxLayout(self)
        layout.addWidget(self.adder)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(self.foot())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.adder.item_field.setFocus()

    def _add(self, item: VariantRow, qty: int, cost: Decimal | None) -> None:
        ctx, po_id = self.session.ctx, self.po.id
        self.run(
            lambda: purchase_orders.add_po_line(ctx, po_id, PoLineInput(item.sku, qty, cost)),
            lambda po: self._added(po, item, qty),
            self.adder.refuse,
        )

    def _added(self, po: PurchaseOrderRow, item: VariantRow, qty: int) -> None:
        self.po = po
        line = next(line for line in po.lines if line.sku == item.sku)
        self.message.show_done(
            f"Added {qty:,} × {item.sku} at {display(line.unit_cost)} to {po.number}. Scan the next item, or Close."
        )
        self.added.emit(po)
