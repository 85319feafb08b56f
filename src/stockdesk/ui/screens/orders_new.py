"""The new-order form: who it is for, where it goes, and lines added by scanning items (or typing an SKU
after setting the quantity). The order is created from here, so a refusal stays beside the form."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFormLayout, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from ...services import sales_orders
from ..controls import buddy_label, push_button
from ..form_dialog import FormDialog
from ..line_entry import NEW_LINE_COLUMNS, LineAdder, NewLine, NewLines
from ..session import Session
from ..theme import SPACING


class NewOrderDialog(FormDialog):
    created = Signal(object)
    """The SalesOrderRow just created (a draft)."""

    def __init__(self, session: Session, run: Callable, parent: QWidget | None = None) -> None:
        super().__init__(run, "New order", "newOrderDialog", parent)
        self.resize(700, 600)
        self.session = session

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
        self.adder = LineAdder(session, run, self.message, self)
        self.adder.wanted.connect(lambda item, qty, _cost: self.lines.add(NewLine(item.sku, item.name, qty)))
        self.qty, self.item_field = self.adder.qty, self.adder.item_field
        self.lines = NewLines(NEW_LINE_COLUMNS, "newOrderLines", self)
        self.model = self.lines.model
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Optional")

        remove_button = self.lines.remove_button(self)
        self.create_button = push_button("&Create order", "cart-plus", self, "Ctrl+Return")
        self.create_button.clicked.connect(self.create)

        form = QFormLayout()
        form.addRow(buddy_label("C&ustomer:", self.customer), self.customer)
        form.addRow(buddy_label("S&hip to:", self.ship_to), self.ship_to)
        form.addRow(buddy_label("&Reference:", self.reference), self.reference)
        form.addRow("Add a line:", self.adder)
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.lines, 1)
        note_row = QFormLayout()
        note_row.addRow(buddy_label("N&ote:", self.note), self.note)
        layout.addLayout(note_row)
        layout.addLayout(self.foot(self.create_button, leading=[remove_button]))
        order = [self.customer, self.ship_to, self.reference, self.qty, self.item_field, self.lines.view, self.note]
        for first, second in itertools.pairwise([*order, self.create_button]):
            self.setTabOrder(first, second)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.customer.setFocus()

    def create(self) -> None:
        ctx = self.session.ctx
        lines = [sales_orders.SoLineInput(line.sku, line.qty) for line in self.lines.rows]
        customer, reference = self.customer.text().strip(), self.reference.text().strip() or None
        ship_to, note = self.ship_to.toPlainText().strip() or None, self.note.text().strip() or None
        self.send(
            self.create_button,
            lambda: sales_orders.create_order(ctx, customer, lines, external_ref=reference, ship_to=ship_to, note=note),
            self.created.emit,
        )
