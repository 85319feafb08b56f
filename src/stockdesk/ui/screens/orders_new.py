"""The new-order form: who it is for, where it goes, and lines added by scanning items (or typing an SKU
after setting the quantity). The order is created from here, so a refusal stays beside the form."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.catalog import VariantRow
from ...services import sales_orders
from ...services.lookup import ScanKind, identify
from ..controls import buddy_label
from ..messages import user_message
from ..scan import ScanField
from ..session import Session
from ..table import RowTableModel
from ..theme import SPACING
from ..widgets import MessageBar, table_view
from .transfers_new import NEW_LINE_COLUMNS, NewLine, push_button


class NewOrderDialog(QDialog):
    created = Signal(object)
    """The SalesOrderRow just created (a draft)."""

    def __init__(self, session: Session, run: Callable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New order")
        self.setObjectName("newOrderDialog")
        self.resize(700, 600)
        self.session, self.run = session, run

        self.customer = QLineEdit(self)
        self.customer.setObjectName("customerField")
        self.customer.setPlaceholderText("Customer's name (required)")
        self.ship_to = QPlainTextEdit(self)
        self.ship_to.setObjectName("shipToField")
        self.ship_to.setPlaceholderText("Street, post code and town, country: one per line")
        self.ship_to.setTabChangesFocus(True)
        self.ship_to.setFixedHeight(72)
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText("Optional: the customer's or shop's order number")
        self.qty = QSpinBox(self)
        self.qty.setObjectName("qtyBox")
        self.qty.setRange(1, 1_000_000)
        self.qty.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.item_field = ScanField("Scan or type an SKU or barcode, then Enter", self)
        self.item_field.scanned.connect(self.add_item)
        self.model = RowTableModel(NEW_LINE_COLUMNS, parent=self)
        self.lines_view = table_view(self)
        self.lines_view.setObjectName("newOrderLines")
        self.lines_view.setModel(self.model)
        self.lines_view.setColumnWidth(0, 150)
        self.lines_view.setColumnWidth(1, 340)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Optional")
        self.message = MessageBar(self)

        remove = QAction("Remove line", self.lines_view)
        remove.setShortcut(QKeySequence.StandardKey.Delete)
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.remove_line)
        self.lines_view.addAction(remove)
        remove_button = push_button("Re&move line", "playlist-remove", self)
        remove_button.clicked.connect(self.remove_line)
        self.create_button = push_button("&Create order", "cart-plus", self, "Ctrl+Return")
        self.create_button.clicked.connect(self.create)
        close = push_button("Close", "close", self)
        close.clicked.connect(self.reject)

        form = QFormLayout()
        form.addRow(buddy_label("C&ustomer:", self.customer), self.customer)
        form.addRow(buddy_label("S&hip to:", self.ship_to), self.ship_to)
        form.addRow(buddy_label("&Reference:", self.reference), self.reference)
        adding = QHBoxLayout()
        adding.addWidget(buddy_label("&Qty:", self.qty))
        adding.addWidget(self.qty)
        adding.addWidget(buddy_label("&Item:", self.item_field))
        adding.addWidget(self.item_field, 1)
        form.addRow("Add a line:", adding)
        buttons = QHBoxLayout()
        buttons.addWidget(remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.lines_view, 1)
        note_row = QFormLayout()
        note_row.addRow(buddy_label("N&ote:", self.note), self.note)
        layout.addLayout(note_row)
        layout.addLayout(buttons)
        order = [self.customer, self.ship_to, self.reference, self.qty, self.item_field, self.lines_view, self.note]
        for first, second in itertools.pairwise([*order, self.create_button]):
            self.setTabOrder(first, second)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.customer.setFocus()

    def add_item(self, code: str) -> None:
        ctx, qty = self.session.ctx, self.qty.value()
        self.run(lambda: identify(ctx, code, accept=(ScanKind.ITEM,)), lambda hit: self._add(hit.item, qty), self._bad)

    def _add(self, item: VariantRow, qty: int) -> None:
        """One line per item: scanning it again adds to its quantity."""
        self.qty.setValue(1)
        self.message.clear_message()
        position = next((n for n, line in enumerate(self.model.rows) if line.sku == item.sku), None)
        if position is None:
            position = len(self.model.rows)
            self.model.append_rows([NewLine(item.sku, item.name, qty)])
        else:
            line = self.model.rows[position]
            self.model.replace_row(position, replace(line, qty=line.qty + qty))
        self.lines_view.selectRow(position)
        self.item_field.setFocus()

    def _bad(self, error: Exception) -> None:
        text = user_message(error)
        self.message.show_error(text)
        self.item_field.reject(text)

    def remove_line(self) -> None:
        current = self.lines_view.currentIndex()
        if current.isValid():
            self.model.remove_row(current.row())

    def create(self) -> None:
        ctx = self.session.ctx
        lines = [sales_orders.SoLineInput(line.sku, line.qty) for line in self.model.rows]
        customer, reference = self.customer.text().strip(), self.reference.text().strip() or None
        ship_to, note = self.ship_to.toPlainText().strip() or None, self.note.text().strip() or None
        self.create_button.setEnabled(False)
        self.run(
            lambda: sales_orders.create_order(ctx, customer, lines, external_ref=reference, ship_to=ship_to, note=note),
            self._done,
            self._refused,
        )

    def _done(self, order: sales_orders.SalesOrderRow) -> None:
        self.created.emit(order)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.create_button.setEnabled(True)
        self.message.show_error(user_message(error))
