"""The stock screen's detail pane: the selected item's totals in the chosen place and its latest
movements, newest first (what happened last is what a clerk asks about)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from ...domain.catalog import StockRow
from ...domain.postings import MovementRow
from ..movements import MOVEMENT_COLUMNS
from ..table import RowTableModel, display
from ..theme import SPACING
from ..widgets import table_view

HISTORY_LIMIT = 200
"""The newest movements shown; older ones are a report's job, not a glance's."""


class StockDetail(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stockDetail")
        self.variant_id: int | None = None
        self.title = QLabel("Select a row to see the item's history.", self)
        self.title.setObjectName("detailTitle")
        bold = QFont(self.title.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        self.title.setFont(bold)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.totals = QLabel(self)
        self.totals.setObjectName("detailTotals")
        self.history = RowTableModel(MOVEMENT_COLUMNS, parent=self)
        self.view: QTableView = table_view(self)
        self.view.setObjectName("historyView")
        self.view.setModel(self.history)
        for column, width in enumerate((120, 115, 50, 175, 175, 90, 120, 90)):
            self.view.setColumnWidth(column, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, SPACING, 0, 0)
        layout.setSpacing(SPACING // 2)
        layout.addWidget(self.title)
        layout.addWidget(self.totals)
        layout.addWidget(self.view, 1)

    def show_item(self, rows: Sequence[StockRow], place: str | None) -> None:
        """Name the item and sum its rows in the place; the history follows with `show_history`."""
        first = rows[0]
        self.variant_id = first.variant_id
        self.title.setText(f"{first.sku} — {first.name}")
        on_hand, available = sum(r.on_hand for r in rows), sum(r.available for r in rows)
        in_transit = sum(r.in_transit for r in rows)
        self.totals.setText(
            f"In {place or 'all sites'}: on hand {display(on_hand)}, available {display(available)}, "
            f"in transit {display(in_transit)}; reorder point {display(first.reorder_point)}.   "
            f"Its latest movements {f'in or out of {place}' if place else 'anywhere'}, newest first:"
        )

    def show_history(self, variant_id: int, movements: Sequence[MovementRow]) -> None:
        if variant_id == self.variant_id:
            self.history.set_rows(movements)

    def clear(self) -> None:
        self.variant_id = None
        self.title.setText("Select a row to see the item's history.")
        self.totals.clear()
        self.history.set_rows([])
