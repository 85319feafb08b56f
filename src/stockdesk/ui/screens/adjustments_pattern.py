"""The pattern of losses: items that went missing at the same place at least twice in a period
(adjustments and count variances that took stock away, reversals excluded), worst first."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from ...services import adjustments
from ...services.adjustments import PatternRow
from ..controls import buddy_label
from ..screen import Screen
from ..table import Column, RowTableModel
from ..theme import Status
from ..widgets import table_view

COLUMNS = (
    Column("SKU", lambda r: r.sku),
    Column("Location", lambda r: r.location),
    Column("Times", lambda r: r.adjustments, numeric=True, tooltip="Separate adjustments or counts that lost stock"),
    Column("Units lost", lambda r: r.units_lost, numeric=True),
    Column("Value lost", lambda r: r.value_lost, numeric=True, tooltip="At the item's unit cost"),
    Column("Last", lambda r: r.last_at),
    Column("Item", lambda r: r.name),
)
OFTEN = 3
"""Lost this many times or more: shown in red; twice: amber."""


def pattern_status(row: PatternRow) -> Status:
    return Status.SHORTFALL if row.adjustments >= OFTEN else Status.BELOW_REORDER


class PatternPanel(QWidget):
    show_history = Signal(str)
    """An SKU whose history the user asked for (Enter or double-click on a row)."""

    def __init__(self, screen: Screen, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.screen = screen
        self.days = QSpinBox(self)
        self.days.setObjectName("patternDays")
        self.days.setRange(7, 730)
        self.days.setValue(90)
        self.days.setSuffix(" days")
        self.model = RowTableModel(COLUMNS, status=pattern_status)
        self.table = table_view(self)
        self.table.setObjectName("patternTable")
        self.table.setModel(self.model)
        self.table.activated.connect(lambda index: self.show_history.emit(self.model.row_at(index.row()).sku))

        period = QHBoxLayout()
        period.addWidget(buddy_label("Items lost twice or more at one place, looking &back", self.days))
        period.addWidget(self.days)
        period.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(period)
        layout.addWidget(self.table, 1)
        layout.addWidget(
            QLabel(
                "Counted: adjustments and count variances that took stock away, not reversed. "
                "Enter on a row shows its history.",
                self,
            )
        )
        self.days.valueChanged.connect(lambda _: self.reload())

    def reload(self) -> None:
        ctx = self.screen.session.ctx
        since = ctx.today() - timedelta(days=self.days.value())
        self.screen.run(lambda: adjustments.loss_pattern(ctx, since), self._show)

    def _show(self, rows: list[PatternRow]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
