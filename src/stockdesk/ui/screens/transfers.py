"""Transfers screen: the list by status, one transfer's lines, and each step of its life
(request, approve, pick, receive, cancel) as an action enabled only when the step is allowed."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHeaderView, QToolBar, QWidget

from ...domain.postings import ChangeSet, Topic
from ...domain.users import Action
from ...services import transfers
from ...services.transfer_views import STATUSES, TransferDetail, transfer_detail, transfer_number, transfer_summaries
from ..document_list import DocumentList, DocumentScreen, filter_box, filter_row, heading_label, master_detail
from ..table import RowTableModel
from ..theme import icon
from ..widgets import table_view
from .transfers_new import NewTransferDialog
from .transfers_receive import ReceiveTransferDialog
from .transfers_tables import LINE_COLUMNS, TRANSFER_COLUMNS, describe, line_status, transfer_status


class TransfersScreen(DocumentScreen):
    title = "Transfers"
    icon_name = "swap-horizontal-bold"
    scan_hint = "Scan a transfer label (TRANSFER-12) or type its number, then Enter"

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.current: TransferDetail | None = None
        self._wanted: int | None = None
        self.new_dialog: NewTransferDialog | None = None
        self.receive_dialog: ReceiveTransferDialog | None = None

        choices = [("All", None), *((status.capitalize(), status) for status in STATUSES)]
        self.status_box = filter_box("statusFilter", choices, self.load, self)
        self.model = RowTableModel(TRANSFER_COLUMNS, status=transfer_status, parent=self)
        self.list_view = DocumentList(self.model, "transferList", self)
        self.proxy = self.list_view.proxy
        self.list_view.selectionModel().currentRowChanged.connect(self._row_chosen)

        self.heading = heading_label("transferHeading", self)
        self.lines_model = RowTableModel(LINE_COLUMNS, status=line_status, parent=self)
        self.lines_view = table_view(self)
        self.lines_view.setObjectName("transferLines")
        self.lines_view.setModel(self.lines_model)
        self.lines_view.horizontalHeader().setStretchLastSection(False)
        self.lines_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self._build_actions()
        self.layout_.addLayout(filter_row("&Status:", self.status_box, self.scan))
        self.layout_.addWidget(self.toolbar)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(master_detail(self.list_view, self.heading, self.lines_view, self, (3, 2)), 1)
        self.setTabOrder(self.scan, self.status_box)
        self.setTabOrder(self.status_box, self.list_view)
        self.setTabOrder(self.list_view, self.lines_view)
        session.site_changed.connect(lambda _: self.load() if self.loaded else None)
        self._show_detail(None)

    def _build_actions(self) -> None:
        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_action = self._action("New transfer…", "plus-box-outline", "Ctrl+N", self.new_transfer)
        self.toolbar.addSeparator()
        self.approve_action = self._action("Approve", "check-decagram-outline", "Ctrl+Shift+A", self.approve)
        self.pick_action = self._action("Pick", "dolly", "Ctrl+Shift+P", self.pick)
        self.receive_action = self._action("Receive…", "truck-check-outline", "Ctrl+Shift+R", self.receive)
        self.cancel_action = self._action("Cancel transfer", "close-octagon-outline", "Ctrl+Shift+C", self.cancel)
        self.toolbar.addSeparator()
        self.refresh_action = self._action("Refresh", "refresh", "F5", self.load)
        if not self.session.may(Action.APPROVE_TRANSFER):
            self.approve_action.setToolTip("Only a manager or the owner may approve transfers.")

    def _action(self, text: str, icon_name: str, keys: str, slot) -> QAction:
        action = QAction(icon(icon_name), text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{text.rstrip('…')} ({keys})")
        action.triggered.connect(slot)
        self.addAction(action)
        self.toolbar.addAction(action)
        return action

    # -- loading -----------------------------------------------------------------------------

    def load(self) -> None:
        super().load()
        ctx, status, site = self.session.ctx, self.status_box.currentData(), self.session.site
        self.run(lambda: transfer_summaries(ctx, status, site=site), self._show_list)

    def _show_list(self, rows) -> None:
        keep = self._wanted or (self.current.summary.id if self.current else None)
        self._wanted = None
        first = not self.model.rows
        self.model.set_rows(rows)
        if first:
            self.list_view.resizeColumnsToContents()
        if keep is not None and not self._select(keep):
            self._load_detail(keep)  # still shown (and acted on) though the filter now hides it

    def _select(self, transfer_id: int) -> bool:
        if self.list_view.select_document(transfer_id) is None:
            return False
        self._load_detail(transfer_id)
        return True

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._load_detail(self.list_view.document_at(current).id)

    def _load_detail(self, transfer_id: int) -> None:
        ctx = self.session.ctx
        self.run(lambda: transfer_detail(ctx, transfer_id), self._show_detail)

    def _show_detail(self, detail: TransferDetail | None) -> None:
        self.current = detail
        self.heading.setText(describe(detail.summary) if detail else "Choose a transfer, or scan its label.")
        self.lines_model.set_rows(detail.lines if detail else ())
        self.lines_view.resizeColumnsToContents()
        self._update_actions()

    def _update_actions(self) -> None:
        status = self.current.summary.status if self.current else None
        self.approve_action.setEnabled(status == "requested" and self.session.may(Action.APPROVE_TRANSFER))
        self.pick_action.setEnabled(status == "approved")
        self.receive_action.setEnabled(status == "picked")
        self.cancel_action.setEnabled(status in ("requested", "approved"))

    def on_changes(self, changes: ChangeSet) -> None:
        if not self.loaded:
            return
        if changes.mentions(Topic.TRANSFERS):
            self.load()
        elif self._shows_free_stock_of(changes):
            self._load_detail(self.current.summary.id)

    def _shows_free_stock_of(self, changes: ChangeSet) -> bool:
        """The open transfer is not picked yet, and what is free to pick changed for one of its items."""
        if self.current is None or self.current.summary.status not in ("requested", "approved"):
            return False
        return changes.everything or bool(changes.variant_ids & {line.variant_id for line in self.current.lines})

    def on_scan(self, code: str) -> None:
        number = self.scanned_number(code, transfer_number)
        if number is not None and not self._select(number):
            ctx = self.session.ctx
            self.run(lambda: transfer_detail(ctx, number), self._show_scanned, self.reject_scan)

    def _show_scanned(self, detail: TransferDetail) -> None:
        """A transfer the list does not show (another status or site): show it, and widen the list."""
        self._show_detail(detail)
        if self.status_box.currentData() is not None:
            self._wanted = detail.summary.id
            self.status_box.setCurrentIndex(0)

    # -- the steps ---------------------------------------------------------------------------

    def new_transfer(self) -> None:
        self.new_dialog = NewTransferDialog(self.session, self.run, self)
        self.new_dialog.created.connect(self._created)
        self.new_dialog.finished.connect(lambda _: self.activate())
        self.new_dialog.open()

    def _created(self, row: transfers.TransferRow) -> None:
        units = sum(line.requested for line in row.lines)
        self.message.show_done(
            f"{transfers.reference(row.id)} requested: {len(row.lines)} lines, {units} units "
            f"from {row.from_location} to {row.to_location}."
        )
        if self.status_box.currentData() not in (None, "requested"):
            self._wanted = row.id
            self.status_box.setCurrentIndex(0)
        elif not self._select(row.id):
            self._wanted = row.id  # the reload its commit set off is still on its way

    def approve(self) -> None:
        self._step(transfers.approve_transfer, "{ref} approved; it can be picked now.")

    def pick(self) -> None:
        self._step(transfers.pick_transfer, "{ref} picked: {units} units are in transit to {to}.")

    def cancel(self) -> None:
        self._step(transfers.cancel_transfer, "{ref} cancelled.")

    def receive(self) -> None:
        if self.current is None:
            return
        self.receive_dialog = ReceiveTransferDialog(self.current, self.session.ctx, self.run, self)
        self.receive_dialog.received.connect(self._received)
        self.receive_dialog.finished.connect(lambda _: self.activate())
        self.receive_dialog.open()

    def _received(self, detail: TransferDetail, totals: tuple[int, int, int]) -> None:
        received, damaged, short = totals
        self.message.show_done(
            f"{detail.summary.reference} received at {detail.summary.to_location}: {received} sound, "
            f"{damaged} damaged (in quarantine), {short} short."
        )

    def _step(self, service, done: str) -> None:
        if self.current is None:
            return
        ctx, summary = self.session.ctx, self.current.summary
        units = summary.units
        for action in (self.approve_action, self.pick_action, self.receive_action, self.cancel_action):
            action.setEnabled(False)  # until the transfer is read back: no second press on a stale state
        self.run(
            lambda: service(ctx, summary.id),
            lambda _: self.message.show_done(done.format(ref=summary.reference, units=units, to=summary.to_location)),
            self._refused,
        )

    def _refused(self, error: Exception) -> None:
        self.show_error(error)
        if self.current is not None:
            self._load_detail(self.current.summary.id)
