"""The left side of the Cycle counts screen: where to count, what is due there by ABC class, and the
counts still open (to carry on with one)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...services import catalog, count_planning
from ..controls import action_button, buddy_label
from ..place_box import PlaceBox
from ..screen import Screen
from ..widgets import table_view
from . import counts_models as models


class CountPlanner(QWidget):
    def __init__(self, screen: Screen, start: QAction, open_count: QAction) -> None:
        super().__init__(screen)
        self.session, self.run = screen.session, screen.run
        self.place = PlaceBox(self)
        self.place.setObjectName("countPlace")
        self.only_due = QCheckBox("Only &due items", self)
        self.only_due.setChecked(True)
        self.only_due.setToolTip("Count only the items whose ABC class says they are due; otherwise everything here")
        self.due_heading = QLabel(self)
        self.due_table = table_view(self)
        self.due_table.setObjectName("dueTable")
        self.due_table.setModel(models.due_model())
        self.open_table = table_view(self)
        self.open_table.setObjectName("openCounts")
        self.open_table.setModel(models.open_model())
        self.open_table.activated.connect(lambda _: open_count.trigger())

        chooser = QHBoxLayout()
        chooser.addWidget(buddy_label("Count &at", self.place))
        chooser.addWidget(self.place, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(chooser)
        starting = QHBoxLayout()
        starting.addWidget(self.only_due)
        starting.addStretch(1)
        starting.addWidget(action_button(start, self))
        layout.addLayout(starting)
        layout.addWidget(self.due_heading)
        layout.addWidget(self.due_table, 3)
        layout.addWidget(QLabel("Open counts (Enter or Ctrl+O opens one)", self))
        layout.addWidget(self.open_table, 1)
        QWidget.setTabOrder(self.place, self.only_due)
        QWidget.setTabOrder(self.only_due, self.due_table)
        QWidget.setTabOrder(self.due_table, self.open_table)
        self.place.currentIndexChanged.connect(lambda _: self.reload_due())

    def reload(self) -> None:
        """Everything: the places (then what is due at the chosen one) and the open counts."""
        ctx = self.session.ctx
        self.run(lambda: catalog.locations(ctx), self._show_places)
        self.reload_open()

    def _show_places(self, places) -> None:
        self.place.set_places(places)
        self.place.choose(self.session.site)
        self.reload_due()

    def follow_site(self, site: str | None) -> None:
        self.place.choose(site)
        self.reload_open()

    def reload_due(self) -> None:
        code, ctx = self.place.code(), self.session.ctx
        if code is not None:
            self.run(lambda: (code, count_planning.due_items(ctx, code)), self._show_due)

    def _show_due(self, found: tuple[str, Any]) -> None:
        code, rows = found
        self.due_table.model().set_rows(rows)
        self.due_table.resizeColumnsToContents()
        self.due_heading.setText(models.due_summary(code, rows))

    def reload_open(self) -> None:
        site, ctx = self.session.site, self.session.ctx
        self.run(lambda: count_planning.open_counts(ctx, site), self._show_open)

    def _show_open(self, rows) -> None:
        self.open_table.model().set_rows(rows)
        self.open_table.resizeColumnsToContents()

    def selected_count(self) -> int | None:
        rows = self.open_table.selectionModel().selectedRows()
        return self.open_table.model().row_at(rows[0].row()).id if rows else None
