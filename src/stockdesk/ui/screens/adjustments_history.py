"""The history of corrections (or of every movement) with filters by item, reason, user and dates, and
"Reverse" on the selected row: a new movement that undoes it, never an edit of the original."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...domain.errors import InvalidInput
from ...domain.postings import PostingResult
from ...domain.users import Action
from ...services import adjustments
from ...services.adjustments import FilterChoices, History, HistoryFilter, HistoryRow
from ..controls import action_button, buddy_label, screen_action
from ..screen import Screen
from ..table import Column, RowTableModel, signed
from ..theme import Status
from ..widgets import table_view
from .adjustments_reverse import ReverseDialog, describe

NO_BOUND = QDate(2000, 1, 1)
"""The dates' minimum, shown as 'from the start' / 'up to now': no bound on that side."""
SHOWN_DAYS = 30

COLUMNS = (
    Column("#", lambda r: str(r.movement.id), numeric=True, tooltip="Movement number"),
    Column("When", lambda r: r.movement.posted_at),
    Column("Kind", lambda r: r.movement.kind),
    Column("SKU", lambda r: r.movement.sku),
    Column("Location", lambda r: r.place),
    Column("Change", lambda r: signed(r.change), numeric=True, tooltip="Units added (+) or taken away (-) there"),
    Column("Reason", lambda r: r.movement.reason),
    Column("User", lambda r: r.movement.user),
    Column("Note", lambda r: r.movement.note),
    Column("Reversal", lambda r: reversal(r)),
    Column("Before", lambda r: r.movement.before_qty, numeric=True),
    Column("After", lambda r: r.movement.after_qty, numeric=True),
    Column("Lot / serial", lambda r: r.movement.serial or r.movement.lot),
)


def reversal(row: HistoryRow) -> str | None:
    if row.movement.reverses_id is not None:
        return f"reverses #{row.movement.reverses_id}"
    return f"reversed by #{row.reversed_by}" if row.reversed_by is not None else None


def change_status(row: HistoryRow) -> Status | None:
    if not row.change:
        return None
    return Status.SHORTFALL if row.change < 0 else Status.GOOD


class HistoryPanel(QWidget):
    def __init__(self, screen: Screen, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.screen = screen
        self.dialog: ReverseDialog | None = None
        today = screen.session.ctx.today()
        self.item = QLineEdit(self)
        self.item.setObjectName("historyItem")
        self.item.setPlaceholderText("any item: SKU or barcode, Enter")
        self.reason = _choice("Any reason", self)
        self.user = _choice("Anyone", self)
        self.since = _date_edit("from the start", today - timedelta(days=SHOWN_DAYS), self)
        self.until = _date_edit("up to now", None, self)
        self.scope = QComboBox(self)
        self.scope.addItem("Corrections: adjustments, counts, scrap, reversals", True)
        self.scope.addItem("Every movement", False)
        self.model = RowTableModel(COLUMNS, status=change_status)
        self.table = table_view(self)
        self.table.setObjectName("historyTable")
        self.table.setModel(self.model)
        self.more = QLabel(self)
        self.reverse_action = screen_action(screen, "undo-variant", "Re&verse movement…", "Ctrl+R")
        self.reverse_action.triggered.connect(self.ask_reverse)
        if not screen.session.may(Action.ADJUST):
            self.reverse_action.setEnabled(False)
            self.reverse_action.setToolTip("Reversing a movement needs a manager or the owner.")

        filters = QGridLayout()
        for column, (text, field) in enumerate((("Ite&m", self.item), ("Rea&son", self.reason), ("&User", self.user))):
            filters.addWidget(buddy_label(text, field), 0, column * 2)
            filters.addWidget(field, 0, column * 2 + 1)
        for column, (text, field) in enumerate((("&From", self.since), ("&To", self.until), ("Sho&w", self.scope))):
            filters.addWidget(buddy_label(text, field), 1, column * 2)
            filters.addWidget(field, 1, column * 2 + 1)
        filters.setColumnStretch(1, 2)
        filters.setColumnStretch(5, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.more, 1)
        bottom.addWidget(action_button(self.reverse_action, self))
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.item.returnPressed.connect(self.reload)
        for box in (self.reason, self.user, self.scope):
            box.currentIndexChanged.connect(lambda _: self.reload())
        for edit in (self.since, self.until):
            edit.dateChanged.connect(lambda _: self.reload())

    def set_choices(self, choices: FilterChoices) -> None:
        for box, values in ((self.reason, choices.reasons), (self.user, choices.users)):
            chosen = box.currentData()
            box.blockSignals(True)
            _keep_first(box)
            for value in values:
                box.addItem(value, value)
            box.setCurrentIndex(max(box.findData(chosen), 0))
            box.blockSignals(False)

    def wanted(self) -> HistoryFilter:
        return HistoryFilter(
            sku=self.item.text().strip() or None,
            reason=self.reason.currentData(),
            user=self.user.currentData(),
            since=_bound(self.since),
            until=_bound(self.until),
            corrections_only=self.scope.currentData(),
        )

    def show_item(self, sku: str) -> None:
        self.item.setText(sku)
        self.reload()

    def reload(self) -> None:
        wanted, ctx = self.wanted(), self.screen.session.ctx
        self.screen.run(lambda: adjustments.history(ctx, wanted), self._show)

    def _show(self, found: History) -> None:
        self.model.set_rows(found.rows)
        self.table.resizeColumnsToContents()
        shown = f"{len(found.rows):,} movements, newest first"
        self.more.setText(shown + ("; there are older ones: narrow the filters to see them." if found.more else "."))

    def selected(self) -> HistoryRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    # -- reversing --------------------------------------------------------------------------

    def ask_reverse(self) -> None:
        row = self.selected()
        if row is None:
            self.screen.show_error(InvalidInput("Select the movement to reverse in the history first."))
            return
        self.dialog = ReverseDialog(row, self)
        self.dialog.accepted.connect(lambda: self._reverse(row, self.dialog.note.text()))
        self.dialog.open()

    def _reverse(self, row: HistoryRow, note: str) -> None:
        ctx, movement_id = self.screen.session.ctx, row.movement.id
        self.screen.run(lambda: adjustments.reverse_movement(ctx, movement_id, note=note), self._reversed)

    def _reversed(self, result: PostingResult) -> None:
        [undo] = result.movements
        self.screen.message.show_done(f"Movement {undo.reverses_id} reversed by movement {undo.id}: {describe(undo)}.")
        self.table.setFocus()


def _choice(anything: str, parent: QWidget) -> QComboBox:
    box = QComboBox(parent)
    box.addItem(anything, None)
    return box


def _keep_first(box: QComboBox) -> None:
    """Remove every choice but the first ('any')."""
    while box.count() > 1:
        box.removeItem(box.count() - 1)


def _date_edit(no_bound: str, initial: date | None, parent: QWidget) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_BOUND)
    edit.setSpecialValueText(no_bound)
    edit.setDate(QDate(initial.year, initial.month, initial.day) if initial else NO_BOUND)
    return edit


def _bound(edit: QDateEdit) -> date | None:
    return None if edit.date() == NO_BOUND else edit.date().toPython()
