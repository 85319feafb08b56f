"""Writing a purchase order: the new-order form (supplier, where the goods go, when, and lines added by
scanning or typing an SKU after setting quantity and cost), and the smaller form that adds lines to an
order already drafted or sent. Each form sends its own request, so a refusal stays beside it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.catalog import LocationRow, VariantRow
from ...domain.errors import InvalidInput
from ...services import catalog, purchase_orders, suppliers
from ...services.lookup import ScanKind, identify
from ...services.purchase_orders import PoLineInput, PurchaseOrderRow
from ..controls import buddy_label
from ..messages import user_message
from ..place_box import PlaceBox
from ..scan import ScanField
from ..session import Session
from ..table import Column, RowTableModel, display
from ..theme import SPACING
from ..widgets import MessageBar, table_view
from .receiving_result import fit_columns
from .transfers_new import push_button


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


class LineAdder(QWidget):
    """Quantity, unit cost and the item field in one row: set the first two, then scan the item.

    Both fall back after each item (quantity to 1, cost to the item's own), as a scanner user expects.
    """

    wanted = Signal(object, int, object)
    """The item, the quantity and the typed unit cost (None: the item's own)."""

    def __init__(self, session: Session, run: Callable, message: MessageBar, parent: QWidget) -> None:
        super().__init__(parent)
        self.session, self.run, self.message = session, run, message
        self.qty = QSpinBox(self)
        self.qty.setObjectName("qtyBox")
        self.qty.setRange(1, 1_000_000)
        self.qty.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.cost = QLineEdit(self)
        self.cost.setObjectName("costField")
        self.cost.setPlaceholderText("item's cost")
        self.cost.setMaximumWidth(110)
        self.item_field = ScanField("Scan or type an SKU or barcode, then Enter", self)
        self.item_field.scanned.connect(self._look_up)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for text, field, stretch in (("&Qty:", self.qty, 0), ("C&ost:", self.cost, 0), ("&Item:", self.item_field, 1)):
            row.addWidget(buddy_label(text, field))
            row.addWidget(field, stretch)

    def _look_up(self, code: str) -> None:
        try:
            cost = catalog.money(self.cost.text(), what="Unit cost") if self.cost.text().strip() else None
        except InvalidInput as error:  # shown beside the form; the field keeps the text to correct
            self.refuse(error)
            return
        ctx, qty = self.session.ctx, self.qty.value()
        self.run(
            lambda: identify(ctx, code, accept=(ScanKind.ITEM,)),
            lambda hit: self._found(hit.item, qty, cost),
            self.refuse,
        )

    def _found(self, item: VariantRow, qty: int, cost: Decimal | None) -> None:
        self.qty.setValue(1)
        self.cost.clear()
        self.message.clear_message()
        self.wanted.emit(item, qty, cost)
        self.item_field.setFocus()

    def refuse(self, error: Exception) -> None:
        text = user_message(error)
        self.message.show_error(text)
        self.item_field.reject(text)


class NewOrderDialog(QDialog):
    created = Signal(object)
    """The PurchaseOrderRow just drafted."""

    def __init__(self, session: Session, run: Callable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New purchase order")
        self.setObjectName("newOrderDialog")
        self.resize(760, 540)
        self.session, self.run = session, run
        self.message = MessageBar(self)
        self.supplier = QComboBox(self)
        self.supplier.setObjectName("supplierBox")
        self.deliver_to = PlaceBox(self)
        self.deliver_to.setObjectName("deliverToBox")
        self.expected = QLineEdit(self)
        self.expected.setObjectName("expectedField")
        self.expected.setPlaceholderText("YYYY-MM-DD, optional")
        self.adder = LineAdder(session, run, self.message, self)
        self.adder.wanted.connect(self._add)
        self.model = RowTableModel(NEW_PO_LINE_COLUMNS, parent=self)
        self.lines_view = table_view(self)
        self.lines_view.setObjectName("newLines")
        self.lines_view.setModel(self.model)
        fit_columns(self.lines_view, stretch=1)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Optional: anything the supplier or the receiving clerk should know")

        remove = QAction("Remove line", self.lines_view)
        remove.setShortcut(QKeySequence.StandardKey.Delete)
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.remove_line)
        self.lines_view.addAction(remove)
        remove_button = push_button("Re&move line", "playlist-remove", self)
        remove_button.clicked.connect(self.remove_line)
        self.create_button = push_button("&Create order", "file-document-plus-outline", self, "Ctrl+Return")
        self.create_button.clicked.connect(self.create)
        close = push_button("Close", "close", self)
        close.clicked.connect(self.reject)
        self.totals = QLabel(self)
        self.totals.setObjectName("newOrderTotals")

        form = QFormLayout()
        form.addRow(buddy_label("&Supplier:", self.supplier), self.supplier)
        form.addRow(buddy_label("&Deliver to:", self.deliver_to), self.deliver_to)
        form.addRow(buddy_label("&Expected on:", self.expected), self.expected)
        form.addRow("Add a line:", self.adder)
        buttons = QHBoxLayout()
        buttons.addWidget(remove_button)
        buttons.addWidget(self.totals, 1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(close)
        note_row = QFormLayout()
        note_row.addRow(buddy_label("&Note:", self.note), self.note)
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.lines_view, 1)
        layout.addLayout(note_row)
        layout.addLayout(buttons)
        ctx = session.ctx
        run(lambda: (suppliers.list_suppliers(ctx), catalog.locations(ctx)), self._show_choices, self._refused)

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
        for position, line in enumerate(self.model.rows):
            if line.sku == item.sku and (cost is None or cost == line.unit_cost):
                self.model.replace_row(position, replace(line, qty=line.qty + qty))
                break
        else:
            position = len(self.model.rows)
            unit_cost = item.unit_cost if cost is None else cost
            self.model.append_rows([NewPoLine(item.sku, item.name, qty, unit_cost, cost is not None)])
        self.lines_view.selectRow(position)
        self._show_totals()

    def _show_totals(self) -> None:
        rows = self.model.rows
        total = sum((line.unit_cost * line.qty for line in rows), Decimal(0))
        self.totals.setText(f"{len(rows)} lines, {sum(r.qty for r in rows):,} units, {display(total)}" if rows else "")

    def remove_line(self) -> None:
        current = self.lines_view.currentIndex()
        if current.isValid():
            self.model.remove_row(current.row())
            self._show_totals()

    def create(self) -> None:
        ctx, lines = self.session.ctx, [line.request() for line in self.model.rows]
        supplier, deliver_to = self.supplier.currentData() or "", self.deliver_to.code() or ""
        expected, note = self.expected.text().strip() or None, self.note.text().strip() or None
        self.create_button.setEnabled(False)
        self.run(
            lambda: purchase_orders.create_po(
                ctx, supplier, deliver_to=deliver_to, lines=lines, expected_on=expected, note=note
            ),
            self._done,
            self._create_refused,
        )

    def _done(self, row: PurchaseOrderRow) -> None:
        self.created.emit(row)
        self.accept()

    def _create_refused(self, error: Exception) -> None:
        self.create_button.setEnabled(True)
        self._refused(error)

    def _refused(self, error: Exception) -> None:
        self.message.show_error(user_message(error))


class AddLinesDialog(QDialog):
    """Lines for an order already written: each scanned item is added at once (a sent order's new
    line is on order straight away), and the form stays open for the next."""

    added = Signal(object)
    """The PurchaseOrderRow after the line was added."""

    def __init__(self, po: PurchaseOrderRow, session: Session, run: Callable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.po, self.session, self.run = po, session, run
        self.setWindowTitle(f"Add lines to {po.number}")
        self.setObjectName("addLinesDialog")
        self.resize(640, 160)
        self.message = MessageBar(self)
        self.adder = LineAdder(session, run, self.message, self)
        self.adder.wanted.connect(self._add)
        close = push_button("Close", "close", self)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.adder)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)

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
