"""Stock screen: every item x place (x lot) with its six quantities, searched as you type, filtered
by place and reorder point, loaded a page at a time and kept current row by row as stock moves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QHeaderView, QLabel, QSplitter, QToolButton, QWidget

from ...domain.errors import NotFound
from ...domain.postings import ChangeSet, Topic
from ...services import browse, catalog, queries
from ...services.lookup import ScanHit, ScanKind, identify
from ..screen import Screen
from ..session import Session
from ..table import display
from ..theme import SPACING, Status, icon
from ..widgets import table_view
from .stock_detail import HISTORY_LIMIT, StockDetail
from .stock_model import StockTableModel
from .stock_places import PlaceFilter

SEARCH_DELAY_MS = 150
"""Typing pauses this long before a search runs: one search per pause, not one per key."""
DETAIL_DELAY_MS = 120
COLUMN_WIDTHS = (118, 160, 115, 80, 82, 64, 70, 92, 72, 70, 68)
NAME_COLUMN = 1


class StockScreen(Screen):
    title = "Stock"
    icon_name = "package-variant-closed"
    scan_hint = "Search SKU, name, barcode, colour, size… or scan an item or a location (Ctrl+F)"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.page_rows = browse.PAGE_ROWS
        self.filter = browse.StockFilter(at=session.site)
        self._generation = 0
        """Bumped by every reload: answers to an older filter are dropped when they arrive."""
        self.model = StockTableModel(self._load_page, self)
        self._build()
        self._build_actions()
        session.site_changed.connect(self._follow_site)
        self._load_places()
        self.reload()

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.place_box = PlaceFilter(self)
        self.place_box.chosen.connect(self._place_chosen)
        place_label = QLabel("&Location:", self)
        place_label.setBuddy(self.place_box)
        self.below_box = QCheckBox("&Below reorder point", self)
        self.below_box.setObjectName("belowReorder")
        self.below_box.setToolTip("Only items whose available stock in the chosen place is under their reorder point")
        self.below_box.toggled.connect(self._below_toggled)
        self.refresh_button = QToolButton(self)
        self.refresh_button.setIcon(icon("refresh"))
        self.refresh_button.setToolTip("Refresh (F5)")
        self.refresh_button.clicked.connect(lambda: self.reload())
        bar = QHBoxLayout()
        bar.setSpacing(SPACING)
        bar.addWidget(self.scan, 1)
        bar.addWidget(place_label)
        bar.addWidget(self.place_box)
        bar.addWidget(self.below_box)
        bar.addWidget(self.refresh_button)

        self.table = table_view(self)
        self.table.setObjectName("stockTable")
        self.table.setModel(self.model)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.activated.connect(self.open_detail)
        self.detail = StockDetail(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([3000, 1700])  # in proportion: the table first, the history below

        self.summary = QLabel(self)
        self.summary.setObjectName("stockSummary")
        footer = QHBoxLayout()
        footer.addWidget(self.summary, 1)
        footer.addWidget(_legend(self))

        self.layout_.addLayout(bar)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.splitter, 1)
        self.layout_.addLayout(footer)
        self.setTabOrder(self.scan, self.place_box)
        self.setTabOrder(self.place_box, self.below_box)
        self.setTabOrder(self.below_box, self.table)
        self.setTabOrder(self.table, self.detail.view)

        self._search_timer = _single_shot(self, SEARCH_DELAY_MS, self._search_typed)
        self._detail_timer = _single_shot(self, DETAIL_DELAY_MS, self._load_detail)
        self.scan.textEdited.connect(lambda _text: self._search_timer.start())

    def _build_actions(self) -> None:
        for text, keys, slot in (
            ("Search", QKeySequence.StandardKey.Find, self.focus_search),
            ("Refresh", QKeySequence.StandardKey.Refresh, self.reload),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            self.addAction(action)

    def closeEvent(self, event: QCloseEvent) -> None:
        """No search or history is started once the screen is closed (its session may be closed already)."""
        self._search_timer.stop()
        self._detail_timer.stop()
        super().closeEvent(event)

    def focus_search(self) -> None:
        self.scan.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scan.selectAll()

    # -- the filter -----------------------------------------------------------------------------

    def set_filter(self, then: Callable[[browse.StockPage], None] | None = None, **changes) -> None:
        self.filter = replace(self.filter, **changes)
        self.reload(then)

    def _search_typed(self) -> None:
        if self.scan.text() != self.filter.text:
            self.set_filter(text=self.scan.text())

    def _place_chosen(self, code: str | None) -> None:
        if code != self.filter.at:
            self.set_filter(at=code)

    def _below_toggled(self, checked: bool) -> None:
        self.set_filter(below_reorder=checked)

    def _follow_site(self, code: str | None) -> None:
        """The status bar's site: the place this screen shows, until another is chosen here."""
        if code != self.filter.at:
            self.place_box.select(code)
            self.set_filter(at=code)

    def _load_places(self) -> None:
        ctx = self.session.ctx
        self.run(lambda: catalog.locations(ctx), lambda places: self.place_box.set_places(places, self.filter.at))

    # -- loading ---------------------------------------------------------------------------------

    def reload(self, then: Callable[[browse.StockPage], None] | None = None) -> None:
        """Read the first page for the current filter, then call `then` with it; whatever was still
        loading for an older filter is dropped when it arrives."""
        self._generation += 1
        generation, wanted, ctx, rows = self._generation, self.filter, self.session.ctx, self.page_rows
        self.model.loading = True

        def shown(page: browse.StockPage) -> None:
            if generation == self._generation:
                self.model.show_first(page)
                self.message.clear_message()
                self.detail.clear()
                self._summarise()
                if then is not None:
                    then(page)

        self.run(
            lambda: browse.stock_page(ctx, wanted, rows=rows), shown, lambda error: self._page_failed(generation, error)
        )

    def _load_page(self, after: str) -> None:
        generation, wanted, ctx, rows = self._generation, self.filter, self.session.ctx, self.page_rows
        self.run(
            lambda: browse.stock_page(ctx, wanted, after, rows=rows),
            lambda page: self._next_page(generation, page),
            lambda error: self._page_failed(generation, error),
        )

    def _next_page(self, generation: int, page: browse.StockPage) -> None:
        if generation == self._generation:
            self.model.add_page(page)
            self._summarise()

    def _page_failed(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self.model.page_failed()
            self.show_error(error)

    def _summarise(self) -> None:
        shown = self.model.rowCount()
        if not shown:
            words = f" matching '{self.filter.text}'" if self.filter.text.strip() else ""
            self.summary.setText(f"No items{words} here.")
        else:
            more = " — scroll down for more" if self.model.after is not None else ""
            self.summary.setText(f"{display(shown)} rows{more}")

    # -- what other writes changed -------------------------------------------------------------------

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.mentions(Topic.CATALOG):  # or everything: new places, renamed or new items, reorder points
            self._load_places()
            self.reload()
        elif changes.variant_ids:
            self._refresh_items(set(changes.variant_ids))

    def _refresh_items(self, variant_ids: set[int]) -> None:
        """Re-read only these items; rows already shown are updated where they stand."""
        generation, wanted, ctx = self._generation, self.filter, self.session.ctx

        def apply(fresh: browse.StockPage) -> None:
            if generation == self._generation:
                self.model.update_items(variant_ids, fresh)
                self._summarise()
                if self.detail.variant_id in variant_ids:
                    self._load_detail()

        self.run(lambda: browse.stock_rows(ctx, wanted, variant_ids), apply)

    # -- the detail pane ---------------------------------------------------------------------------------

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._detail_timer.start()

    def open_detail(self, _index: QModelIndex | None = None) -> None:
        """Enter (or a double click) on a row: its item's history now, and the cursor in it."""
        self._detail_timer.stop()
        self._load_detail()
        sizes = self.splitter.sizes()
        if sizes[1] == 0:
            self.splitter.setSizes([sizes[0] * 3 // 5, sizes[0] * 2 // 5])
        self.detail.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _load_detail(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        row = self.model.row_at(index.row())
        self.detail.show_item(self.model.rows_of(row.variant_id), self.filter.at)
        ctx, sku, variant_id, at = self.session.ctx, row.sku, row.variant_id, self.filter.at
        self.run(
            lambda: queries.history(ctx, sku, at=at, limit=HISTORY_LIMIT, newest_first=True),
            lambda movements: self.detail.show_history(variant_id, movements),
        )

    # -- scanning ------------------------------------------------------------------------------------------

    def on_scan(self, code: str) -> None:
        """A scanned (or typed, then Enter) item, lot or serial shows that item; a location, what is there;
        anything else is searched for as text."""
        ctx = self.session.ctx
        self._search_timer.stop()  # the field was cleared for the next scan: not a search for nothing

        def failed(error: Exception) -> None:
            if isinstance(error, NotFound):
                self._search_for(code, error)
            else:
                self.reject_scan(error)

        self.run(lambda: identify(ctx, code), self._scanned, failed)

    def _scanned(self, hit: ScanHit) -> None:
        self.message.clear_message()
        if hit.kind is ScanKind.LOCATION and hit.location is not None:
            self.place_box.select(hit.location.code)
            self.set_filter(text="", at=hit.location.code)
        elif hit.item is not None:
            self.scan.setText(hit.item.sku)
            self.set_filter(self._open_first, text=hit.item.sku)

    def _open_first(self, page: browse.StockPage) -> None:
        if page.rows:
            self.table.setCurrentIndex(self.model.index(0, 0))
            self._detail_timer.stop()
            self._load_detail()

    def _search_for(self, text: str, unknown: Exception) -> None:
        """Not a code: search for it as words; a scanner's unknown code finds nothing and is refused."""
        self.scan.setText(text)
        self.set_filter(lambda page: None if page.rows else self.reject_scan(unknown), text=text)


def _single_shot(parent: QWidget, delay_ms: int, slot) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(delay_ms)
    timer.timeout.connect(slot)
    return timer


def _legend(parent: QWidget) -> QLabel:
    parts = (
        (Status.BELOW_REORDER, "below reorder point"),
        (Status.QUARANTINED, "quarantined"),
        (Status.IN_TRANSIT, "in transit"),
    )
    label = QLabel(
        "  ".join(f'<span style="color:{status.color().name()}">■ {text}</span>' for status, text in parts), parent
    )
    label.setObjectName("stockLegend")
    return label
