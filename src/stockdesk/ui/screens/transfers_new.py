"""The new-transfer form: from where to where, and lines added by scanning items (or typing an SKU
after setting the quantity). The request is sent from here, so a refusal stays beside the form."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from ...domain.catalog import LocationRow
from ...services import catalog, transfers
from ..controls import buddy_label, push_button
from ..form_dialog import FormDialog
from ..line_entry import NEW_LINE_COLUMNS, LineAdder, NewLine, NewLines
from ..session import Session
from ..theme import SPACING


class NewTransferDialog(FormDialog):
    created = Signal(object)
    """The TransferRow just requested."""

    def __init__(self, session: Session, run: Callable, parent: QWidget | None = None) -> None:
        super().__init__(run, "New transfer", "newTransferDialog", parent)
        self.resize(680, 520)
        self.session = session

        self.source = QComboBox(self)
        self.source.setObjectName("sourceBox")
        self.dest = QComboBox(self)
        self.dest.setObjectName("destBox")
        self.adder = LineAdder(session, run, self.message, self)
        self.adder.wanted.connect(lambda item, qty, _cost: self.lines.add(NewLine(item.sku, item.name, qty)))
        self.qty, self.item_field = self.adder.qty, self.adder.item_field
        self.lines = NewLines(NEW_LINE_COLUMNS, "newLines", self)
        self.model = self.lines.model
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Optional: why, or what for")

        self.remove_button = self.lines.remove_button(self)
        self.request_button = push_button("&Request transfer", "send-outline", self, "Ctrl+Return")
        self.request_button.clicked.connect(self.request)

        places = QFormLayout()
        places.addRow(buddy_label("&From:", self.source), self.source)
        places.addRow(buddy_label("&To:", self.dest), self.dest)
        places.addRow("Add a line:", self.adder)
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)
        layout.addLayout(places)
        layout.addWidget(self.message)
        layout.addWidget(self.lines, 1)
        note_row = QFormLayout()
        note_row.addRow(buddy_label("N&ote:", self.note), self.note)
        layout.addLayout(note_row)
        layout.addLayout(self.foot(self.request_button, leading=[self.remove_button]))
        for first, second in [
            (self.source, self.dest),
            (self.dest, self.qty),
            (self.qty, self.item_field),
            (self.item_field, self.lines.view),
            (self.lines.view, self.note),
            (self.note, self.request_button),
        ]:
            self.setTabOrder(first, second)
        ctx = session.ctx
        run(lambda: catalog.locations(ctx), self._show_places, self.show_error)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.item_field.setFocus()  # ready for the scanner

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

    def request(self) -> None:
        ctx, lines = self.session.ctx, [(line.sku, line.qty) for line in self.lines.rows]
        source, dest, note = self.source.currentData(), self.dest.currentData(), self.note.text().strip() or None
        self.send(
            self.request_button,
            lambda: transfers.request_transfer(ctx, lines, source=source or "", dest=dest or "", note=note),
            self.created.emit,
        )
