"""Small widgets every screen uses: the message bar next to a form, a standard table view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

from .theme import Status


class MessageBar(QLabel):
    """Says what just happened, or why not, right beside the form that caused it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind: str = ""
        self.hide()

    def show_error(self, text: str) -> None:
        self._show(text, Status.SHORTFALL, "error")

    def show_done(self, text: str) -> None:
        self._show(text, Status.GOOD, "done")

    def _show(self, text: str, status: Status, kind: str) -> None:
        color = status.color()
        self.kind = kind
        self.setText(text)
        self.setStyleSheet(
            f"QLabel {{ color: {color.name()}; border: 1px solid {color.name()}; border-radius: 4px; padding: 6px; }}"
        )
        self.show()

    def clear_message(self) -> None:
        self.kind = ""
        self.clear()
        self.hide()


def table_view(parent: QWidget | None = None) -> QTableView:
    return standard_table(QTableView(parent))


def standard_table(view: QTableView) -> QTableView:
    """Rows selected whole, sortable, alternating colours, the last column stretched, no editing."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.setTabKeyNavigation(False)
    return view
