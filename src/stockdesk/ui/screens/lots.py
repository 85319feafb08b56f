"""Lots and serials screen: find a lot or serial by scanning or typing its number, then read its
whole story: the timeline, where a lot came from and went, where it still is, and the recall."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.postings import ChangeSet
from ...domain.users import Action
from ...services.lookup import ScanKind
from ...services.lot_files import LotFile, SerialFile, Tracked, find_tracked, lot_file, serial_file
from ...services.recall import recall_lot
from ..movements import MOVEMENT_COLUMNS
from ..screen import Screen
from ..table import SORT_ROLE, Column, RowTableModel
from ..theme import icon
from ..widgets import table_view
from .lots_tables import (
    CUSTOMER_COLUMNS,
    DESTINATION_COLUMNS,
    EXPIRY_STATUS,
    PLACE_COLUMNS,
    RECEIPT_COLUMNS,
    choice_text,
    lot_heading,
    movement_status,
    place_status,
    serial_heading,
)

TIMELINE, CAME_FROM, WENT_TO, RECALL = range(4)


class LotsScreen(Screen):
    title = "Lots and serials"
    icon_name = "barcode"
    scan_hint = "Scan or type a lot or serial number, then Enter"

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.current: Tracked | None = None
        self.file: LotFile | SerialFile | None = None

        self.choice_label = QLabel(self)
        self.choices = QListWidget(self)
        self.choices.setObjectName("lotChoices")
        self.choices.setMaximumHeight(150)
        self.choices.itemActivated.connect(lambda item: self.open(item.data(Qt.ItemDataRole.UserRole)))
        self.heading = QLabel("Scan a lot or serial label to see its story.", self)
        self.heading.setObjectName("lotHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)

        self.timeline, timeline_view = self._table(MOVEMENT_COLUMNS, "timeline", movement_status)
        self.receipts, receipts_view = self._table(RECEIPT_COLUMNS, "receipts")
        self.destinations, destinations_view = self._table(DESTINATION_COLUMNS, "destinations")
        self.places, places_view = self._table(PLACE_COLUMNS, "places", place_status)
        self.customers, customers_view = self._table(CUSTOMER_COLUMNS, "customers")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("lotTabs")
        self.tabs.addTab(timeline_view, "&Timeline")
        self.tabs.addTab(receipts_view, "&Came from")
        self.tabs.addTab(destinations_view, "&Went to")
        self.tabs.addTab(self._recall_page(places_view, customers_view), "&Stock and recall")

        self.layout_.addWidget(self.scan)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.choice_label)
        self.layout_.addWidget(self.choices)
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.tabs, 1)
        self.setTabOrder(self.scan, self.choices)
        self.setTabOrder(self.choices, self.tabs)
        self._show(None)

    def _table(self, columns: tuple[Column, ...], name: str, status=None) -> tuple[RowTableModel, QTableView]:
        model = RowTableModel(columns, status=status, parent=self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        view = table_view(self)
        view.setObjectName(f"{name}View")
        view.setModel(proxy)
        view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # as given: oldest first
        view.setSortingEnabled(True)
        model.modelReset.connect(view.resizeColumnsToContents)
        if columns[-1].numeric:  # stretch the first column, not a number far from its label
            view.horizontalHeader().setStretchLastSection(False)
            view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return model, view

    def _recall_page(self, places_view: QTableView, customers_view: QTableView) -> QWidget:
        self.recall_action = QAction(icon("shield-alert-outline"), "&Quarantine all remaining units", self)
        self.recall_action.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        self.recall_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.recall_action.triggered.connect(self.recall)
        self.addAction(self.recall_action)
        button = QToolButton(self)
        button.setObjectName("recallButton")
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setDefaultAction(self.recall_action)
        self.recall_note = QLabel(self)
        self.recall_note.setWordWrap(True)
        page = QWidget(self)
        tables = QHBoxLayout()
        for title, view, stretch in (("Still in stock", places_view, 3), ("Customers who got it", customers_view, 2)):
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<b>{title}</b>", page))
            column.addWidget(view, 1)
            tables.addLayout(column, stretch)
        actions = QHBoxLayout()
        actions.addWidget(button)
        actions.addWidget(self.recall_note, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(tables, 1)
        layout.addLayout(actions)
        return page

    # -- finding -----------------------------------------------------------------------------

    def on_scan(self, code: str) -> None:
        self.message.clear_message()
        ctx = self.session.ctx
        self.run(lambda: find_tracked(ctx, code), self._found, self.reject_scan)

    def _found(self, found: list[Tracked]) -> None:
        if len(found) == 1:
            self.open(found[0])
            return
        self.choices.clear()
        for tracked in found:
            item = QListWidgetItem(choice_text(tracked), self.choices)
            item.setData(Qt.ItemDataRole.UserRole, tracked)
            if tracked.expiry is not None:
                item.setForeground(EXPIRY_STATUS[tracked.expiry].color())
        self.choice_label.setText(f"'{found[0].number}' is on {len(found)} items. Which one? (Enter to open)")
        self.choice_label.show()
        self.choices.show()
        self.choices.setCurrentRow(0)
        self.choices.setFocus()

    def open(self, tracked: Tracked) -> None:
        """Read everything about one lot or serial unit, off the GUI thread."""
        self.choice_label.hide()
        self.choices.hide()
        self.current = tracked
        ctx, sku, number = self.session.ctx, tracked.sku, tracked.number
        read = lot_file if tracked.kind is ScanKind.LOT else serial_file
        self.run(lambda: read(ctx, sku, number), self._show)

    def _show(self, file: LotFile | SerialFile | None) -> None:
        self.file = file
        is_lot = isinstance(file, LotFile)
        if isinstance(file, LotFile):
            self.heading.setText(lot_heading(file, self.session.ctx.today()))
        elif isinstance(file, SerialFile):
            self.heading.setText(serial_heading(file))
        else:
            self.choice_label.hide()
            self.choices.hide()
        self.timeline.set_rows(file.timeline if file else ())
        self.receipts.set_rows(file.receipts if is_lot else ())
        self.destinations.set_rows(file.destinations if is_lot else ())
        self.places.set_rows(file.places if is_lot else ())
        self.customers.set_rows(file.customers if is_lot else ())
        for tab in (CAME_FROM, WENT_TO, RECALL):
            self.tabs.setTabEnabled(tab, is_lot)
        counts = {
            TIMELINE: len(self.timeline.rows),
            CAME_FROM: len(self.receipts.rows),
            WENT_TO: len(self.destinations.rows),
        }
        for tab, title in ((TIMELINE, "&Timeline"), (CAME_FROM, "&Came from"), (WENT_TO, "&Went to")):
            self.tabs.setTabText(tab, f"{title} ({counts[tab]})" if file else title)
        if not is_lot:
            self.tabs.setCurrentIndex(TIMELINE)
        self._update_recall()

    def _update_recall(self) -> None:
        lot = self.file if isinstance(self.file, LotFile) else None
        free = sum(p.can_hold for p in lot.places) if lot else 0
        allowed = self.session.may(Action.RECALL_LOT)
        self.recall_action.setEnabled(allowed and free > 0)
        if not allowed:
            note = "Only a manager or the owner may recall a lot."
        elif lot is None:
            note = ""
        elif free:
            note = f"Puts the {free:,} free units of lot {lot.lot.number} on hold, at every place above, in one step."
        else:
            note = "No free units of this lot are left on the shelves to put on hold."
        self.recall_note.setText(note)

    # -- acting ------------------------------------------------------------------------------

    def recall(self) -> None:
        lot = self.file if isinstance(self.file, LotFile) else None
        if lot is None:
            return
        ctx, sku, number = self.session.ctx, lot.sku, lot.lot.number
        left_reserved = sum(p.reserved for p in lot.places if not p.in_transit)
        left_moving = sum(p.on_hand for p in lot.places if p.in_transit)
        self.recall_action.setEnabled(False)
        self.run(
            lambda: recall_lot(ctx, sku, number),
            lambda result: self._recalled(result, number, left_reserved, left_moving),
            self._recall_refused,
        )

    def _recalled(self, result, number: str, reserved: int, moving: int) -> None:
        held = sum(m.qty for m in result.movements)
        text = f"Lot {number} is on hold: {held:,} units quarantined at {len(result.movements)} places."
        if reserved:
            text += (
                f" {reserved:,} reserved units stay with their orders: to hold them too, cancel those sales "
                "orders (Orders screen) or release other reservations, then recall again."
            )
        if moving:
            text += f" {moving:,} units are in transit: receive them as damaged to hold them."
        self.message.show_done(text)

    def _recall_refused(self, error: Exception) -> None:
        self.show_error(error)
        self._update_recall()

    def on_changes(self, changes: ChangeSet) -> None:
        if self.current is None or self.file is None:
            return
        if isinstance(self.file, LotFile):
            touched = self.file.lot.id in changes.lot_ids
        else:
            touched = self.file.variant_id in changes.variant_ids
        if touched or changes.everything:
            self.open(self.current)
