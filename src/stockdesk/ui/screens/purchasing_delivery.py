"""The Receive tab's delivery form: which order it is, the supplier's delivery note, the order's lines
with what arrived, the form for the selected line, the totals and the buttons.

It only shows and edits; the tab (purchasing_receive.py) decides what a scan, an answer or Ctrl+Enter
does, and tells the form which order and lines to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...domain.errors import InvalidInput
from ...domain.receiving import delivery_note
from ...services.purchase_orders import PurchaseOrderRow
from ..controls import action_button, buddy_label
from ..table import RowTableModel
from ..widgets import table_view
from .purchasing_editor import PoLineEditor
from .purchasing_receipt import PoDraftLine
from .receiving_result import fit_columns


class DeliveryForm(QWidget):
    edited = Signal(int, object)
    """(position, PoDraftLine): the clerk changed the selected line in the line form."""

    def __init__(self, lines: RowTableModel, reset: QAction, post: QAction, put_away: QAction, parent: QWidget) -> None:
        super().__init__(parent)
        self.lines = lines
        self.heading = QLabel(self)
        self.heading.setObjectName("receiveHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.delivery_ref = QLineEdit(self)
        self.delivery_ref.setObjectName("deliveryRef")
        self.delivery_ref.setPlaceholderText("required: the supplier's delivery note number (a second copy books once)")
        self.table = table_view(self)
        self.table.setObjectName("receiveLines")
        self.table.setModel(lines)
        fit_columns(self.table, stretch=1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.editor = PoLineEditor(self)
        self.editor.setFixedWidth(330)
        self.editor.edited.connect(self._line_edited)
        self.totals = QLabel(self)
        self.totals.setObjectName("receiveTotals")
        self._lay_out(reset, post, put_away)

    def _lay_out(self, reset: QAction, post: QAction, put_away: QAction) -> None:
        header = QHBoxLayout()
        header.addWidget(self.heading, 3)
        header.addWidget(buddy_label("Deli&very note:", self.delivery_ref))
        header.addWidget(self.delivery_ref, 2)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addWidget(self.editor, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.addWidget(action_button(reset, self))
        buttons.addStretch(1)
        buttons.addWidget(self.totals)
        post_button = action_button(post, self)
        post_button.setObjectName("postButton")
        buttons.addWidget(post_button)
        buttons.addWidget(action_button(put_away, self))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)

    def show_order(self, po: PurchaseOrderRow | None) -> None:
        """The heading for this order (None: how to choose one), its first line selected."""
        self.heading.setText(
            f"<b>{po.number}</b> from {escape(po.supplier_name)}, received at <b>{escape(po.deliver_to)}</b>"
            if po
            else "Choose a sent order on the Orders tab (or scan its label here) to receive against it."
        )
        self.select(0 if self.lines.rows else -1)

    def delivery_note(self) -> str:
        """The note number typed. Without one the receipt is refused and the field takes the cursor:
        the note is what makes a second clerk's copy of the delivery book once."""
        try:
            return delivery_note(self.delivery_ref.text())
        except InvalidInput:
            self.delivery_ref.setFocus(Qt.FocusReason.OtherFocusReason)
            raise

    def show_totals(self, arrived: Sequence[PoDraftLine]) -> None:
        units, damaged = sum(d.qty for d in arrived), sum(d.damaged for d in arrived)
        self.totals.setText(f"{len(arrived)} lines, {units:,} units arrived, {damaged:,} damaged" if arrived else "")

    def set_busy(self, busy: bool) -> None:
        """While a receipt posts, its lines and delivery note stay as they are."""
        for part in (self.table, self.editor, self.delivery_ref):
            part.setEnabled(not busy)

    # -- the selected line ------------------------------------------------------------------------

    def select(self, position: int) -> None:
        if position >= 0:
            self.table.selectRow(position)
        self._show_selected()

    def selected(self) -> int:
        current = self.table.currentIndex()
        return current.row() if current.isValid() else -1

    def _show_selected(self) -> None:
        position = self.selected()
        self.editor.show_po_line(self.lines.rows[position] if 0 <= position < len(self.lines.rows) else None)

    def _line_edited(self, draft: PoDraftLine) -> None:
        position = self.selected()
        if position >= 0:
            self.edited.emit(position, draft)
