"""The new-transfer form: from where to where, and lines added by scanning items (or typing an SKU
after setting the quantity). The request is sent from here, so a refusal stays beside the form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.catalog import LocationRow, VariantRow
from ...services import catalog, transfers
from ...services.lookup import ScanKind, identify
from ..messages import user_message
from ..scan import ScanField
from ..session import Session
from ..table import Column, RowTableModel
from ..theme import SPACING, icon
from ..widgets import MessageBar, table_view


@dataclass(frozen=True)
class NewLine:
    sku: str
    name: str
    qty: int


NEW_LINE_COLUMNS = (
    Column("SKU", lambda line: line.sku),
    Column("Item", lambda line: line.name),
    Column("Qty", lambda line: line.qty, numeric=True),
)


def push_button(text: str, icon_name: str, parent: QWidget, keys: str | None = None) -> QPushButton:
    """A button that Enter in a field never presses by accident (scanners end every code with Enter)."""
    button = QPushButton(icon(icon_name), text, parent)
    button.setAutoDefault(False)
    button.setDefault(False)
    if keys:
        button.setShortcut(QKeySequence(keys))
        button.setToolTip(keys)
    return button


class NewTransferDialog(QDialog):
    created = Signal(object)
    """The TransferRow just requested."""

    def __init__(self, session: Session, run: Callable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New transfer")
        self.setObjectName("newTransferDialog")
        self.resize(680, 520)
        self.session, self.run = session, run

        self.source = QComboBox(self)
        self.source.setObjectName("sourceBox")
        self.dest = QComboBox(self)
        self.dest.setObjectName("destBox")
        self.qty = QSpinBox(self)
        self.qty.setObjectName("qtyBox")
        self.qty.setRange(1, 1_000_000)
        self.qty.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.item_field = ScanField("Scan or type an SKU or barcode, then Enter", self)
        self.item_field.scanned.connect(self.add_item)
        self.model = RowTableModel(NEW_LINE_COLUMNS, parent=self)
        self.lines_view = table_view(self)
        self.lines_view.setObjectName("newLines")
        self.lines_view.setModel(self.model)
        self.lines_view.setColumnWidth(0, 150)
        self.lines_view.setColumnWidth(1, 340)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Optional: why, or what for")
        self.message = MessageBar(self)

        remove = QAction("Remove line", self.lines_view)
        remove.setShortcut(QKeySequence.StandardKey.Delete)
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.remove_line)
        self.lines_view.addAction(remove)
        self.remove_button = push_button("Re&move line", "playlist-remove", self)
        self.remove_button.clicked.connect(self.remove_line)
        self.request_button = push_button("&Request transfer", "send-outline", self, "Ctrl+Return")
        self.request_button.clicked.connect(self.request)
        close = push_button("Close", "close", self)
        close.clicked.connect(self.reject)

        places = QFormLayout()
        places.addRow(self._label("&From:", self.source), self.source)
        places.addRow(self._label("&To:", self.dest), self.dest)
        adding = QHBoxLayout()
        adding.addWidget(self._label("&Qty:", self.qty))
        adding.addWidget(self.qty)
        adding.addWidget(self._label("&Item:", self.item_field))
        adding.addWidget(self.item_field, 1)
        places.addRow("Add a line:", adding)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.request_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)
        layout.addLayout(places)
        layout.addWidget(self.message)
        layout.addWidget(self.lines_view, 1)
        note_row = QFormLayout()
        note_row.addRow(self._label("N&ote:", self.note), self.note)
        layout.addLayout(note_row)
        layout.addLayout(buttons)
        for first, second in [
            (self.source, self.dest),
            (self.dest, self.qty),
            (self.qty, self.item_field),
            (self.item_field, self.lines_view),
            (self.lines_view, self.note),
            (self.note, self.request_button),
        ]:
            self.setTabOrder(first, second)
        ctx = session.ctx
        run(lambda: catalog.locations(ctx), self._show_places, self._refused)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.item_field.setFocus()  # ready for the scanner

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _show_places(self, places: list[LocationRow]) -> None:
        sites = {place.id: place.code for place in places if place.site_id == place.id}
        for box in (self.source, self.dest):
            for place in places:
                depth = place.path.count("/") - 2
                box.addItem(("    " * depth) + place.code + ("" if depth else f" — {place.name}"), place.code)
        start = self.session.site or next(iter(sites.values()), None)
        self.source.setCurrentIndex(max(self.source.findData(start), 0))
        other = next((code for code in sites.values() if code != start), None)
        self.dest.setCurrentIndex(max(self.dest.findData(other), 0))

    def add_item(self, code: str) -> None:
        ctx, qty = self.session.ctx, self.qty.value()
        self.run(lambda: identify(ctx, code, accept=(ScanKind.ITEM,)), lambda hit: self._add(hit.item, qty), self._bad)

    def _add(self, item: VariantRow, qty: int) -> None:
        self.qty.setValue(1)
        self.message.clear_message()
        for position, line in enumerate(self.model.rows):
            if line.sku == item.sku:
                self.model.replace_row(position, replace(line, qty=line.qty + qty))
                break
        else:
            position = len(self.model.rows)
            self.model.append_rows([NewLine(item.sku, item.name, qty)])
        self.lines_view.selectRow(position)
        self.item_field.setFocus()

    def _bad(self, error: Exception) -> None:
        text = user_message(error)
        self.message.show_error(text)
        self.item_field.reject(text)

    def _refused(self, error: Exception) -> None:
        self.message.show_error(user_message(error))

    def remove_line(self) -> None:
        current = self.lines_view.currentIndex()
        if current.isValid():
            self.model.remove_row(current.row())

    @property
    def lines(self) -> list[tuple[str, int]]:
        return [(line.sku, line.qty) for line in self.model.rows]

    def request(self) -> None:
        ctx, lines = self.session.ctx, self.lines
        source, dest, note = self.source.currentData(), self.dest.currentData(), self.note.text().strip() or None
        self.request_button.setEnabled(False)
        self.run(
            lambda: transfers.request_transfer(ctx, lines, source=source or "", dest=dest or "", note=note),
            self._done,
            self._request_refused,
        )

    def _done(self, row: transfers.TransferRow) -> None:
        self.created.emit(row)
        self.accept()

    def _request_refused(self, error: Exception) -> None:
        self.request_button.setEnabled(True)
        self._refused(error)
