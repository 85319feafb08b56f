"""The purchase orders tab: the list (open or all), one order's lines and discrepancies, and each step of
its life (new, add line, send, cancel, close) as an action enabled only when the step is allowed."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QSplitter, QVBoxLayout

from ...domain.errors import StockDeskError
from ...domain.postings import ChangeSet, Topic
from ...domain.users import Action
from ...services import purchase_orders
from ...services.purchase_orders import PurchaseOrderRow
from ..controls import action_button
from ..document_list import DocumentList, filter_box, filter_row, heading_label, master_detail
from ..table import RowTableModel
from ..widgets import table_view
from .purchasing_new import AddLinesDialog, NewOrderDialog
from .purchasing_pane import Pane
from .purchasing_tables import (
    DISCREPANCY_COLUMNS,
    PO_COLUMNS,
    PO_LINE_COLUMNS,
    describe,
    discrepancy_status,
    po_line_status,
    po_number,
    po_status,
)
from .receiving_result import fit_columns

BUYERS_ONLY = "Only a manager or the owner may write, send, cancel or close purchase orders."
STATUSES = ("draft", "sent", "partial", "received", "closed", "cancelled")
FILTERS = (("Open orders", "open"), ("All orders", None), *((status.capitalize(), status) for status in STATUSES))


class OrdersPane(Pane):
    title = "Orders"
    icon_name = "file-document-multiple-outline"
    scan_hint = "Scan an order's label (PO-12) or type its number, then Enter"

    chosen = Signal(object)
    """The PurchaseOrderRow now shown (or None): the Receive and Put away tabs work on it."""

    def __init__(self, screen) -> None:
        super().__init__(screen)
        self.current: PurchaseOrderRow | None = None
        self._wanted: int | None = None
        self.new_dialog: NewOrderDialog | None = None
        self.lines_dialog: AddLinesDialog | None = None
        self.close_question: QMessageBox | None = None

        self.filter_box = filter_box("orderFilter", FILTERS, self.load, self)
        self.model = RowTableModel(PO_COLUMNS, status=po_status, parent=self)
        self.list_view = DocumentList(self.model, "orderList", self)
        self.proxy = self.list_view.proxy
        self.list_view.selectionModel().currentRowChanged.connect(self._row_chosen)
        fit_columns(self.list_view, stretch=1)

        self.heading = heading_label("orderHeading", self)
        self.lines_model = RowTableModel(PO_LINE_COLUMNS, status=po_line_status, parent=self)
        self.lines_view = table_view(self)
        self.lines_view.setObjectName("orderLines")
        self.lines_view.setModel(self.lines_model)
        self.discrepancies_model = RowTableModel(DISCREPANCY_COLUMNS, status=discrepancy_status, parent=self)
        self.discrepancies_view = table_view(self)
        self.discrepancies_view.setObjectName("orderDiscrepancies")
        self.discrepancies_view.setModel(self.discrepancies_model)
        fit_columns(self.lines_view, stretch=1)
        fit_columns(self.discrepancies_view, stretch=len(DISCREPANCY_COLUMNS) - 1)

        self._build_actions()
        self._lay_out()
        self._show_detail(None)

    def _build_actions(self) -> None:
        self.new_action = self.action("file-document-plus-outline", "&New order…", self.new_order, "Ctrl+N")
        self.add_line_action = self.action("playlist-plus", "Add &line…", self.add_lines, "Ctrl+Shift+L")
        self.send_action = self.action("send-outline", "&Send", self.send, "Ctrl+Shift+S")
        self.cancel_action = self.action("close-octagon-outline", "&Cancel order", self.cancel, "Ctrl+Shift+C")
        self.close_action = self.action("archive-check-outline", "Close orde&r…", self.ask_close, "Ctrl+Shift+X")
        self.remove_action = QAction("Remove line", self.lines_view)
        self.remove_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_action.triggered.connect(self.remove_line)
        self.lines_view.addAction(self.remove_action)
        buyer = self.session.may(Action.PURCHASE)
        self.new_action.setEnabled(buyer)
        buyers_only = (self.new_action, self.add_line_action, self.send_action, self.cancel_action, self.close_action)
        for action in buyers_only if not buyer else ():
            action.setToolTip(BUYERS_ONLY)

    def _lay_out(self) -> None:
        top = filter_row("S&how:", self.filter_box)
        top.addSpacing(12)
        for action in (self.new_action, self.add_line_action, self.send_action, self.cancel_action, self.close_action):
            top.addWidget(action_button(action, self))
        for action in (self.screen.receive_action, self.screen.putaway_action):
            top.addWidget(action_button(action, self))
        top.addStretch(1)
        tables = QSplitter(Qt.Orientation.Vertical, self)
        tables.addWidget(self.lines_view)
        tables.addWidget(self.discrepancies_view)
        tables.setStretchFactor(0, 3)
        tables.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(master_detail(self.list_view, self.heading, tables, self), 1)

    # -- loading -----------------------------------------------------------------------------------

    def load(self) -> None:
        super().load()
        ctx, wanted = self.session.ctx, self.filter_box.currentData()
        status = None if wanted in (None, "open") else wanted
        self.run(lambda: purchase_orders.list_pos(ctx, status=status, open_only=wanted == "open"), self._show_list)

    def _show_list(self, rows: list[PurchaseOrderRow]) -> None:
        keep = self._wanted or (self.current.id if self.current else None)
        self._wanted = None
        self.model.set_rows(rows)
        if keep is not None and not self._select(keep):
            self._load_detail(keep)  # still shown (and acted on) though the filter now hides it

    def _select(self, po_id: int) -> bool:
        row = self.list_view.select_document(po_id)
        if row is not None:
            self._show_detail(row)
        return row is not None

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._show_detail(self.list_view.document_at(current))

    def _load_detail(self, po_id: int) -> None:
        ctx = self.session.ctx
        self.run(lambda: purchase_orders.get_po(ctx, po_id), self._show_detail)

    def _show_detail(self, po: PurchaseOrderRow | None) -> None:
        self.current = po
        self.heading.setText(describe(po) if po else "Choose an order, or scan its label.")
        self.lines_model.set_rows(po.lines if po else ())
        self.discrepancies_model.set_rows(po.discrepancies if po else ())
        self._update_actions()
        self.chosen.emit(po)

    def _update_actions(self) -> None:
        status = self.current.status if self.current else None
        buyer = self.session.may(Action.PURCHASE)
        self.add_line_action.setEnabled(buyer and status in ("draft", "sent"))
        self.send_action.setEnabled(buyer and status == "draft")
        self.cancel_action.setEnabled(buyer and status in ("draft", "sent"))
        self.close_action.setEnabled(buyer and status in ("sent", "partial"))
        self.remove_action.setEnabled(buyer and status == "draft")

    def on_changes(self, changes: ChangeSet) -> None:
        if self.loaded and changes.mentions(Topic.PURCHASING):
            self.load()

    def on_scan(self, code: str) -> None:
        try:
            number = po_number(code)
        except StockDeskError as error:
            self.screen.reject_scan(error)
            return
        self.show_order(number)

    def show_order(self, po_id: int) -> None:
        """Select the order (widening the filter when it hides it) and show its detail."""
        self.message.clear_message()
        if not self._select(po_id):
            ctx = self.session.ctx
            self.run(lambda: purchase_orders.get_po(ctx, po_id), self._show_found, self.screen.reject_scan)

    def _show_found(self, po: PurchaseOrderRow) -> None:
        self._show_detail(po)
        if self.filter_box.currentData() is not None:
            self._wanted = po.id
            self.filter_box.setCurrentIndex(self.filter_box.findData(None))

    # -- the steps ---------------------------------------------------------------------------------

    def new_order(self) -> None:
        self.new_dialog = NewOrderDialog(self.session, self.run, self)
        self.new_dialog.created.connect(self._created)
        self.new_dialog.finished.connect(lambda _: self.back_to_scan())
        self.new_dialog.open()

    def _created(self, po: PurchaseOrderRow) -> None:
        units = sum(line.ordered for line in po.lines)
        self.message.show_done(
            f"{po.number} drafted for {po.supplier_name}: {len(po.lines)} lines, {units:,} units to {po.deliver_to}. "
            "Send it (Ctrl+Shift+S) when it is complete."
        )
        self._wanted = po.id
        if self.filter_box.currentData() not in (None, "open", "draft"):
            self.filter_box.setCurrentIndex(self.filter_box.findData("open"))
        elif not self._select(po.id):
            self.load()

    def add_lines(self) -> None:
        if self.current is None:
            return
        self.lines_dialog = AddLinesDialog(self.current, self.session, self.run, self)
        self.lines_dialog.added.connect(self._show_detail)
        self.lines_dialog.finished.connect(lambda _: self.back_to_scan())
        self.lines_dialog.open()

    def send(self) -> None:
        self._step(purchase_orders.send_po, "{ref} sent to {supplier}: {units} units are now on order.")

    def cancel(self) -> None:
        self._step(purchase_orders.cancel_po, "{ref} cancelled; nothing of it is on order any more.")

    def ask_close(self) -> None:
        po = self.current
        if po is None:
            return
        short = [f"{line.sku}: {line.outstanding:,}" for line in po.lines if line.outstanding and not line.unplanned]
        box = QMessageBox(QMessageBox.Icon.Question, f"Close {po.number}?", "", parent=self)
        box.setObjectName("closeQuestion")
        box.setText(f"Close {po.number}? Nothing more can be received against it.")
        box.setInformativeText(
            "These units never came and will be recorded short:\n" + "\n".join(short)
            if short
            else "Every line arrived in full; nothing will be recorded short."
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("Close &order")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.finished.connect(lambda _: self._close_answered(box.clickedButton() is yes))
        self.close_question = box
        box.open()

    def _close_answered(self, yes: bool) -> None:
        self.back_to_scan()
        if yes:
            self._step(purchase_orders.close_po, "{ref} closed; what never came is recorded short.")

    def remove_line(self) -> None:
        current = self.lines_view.currentIndex()
        if self.current is None or not current.isValid() or not self.remove_action.isEnabled():
            return
        ctx, po_id, line = self.session.ctx, self.current.id, self.lines_model.row_at(current.row())
        self.run(lambda: purchase_orders.remove_po_line(ctx, po_id, line.id), self._show_detail, self._refused)

    def _step(self, service, done: str) -> None:
        if self.current is None:
            return
        ctx, po = self.session.ctx, self.current
        words = {"ref": po.number, "supplier": po.supplier_name, "units": f"{sum(x.ordered for x in po.lines):,}"}
        for action in (self.add_line_action, self.send_action, self.cancel_action, self.close_action):
            action.setEnabled(False)  # until the order is read back: no second press on a stale state
        self.run(lambda: service(ctx, po.id), lambda row: self._stepped(row, done.format(**words)), self._refused)

    def _stepped(self, po: PurchaseOrderRow, done: str) -> None:
        self.message.show_done(done)
        self._show_detail(po)
        self.back_to_scan()

    def _refused(self, error: Exception) -> None:
        self.screen.show_error(error)
        if self.current is not None:
            self._load_detail(self.current.id)
