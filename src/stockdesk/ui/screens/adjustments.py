"""Adjustments: a quick adjustment with a mandatory reason code and note; the history of corrections
with filters; the pattern of repeated losses; and reversing any movement from the history.

Staff may look at everything here, but posting and reversing need Action.ADJUST (the services agree).
"""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from ...domain.postings import ChangeSet, Topic
from ...domain.users import Action
from ...services import adjustments, catalog
from ...services.lookup import ScanHit, ScanKind, identify
from ..controls import screen_action
from ..screen import Screen
from ..session import Session
from ..theme import icon
from .adjustments_form import QuickAdjustForm
from .adjustments_history import HistoryPanel
from .adjustments_pattern import PatternPanel


class AdjustmentsScreen(Screen):
    title = "Adjustments"
    icon_name = "tune-variant"
    scan_hint = "Scan an item, its lot or serial number, or a location, then Enter"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.loaded = False
        self.stale = True
        """The history and pattern may be out of date: reload them when the screen is next shown."""
        self.post_action = screen_action(
            self, "content-save-check-outline", "Post adjustment", "Ctrl+Return", "Ctrl+Enter"
        )
        if not session.may(Action.ADJUST):
            self.post_action.setEnabled(False)
            self.post_action.setToolTip("Adjustments need a manager or the owner.")
        self.form = QuickAdjustForm(self, self.post_action, self)
        self.post_action.triggered.connect(self.form.post)
        self.history = HistoryPanel(self, self)
        self.pattern = PatternPanel(self, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.history, icon("history"), "&History")
        self.tabs.addTab(self.pattern, icon("chart-bar"), "&Pattern of losses")
        self.pattern.show_history.connect(self._history_of)

        splitter = QSplitter(self)
        splitter.setChildrenCollapsible(False)
        left = QWidget(splitter)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.form)
        column.addStretch(1)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 750])
        self.layout_.addWidget(self.scan)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(splitter, 1)
        QWidget.setTabOrder(self.scan, self.form.item)

    def activate(self) -> None:
        super().activate()
        if not self.loaded:
            self.loaded = True
            self.load_choices()
        self.refresh()

    def refresh(self) -> None:
        if self.stale:
            self.stale = False
            self.history.reload()
            self.pattern.reload()

    def load_choices(self) -> None:
        """Places and reason codes for the form, reasons and users for the history's filters."""
        ctx = self.session.ctx
        self.run(lambda: catalog.locations(ctx), lambda places: self.form.set_places(places, self.session.site))
        self.run(lambda: catalog.reason_codes(ctx), self.form.set_reasons)
        self.run(lambda: adjustments.filter_choices(ctx), self.history.set_choices)

    def on_changes(self, changes: ChangeSet) -> None:
        if not self.loaded:
            return
        if changes.mentions(Topic.CATALOG) or changes.mentions(Topic.USERS):
            self.load_choices()
        if changes.touches_stock():
            # Every sale anywhere touches stock: while hidden, just remember to look again when shown.
            self.stale = True
            if self.isVisible():
                self.refresh()

    def on_scan(self, code: str) -> None:
        ctx = self.session.ctx
        self.run(lambda: identify(ctx, code), self._scanned, self.reject_scan)

    def _scanned(self, hit: ScanHit) -> None:
        self.message.clear_message()
        if hit.kind is ScanKind.LOCATION:
            self.form.place.choose(hit.code)
            self.scan.setFocus()
            return
        assert hit.item is not None
        if hit.serial is not None and not hit.serial.location_kind.is_virtual:
            self.form.place.choose(hit.serial.location_code)
        self.form.show_item(
            hit.item,
            lot=hit.lot.number if hit.lot else None,
            serial=hit.serial.serial_number if hit.serial else None,
        )

    def _history_of(self, sku: str) -> None:
        self.tabs.setCurrentWidget(self.history)
        self.history.show_item(sku)
