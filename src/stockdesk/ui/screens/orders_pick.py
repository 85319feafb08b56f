"""The pick list of one or more orders: one walk through the building, each place once, each item picked
once for every order it serves. It can be saved as CSV to print or hand to a scanner."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QLabel, QVBoxLayout, QWidget

from ...services.picking import PickLine
from ..controls import push_button
from ..form_dialog import FormDialog
from ..table import RowTableModel
from ..widgets import table_view
from .orders_files import file_dialog, write_pick_csv
from .orders_tables import PICK_COLUMNS, count
from .receiving_result import fit_columns


class PickListDialog(FormDialog):
    def __init__(
        self, numbers: Sequence[str], lines: Sequence[PickLine], run: Callable, parent: QWidget | None = None
    ) -> None:
        super().__init__(run, f"Pick list — {', '.join(numbers)}", "pickListDialog", parent)
        self.numbers = list(numbers)
        self.file_dialog: QFileDialog | None = None
        self.resize(1000, 520)
        units = sum(line.qty for line in lines)
        places = len({line.location for line in lines})
        orders = f"{len(self.numbers)} orders" if len(self.numbers) > 1 else self.numbers[0]
        self.summary = QLabel(
            f"<b>{count(len(lines), 'pick')}, {count(units, 'unit')} from {count(places, 'place')} for {orders}</b>, "
            "in walking order.",
            self,
        )
        self.model = RowTableModel(PICK_COLUMNS, lines, parent=self)
        self.view = table_view(self)
        self.view.setObjectName("pickLines")
        self.view.setModel(self.model)  # not sortable: the order of the rows is the walk
        fit_columns(self.view, stretch=2)
        self.save_button = push_button("&Save as CSV…", "content-save-outline", self, "Ctrl+S")
        self.save_button.clicked.connect(self.ask_where)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addLayout(self.foot(self.save_button))

    def ask_where(self) -> None:
        name = f"pick-list-{'-'.join(self.numbers)}.csv" if len(self.numbers) <= 3 else "pick-list.csv"
        self.file_dialog = file_dialog(self, "Save the pick list", "CSV files (*.csv)", save_as=name)
        self.file_dialog.fileSelected.connect(self.save)
        self.file_dialog.open()

    def save(self, path: str) -> None:
        lines = list(self.model.rows)
        self.run(lambda: write_pick_csv(path, lines), self._saved, self.show_error)

    def _saved(self, path: Path) -> None:
        self.message.show_done(f"Pick list saved to {path}.")
