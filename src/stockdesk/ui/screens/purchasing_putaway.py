"""The Put away tab: what an order's receipts left at its receiving place, and for each task the three
best bins with their reasons. Enter (in the empty scan field) takes the chosen bin, the arrow keys choose
another, a scanned bin takes that bin; each put-away is a recorded movement and the task then shrinks
or disappears."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
)

from ...domain.errors import InvalidInput
from ...domain.postings import ChangeSet, PostingResult, Topic
from ...services import putaway
from ...services.lookup import ScanHit, ScanKind, identify
from ...services.purchase_orders import PurchaseOrderRow, reference
from ...services.putaway import PutawayTask
from ..controls import action_button, buddy_label
from ..table import RowTableModel
from ..widgets import table_view
from .purchasing_pane import Pane
from .purchasing_tables import TASK_COLUMNS, po_label, task_status
from .receiving_result import fit_columns


def suggestion_text(position: int, location: str, score: float, reasons: tuple[str, ...]) -> str:
    why = "; ".join(reasons) if reasons else "a free bin, nothing special"
    return f"{position}. {location}   (score {score:.1f})\n     {why}"


class PutawayPane(Pane):
    title = "Put away"
    icon_name = "dolly"
    scan_hint = "Scan a bin, or Enter for the chosen one"

    def __init__(self, screen) -> None:
        super().__init__(screen)
        self.po_id: int | None = None
        self._busy = False
        self.heading = QLabel(self)
        self.heading.setObjectName("putawayHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.tasks = RowTableModel(TASK_COLUMNS, status=task_status, parent=self)
        self.table = table_view(self)
        self.table.setObjectName("putawayTasks")
        self.table.setModel(self.tasks)
        fit_columns(self.table, stretch=1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_task())
        self.suggestions = QListWidget(self)
        self.suggestions.setObjectName("suggestions")
        self.suggestions.setAlternatingRowColors(True)
        self.suggestions.itemActivated.connect(lambda item: self.put_into(item.data(Qt.ItemDataRole.UserRole)))
        self.qty = QSpinBox(self)
        self.qty.setObjectName("putawayQty")
        self.qty.setRange(1, 1)
        self.qty.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.put_action = self.action("arrow-collapse-down", "Put a&way to the chosen bin", self.put_chosen)
        self._lay_out()
        self.show_order(None)

    def _lay_out(self) -> None:
        side = QGroupBox("Best bins", self)
        form = QFormLayout(side)
        form.addRow(self.suggestions)
        form.addRow(buddy_label("&Quantity:", self.qty), self.qty)
        form.addRow(action_button(self.put_action, side))
        side.setFixedWidth(360)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addWidget(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(body, 1)

    # -- loading -----------------------------------------------------------------------------------

    def show_order(self, po: PurchaseOrderRow | None) -> None:
        """Put away what this order's receipts brought in (None: nothing chosen)."""
        self.po_id = po.id if po else None
        if po is None:
            self._show_tasks([])
        elif self.loaded:
            self.load()

    def load(self) -> None:
        super().load()
        if self.po_id is None:
            self._show_tasks([])
            return
        ctx, po_id = self.session.ctx, self.po_id
        self.run(lambda: putaway.putaway_tasks(ctx, po_id), self._show_tasks)

    def _show_tasks(self, tasks: list[PutawayTask]) -> None:
        chosen = self.current_task()
        self.tasks.set_rows(tasks)
        units = sum(task.qty for task in tasks)
        if self.po_id is None:
            text = "Choose an order on the Orders tab, or scan its label (PO-12), to put its goods away."
        elif tasks:
            text = (
                f"<b>{reference(self.po_id)}</b>: {len(tasks)} task{'s' if len(tasks) != 1 else ''}, {units:,} units "
                f"waiting at <b>{escape(tasks[0].from_location)}</b>."
            )
        else:
            text = f"<b>{reference(self.po_id)}</b>: everything received is put away."
        self.heading.setText(text)
        same = next((i for i, t in enumerate(tasks) if chosen and (t.sku, t.lot) == (chosen.sku, chosen.lot)), 0)
        if tasks:
            self.table.selectRow(same)
        self._show_task()

    def current_task(self) -> PutawayTask | None:
        index = self.table.currentIndex()
        return self.tasks.row_at(index.row()) if index.isValid() and index.row() < len(self.tasks.rows) else None

    def _show_task(self) -> None:
        task = self.current_task()
        self.suggestions.clear()
        for position, bin_ in enumerate(task.suggestions if task else (), start=1):
            item = QListWidgetItem(suggestion_text(position, bin_.location, bin_.score, bin_.reasons))
            item.setData(Qt.ItemDataRole.UserRole, bin_.location)
            item.setToolTip("\n".join(bin_.reasons) or "No rule prefers this bin; it has room.")
            self.suggestions.addItem(item)
        if self.suggestions.count():
            self.suggestions.setCurrentRow(0)
        self.qty.setRange(1, max(task.qty, 1) if task else 1)
        self.qty.setValue(task.qty if task else 1)
        self.qty.setEnabled(task is not None)
        self.put_action.setEnabled(task is not None and bool(task.suggestions) and not self._busy)

    def scan_prompt(self) -> str:
        return "Enter: into the chosen bin · ↑/↓: choose another · or scan any bin (an item: its task)"

    def on_changes(self, changes: ChangeSet) -> None:
        relevant = changes.touches_stock() or changes.mentions(Topic.PURCHASING)
        if relevant and self.loaded and self.po_id is not None and not self._busy:
            self.load()

    # -- the clerk's keys and scans --------------------------------------------------------------

    def scan_key(self, key: int) -> bool:
        """Enter in the empty scan field takes the chosen bin; Up and Down choose another."""
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.put_chosen()
            return True
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(key)
        if step is None or not self.suggestions.count():
            return False
        row = min(max(self.suggestions.currentRow() + step, 0), self.suggestions.count() - 1)
        self.suggestions.setCurrentRow(row)
        return True

    def on_scan(self, code: str) -> None:
        number = po_label(code)
        if number is not None:
            self.screen.choose_order(number)
            return
        ctx = self.session.ctx
        self.run(
            lambda: identify(ctx, code, accept=(ScanKind.LOCATION, ScanKind.ITEM)),
            self._scanned,
            self.screen.reject_scan,
        )

    def _scanned(self, hit: ScanHit) -> None:
        if hit.kind is ScanKind.LOCATION and hit.location is not None:
            self.put_into(hit.location.code)
            return
        position = next((i for i, t in enumerate(self.tasks.rows) if hit.item and t.sku == hit.item.sku), -1)
        if position < 0:
            self.screen.reject_scan(InvalidInput(f"{hit.code} has nothing waiting to be put away on this order."))
            return
        self.message.clear_message()
        self.table.selectRow(position)

    # -- putting away ------------------------------------------------------------------------------

    def put_chosen(self) -> None:
        item = self.suggestions.currentItem()
        if item is None:
            if self.current_task() is not None:
                self.screen.reject_scan(InvalidInput("No bin is suggested for this item: scan the bin to put it in."))
            return
        self.put_into(item.data(Qt.ItemDataRole.UserRole))

    def put_into(self, dest: str) -> None:
        task = self.current_task()
        if task is None or self._busy:
            if task is None:
                self.screen.reject_scan(InvalidInput("Nothing is waiting to be put away here."))
            return
        qty = self.qty.value()
        serials = task.serials[:qty] if task.serials else ()
        ctx, ref = self.session.ctx, reference(self.po_id) if self.po_id else None
        self._set_busy(True)
        self.run(
            lambda: putaway.put_away(
                ctx, task.sku, qty, source=task.from_location, dest=dest, lot=task.lot, serials=serials, ref=ref
            ),
            lambda result: self._put(result, task, qty, dest),
            self._refused,
        )

    def _put(self, _result: PostingResult, task: PutawayTask, qty: int, dest: str) -> None:
        lot = f" (lot {task.lot})" if task.lot else ""
        self.message.show_done(f"{qty:,} × {task.sku}{lot} put away into {dest}.")
        self._set_busy(False)
        self.load()
        self.back_to_scan()

    def _refused(self, error: Exception) -> None:
        self._set_busy(False)
        self.screen.reject_scan(error)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        task = self.current_task()
        self.put_action.setEnabled(not busy and task is not None and bool(task.suggestions))
