"""Receiving: a delivery from a supplier, scanned item by item into one receipt and posted whole.

The scan field takes items and locations; after a serial-tracked item it takes that item's serial
numbers one by one, after a lot-tracked item its lot number and expiry date, until another item or
location is scanned or Esc is pressed. Every scan is looked up on the worker thread and its answer
applied in the order scanned, so a fast scanner never has a serial land on the wrong line.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from ...domain.catalog import LocationRow
from ...domain.errors import StockDeskError
from ...domain.postings import ChangeSet, PostingResult, Topic
from ...domain.quantities import LocationKind
from ...services import catalog, stock
from ..screen import Screen
from ..session import Session
from ..theme import Status, icon
from ..widgets import table_view
from .receiving_draft import DraftLine, Expecting, Reading, ReceiptInProgress, lines_model, read_code
from .receiving_editor import BinBox, LineEditor
from .receiving_result import ReceiptResult, fit_columns


class ReceivingScreen(Screen):
    title = "Receiving"
    icon_name = "truck-delivery-outline"
    scan_hint = "Scan an item or a location, then Enter"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._post_asked = False
        """Post was pressed; the scans asked for before it are still being answered."""
        self._posting = False
        """The receipt is with the database; scans answered now belong to the next one."""
        self._held: list[Reading] = []
        self._places: list[LocationRow] = []
        self._build()
        self.receipt = ReceiptInProgress(self.lines)
        self._prompt()
        session.site_changed.connect(lambda _: self._offer_places())
        self._load_places()

    # -- building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.expecting = QLabel(self)
        self.expecting.setObjectName("expecting")
        self.expecting.setWordWrap(True)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan, 2)
        scan_row.addWidget(self.expecting, 3)

        self.destination = BinBox("Scan or choose a bin", self)
        self.destination.setObjectName("destination")
        self.destination.setToolTip("Where the goods go, unless a line has its own bin")
        self.destination.currentIndexChanged.connect(lambda _: self._lines_changed(refresh_all=True))
        self.supplier = QLineEdit(self)
        self.supplier.setPlaceholderText("who delivered")
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText("delivery note number")
        header = QHBoxLayout()
        for text, field, stretch in (
            ("&Destination", self.destination, 2),
            ("&Supplier", self.supplier, 2),
            ("Supplier &reference", self.reference, 1),
        ):
            header.addWidget(_buddy(text, field, self))
            header.addWidget(field, stretch)

        self.lines = lines_model(self.destination.code, self)
        self.table = table_view(self)
        self.table.setObjectName("receiptLines")
        self.table.setModel(self.lines)
        fit_columns(self.table, stretch=1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.editor = LineEditor(self)
        self.editor.setFixedWidth(340)
        self.editor.edited.connect(self._line_edited)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addWidget(self.editor, 0, Qt.AlignmentFlag.AlignTop)

        self.post_action = self._action("check-bold", "Post receipt", self.post, "Ctrl+Return", "Ctrl+Enter")
        self.remove_action = self._action("delete-outline", "Remove line", self.remove_line, "Delete")
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.remove_action)
        self.clear_action = self._action("close-box-multiple-outline", "Clear receipt", self.clear, "Ctrl+Shift+Delete")
        self.done_action = self._action("keyboard-esc", "Done scanning", self.stop_expecting, "Esc")
        self.totals = QLabel(self)
        self.totals.setObjectName("receiptTotals")
        buttons = QHBoxLayout()
        for text, action in (("Re&move line", self.remove_action), ("&Clear receipt", self.clear_action)):
            buttons.addWidget(_button(text, action, self))
        buttons.addStretch(1)
        buttons.addWidget(self.totals)
        self.post_button = _button("&Post receipt (Ctrl+Enter)", self.post_action, self)
        self.post_button.setObjectName("postButton")
        buttons.addWidget(self.post_button)

        self.result = ReceiptResult(self)
        for part in (scan_row, header):
            self.layout_.addLayout(part)
        self.layout_.addWidget(_buddy("&Lines received", self.table, self))
        self.layout_.addLayout(body, 2)
        self.layout_.addWidget(self.message)
        self.layout_.addLayout(buttons)
        self.layout_.addWidget(self.result, 3)
        order = [self.scan, self.destination, self.supplier, self.reference, self.table]
        order += [self.editor.qty, self.editor.lot, self.editor.expiry, self.editor.serials, self.editor.bin]
        order += [self.editor.hold, self.post_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _action(self, icon_name: str, text: str, slot, *keys: str) -> QAction:
        action = QAction(icon(icon_name), text, self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # -- places -----------------------------------------------------------------------------------

    def _load_places(self) -> None:
        ctx = self.session.ctx
        self.run(lambda: catalog.locations(ctx), self._places_loaded)

    def _places_loaded(self, places: list[LocationRow]) -> None:
        self._places = places
        self._offer_places()

    def _offer_places(self) -> None:
        """The bins of the site chosen in the status bar (of every site when none is)."""
        site_ids = {p.id for p in self._places if p.code == self.session.site}
        bins = sorted(
            (p for p in self._places if p.kind is LocationKind.BIN and (not site_ids or p.site_id in site_ids)),
            key=lambda p: p.code,
        )
        self.destination.set_places(bins)
        self.editor.bin.set_places(bins)

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.mentions(Topic.CATALOG):
            self._load_places()

    # -- scanning ---------------------------------------------------------------------------------

    def on_scan(self, code: str) -> None:
        ctx = self.session.ctx
        self.run(lambda: read_code(ctx, code), self._apply)

    def _apply(self, reading: Reading) -> None:
        """What a scan means depends on what the field expected when its answer arrived."""
        if self._posting:  # scanned after Post was pressed: it belongs to the next receipt
            self._held.append(reading)
            return
        try:
            place = self.receipt.take(reading.code, reading.hit, reading.problem)
        except StockDeskError as refusal:
            self.reject_scan(refusal)
            return
        if place is not None:
            self.destination.choose(place)
        self.message.clear_message()
        self._select(self.receipt.current)
        self._lines_changed()

    def stop_expecting(self) -> None:
        """Esc: the serials, lot or expiry are done; the field takes items and locations again."""
        self.receipt.expect(Expecting.ITEM)
        self._prompt()

    def _prompt(self) -> None:
        what = self.receipt.expecting
        waiting = what is not Expecting.ITEM
        self.expecting.setText(what.prompt(self.receipt.target_line()))
        self.scan.setPlaceholderText(what.hint or self.scan_hint)
        colour = Status.IN_TRANSIT.color().name() if waiting else "palette(text)"
        self.expecting.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: {'bold' if waiting else 'normal'}; }}")
        self.done_action.setEnabled(waiting)

    # -- editing ----------------------------------------------------------------------------------

    def _select(self, position: int) -> None:
        if position >= 0:
            self.table.selectRow(position)
        self._show_selected()

    def _selected(self) -> int:
        current = self.table.currentIndex()
        return current.row() if current.isValid() else -1

    def _show_selected(self) -> None:
        position = self._selected()
        self.editor.show_line(self.lines.rows[position] if position >= 0 else None)

    def _line_edited(self, draft: DraftLine) -> None:
        position = self._selected()
        if position >= 0:
            self.receipt.replace(position, draft)
            self._lines_changed()

    def remove_line(self) -> None:
        position = self._selected()
        if position >= 0 and not self._posting:
            self.receipt.remove(position)
            self._select(self.receipt.current)
            self._lines_changed()

    def clear(self) -> None:
        if not self._posting:
            self.receipt.clear()
            self.message.clear_message()
            self._show_selected()
            self._lines_changed()

    def _lines_changed(self, refresh_all: bool = False) -> None:
        rows = self.lines.rows
        self._prompt()
        if refresh_all and rows:
            last = self.lines.index(len(rows) - 1, self.lines.columnCount() - 1)
            self.lines.dataChanged.emit(self.lines.index(0, 0), last)
        units = sum(d.qty for d in rows)
        self.totals.setText(f"{len(rows)} line{'s' if len(rows) != 1 else ''}, {units:,} units" if rows else "")
        self.post_action.setEnabled(not self._post_asked)
        for action in (self.clear_action, self.remove_action):
            action.setEnabled(bool(rows) and not self._posting)

    # -- posting ----------------------------------------------------------------------------------

    def post(self) -> None:
        if self._post_asked:
            return
        self._post_asked = True
        self.post_action.setEnabled(False)
        # Queued behind the scans already asked for, so their answers are on the lines before they
        # post; for the same reason Post is not greyed out while the receipt looks empty.
        self.run(lambda: None, lambda _: self._post_now())

    def _post_now(self) -> None:
        self._set_posting(True)
        ctx, rows = self.session.ctx, list(self.lines.rows)
        lines, names = self.receipt.lines(), {d.item.sku: d.item.name for d in rows}
        to, key = self.destination.code(), self.receipt.key
        ref, supplier = self.reference.text().strip() or None, self.supplier.text().strip() or None
        self.run(
            lambda: stock.receive_lines(ctx, lines, to=to, ref=ref, supplier=supplier, key=key),
            lambda result: self._posted(result, names),
            self._refused,
        )

    def _posted(self, result: PostingResult, names: dict[str, str]) -> None:
        self.result.show_result(result, names)
        self.receipt.clear()
        self.reference.clear()
        self._show_selected()
        booked = "had already been booked" if result.replayed else "is booked"
        self.message.show_done(f"The receipt {booked} as posting {result.posting_id}. Scan the next delivery.")
        self._set_posting(False)
        self.activate()

    def _refused(self, error: Exception) -> None:
        self.show_error(error)
        self._set_posting(False)

    def _set_posting(self, posting: bool) -> None:
        self._posting = posting
        self._post_asked = posting
        for part in (self.table, self.editor, self.destination, self.supplier, self.reference):
            part.setEnabled(not posting)
        self._lines_changed()
        if not posting:
            held, self._held = self._held, []
            for reading in held:
                self._apply(reading)


def _buddy(text: str, field: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(field)
    return label


def _button(text: str, action: QAction, parent: QWidget) -> QPushButton:
    button = QPushButton(action.icon(), text, parent)
    button.clicked.connect(action.trigger)
    action.enabledChanged.connect(button.setEnabled)
    button.setEnabled(action.isEnabled())
    return button
