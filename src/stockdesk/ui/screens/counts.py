"""Cycle counts: what is due at a place by ABC class, starting a count, blind entry by scanning, and a
manager's review of the variances (books, counted, units and value) before posting them.

Counters see only what they counted; the review (and Post) needs Action.POST_COUNT, as the services do.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from ...domain.errors import InvalidInput
from ...domain.postings import ChangeSet, PostingResult, Topic
from ...domain.quantities import ADJUSTMENT_CODE
from ...domain.users import Action
from ...services import counts
from ...services.counts import CountLineRow, CountSheet
from ...services.lookup import ScanHit, ScanKind, identify
from ..controls import action_button, screen_action
from ..screen import Screen
from ..session import Session
from ..widgets import table_view
from . import counts_models as models
from .counts_entry import CountEntry
from .counts_plan import CountPlanner

MANAGERS_ONLY = "Reviewing and posting a count needs a manager or the owner."


class CountsScreen(Screen):
    title = "Cycle counts"
    icon_name = "clipboard-check-outline"
    scan_hint = "Scan a location, then each item (or lot) you count, then Enter"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.sheet: CountSheet | None = None
        self.reviewing = False
        self.loaded = False
        may_post = session.may(Action.POST_COUNT)

        self.start_action = screen_action(self, "clipboard-plus-outline", "&Start count", "Ctrl+N")
        self.start_action.triggered.connect(self.start)
        self.open_action = screen_action(self, "folder-open-outline", "&Open count", "Ctrl+O")
        self.open_action.triggered.connect(self.open_selected)
        self.review_action = screen_action(self, "scale-balance", "&Review variances", "Ctrl+R")
        self.review_action.setCheckable(True)
        self.review_action.triggered.connect(self.toggle_review)
        self.post_action = screen_action(self, "check-all", "&Post count", "Ctrl+Return", "Ctrl+Enter")
        self.post_action.triggered.connect(self.post)
        if not may_post:
            for action in (self.review_action, self.post_action):
                action.setToolTip(MANAGERS_ONLY)

        self.plan = CountPlanner(self, self.start_action, self.open_action)
        self.heading = QLabel(self)
        self.heading.setObjectName("sheetHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.entry = CountEntry(self)
        self.entry.submitted.connect(self.record)
        self.blind = models.blind_model()
        self.review = models.review_model()
        self.sheet_table = table_view(self)
        self.sheet_table.setObjectName("countSheet")
        self.sheet_table.setModel(self.blind)
        self.summary = QLabel(self)
        self.summary.setObjectName("sheetSummary")

        self._lay_out()
        session.site_changed.connect(self._site_changed)
        self._show_sheet(None)

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(action_button(self.review_action, self))
        buttons.addWidget(action_button(self.post_action, self))
        sheet = QWidget(self)
        right = QVBoxLayout(sheet)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.heading)
        right.addWidget(self.entry)
        right.addWidget(self.sheet_table, 1)
        right.addLayout(buttons)

        splitter = QSplitter(self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.plan)
        splitter.addWidget(sheet)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 700])
        self.layout_.addWidget(self.scan)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(splitter, 1)
        QWidget.setTabOrder(self.scan, self.plan.place)
        QWidget.setTabOrder(self.plan.open_table, self.entry.lot)
        QWidget.setTabOrder(self.entry.lot, self.entry.qty)
        QWidget.setTabOrder(self.entry.qty, self.sheet_table)

    # -- loading ----------------------------------------------------------------------------

    def activate(self) -> None:
        super().activate()
        if not self.loaded:
            self.loaded = True
            self.plan.reload()

    def _site_changed(self, site: str | None) -> None:
        if self.loaded:
            self.plan.follow_site(site)

    def reload_sheet(self) -> None:
        if self.sheet is None:
            return
        session_id, ctx, reviewing = self.sheet.session_id, self.session.ctx, self.reviewing
        read = counts.count_variances if reviewing else counts.count_sheet
        self.run(lambda: read(ctx, session_id), lambda sheet: self._show_sheet(sheet, review=reviewing))

    def on_changes(self, changes: ChangeSet) -> None:
        if not self.loaded:
            return
        if changes.mentions(Topic.CATALOG):
            self.plan.reload()
        if changes.mentions(Topic.COUNTS):
            self.plan.reload_open()
            if not self.counting():  # the due list ranks a year of sales: not again after every scan
                self.plan.reload_due()
            self.reload_sheet()

    def counting(self) -> bool:
        return self.sheet is not None and self.sheet.status == "open"

    # -- the sheet --------------------------------------------------------------------------

    def _show_sheet(self, sheet: CountSheet | None, *, review: bool = False) -> None:
        same = self.sheet is not None and sheet is not None and self.sheet.session_id == sheet.session_id
        self.sheet, self.reviewing = sheet, review and sheet is not None
        model = self.review if self.reviewing else self.blind
        lines = () if sheet is None else models.review_lines(sheet) if self.reviewing else sheet.lines
        if same and self.sheet_table.model() is model:
            models.show_lines(model, lines)
        else:
            model.set_rows(lines)
            self.sheet_table.setModel(model)
            self.sheet_table.resizeColumnsToContents()
        is_open = sheet is not None and sheet.status == "open"
        may_post = self.session.may(Action.POST_COUNT)
        self.review_action.setEnabled(sheet is not None and may_post)
        self.review_action.setChecked(self.reviewing)
        self.post_action.setEnabled(is_open and self.reviewing and may_post)
        self.entry.setEnabled(is_open)
        if not same:
            self.entry.clear_item()
            self.entry.set_place(None)
        if sheet is None:
            self.heading.setText("No count open: start one (Ctrl+N) or open one from the list")
            self.summary.clear()
        else:
            view = "review" if self.reviewing else "blind sheet"
            self.heading.setText(f"Count {sheet.session_id} of {sheet.location} — {sheet.status}, {view}")
            self.summary.setText(models.sheet_summary(sheet, review=self.reviewing))

    def start(self) -> None:
        code, due, ctx = self.plan.place.code(), self.plan.only_due.isChecked(), self.session.ctx
        if code is None:
            self.show_error(InvalidInput("Choose the location to count first."))
            return
        self.run(lambda: counts.start_count(ctx, code, only_due=due), self._started)

    def _started(self, sheet: CountSheet) -> None:
        self._show_sheet(sheet)
        self.message.show_done(
            f"Count {sheet.session_id} of {sheet.location} started with {len(sheet.lines)} lines. "
            "Scan a location, then each item, type what you find and press Enter."
        )
        self.scan.setFocus()

    def open_selected(self) -> None:
        session_id, ctx = self.plan.selected_count(), self.session.ctx
        if session_id is None:
            self.show_error(InvalidInput("Select an open count in the list first."))
            return
        self.run(lambda: counts.count_sheet(ctx, session_id), self._opened)

    def _opened(self, sheet: CountSheet) -> None:
        self._show_sheet(sheet)
        self.message.show_done(f"Count {sheet.session_id} of {sheet.location} is open for counting.")
        self.scan.setFocus()

    def toggle_review(self) -> None:
        if self.sheet is None:
            return
        want_review, session_id, ctx = not self.reviewing, self.sheet.session_id, self.session.ctx
        read = counts.count_variances if want_review else counts.count_sheet
        self.review_action.setChecked(self.reviewing)  # until the answer arrives
        self.run(lambda: read(ctx, session_id), lambda sheet: self._show_sheet(sheet, review=want_review))

    def post(self) -> None:
        if self.sheet is None or not self.reviewing:
            return
        session_id, ctx = self.sheet.session_id, self.session.ctx
        self.post_action.setEnabled(False)
        self.run(lambda: counts.post_count(ctx, session_id), self._posted, self._post_failed)

    def _posted(self, result: PostingResult) -> None:
        missing = sum(m.qty for m in result.movements if m.to_location == ADJUSTMENT_CODE)
        found = sum(m.qty for m in result.movements if m.from_location == ADJUSTMENT_CODE)
        self.message.show_done(
            f"{result.reference} posted: {len(result.movements)} adjustments; "
            f"units written off {missing:,}, units found {found:,}."
        )
        self.plan.reload_due()
        if result.replayed:  # posted before (here or elsewhere): no change notice will come, so look again
            self.reload_sheet()

    def _post_failed(self, error: Exception) -> None:
        self.show_error(error)
        self.reload_sheet()

    # -- blind entry ------------------------------------------------------------------------

    def on_scan(self, code: str) -> None:
        ctx = self.session.ctx
        accept = (ScanKind.ITEM, ScanKind.LOCATION, ScanKind.LOT)
        self.run(lambda: identify(ctx, code, accept), self._scanned, self.reject_scan)

    def _scanned(self, hit: ScanHit) -> None:
        counting = self.counting()
        if hit.kind is ScanKind.LOCATION:
            if counting:
                self.entry.set_place(hit.code)
                self.message.show_done(f"Counting at {hit.code}: scan each item there.")
            elif self.plan.place.choose(hit.code):
                self.message.show_done(f"Press Ctrl+N to start a count of {hit.code}.")
            self.scan.setFocus()
            return
        if not counting:
            self.reject_scan(InvalidInput("Start a count (Ctrl+N) or open one from the list before scanning items."))
            return
        assert hit.item is not None
        self.entry.set_item(hit.item, hit.lot.number if hit.lot else None)
        self.message.clear_message()

    def record(self) -> None:
        if self.sheet is None or self.entry.sku is None:
            self.show_error(InvalidInput("Scan the item you counted first."))
            self.scan.setFocus()
            return
        session_id, ctx, sku = self.sheet.session_id, self.session.ctx, self.entry.sku
        qty, at, lot = self.entry.qty.text(), self.entry.place_code(), self.entry.lot_number()
        self.run(lambda: counts.enter_count(ctx, session_id, sku, qty, at=at, lot=lot), self._recorded, self._refused)

    def _recorded(self, line: CountLineRow) -> None:
        if not self.reviewing:  # the review shows the books too: its change notice reloads it
            models.put_line(self.blind, line)
        lot = f" lot {line.lot}" if line.lot else ""
        self.message.show_done(f"Counted {line.counted:,} × {line.sku}{lot} at {line.location}.")
        self.entry.clear_item()
        self.scan.setFocus()

    def _refused(self, error: Exception) -> None:
        self.show_error(error)
        self.entry.qty.setFocus()
        self.entry.qty.selectAll()
