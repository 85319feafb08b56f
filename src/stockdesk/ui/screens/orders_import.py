"""What an import of a web shop's order export did: the orders created, those already known, and each
refused row with its reason, so the person can fix the file (or the catalogue) and import it again."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ...services.order_import import ImportResult
from ..table import Column, RowTableModel
from ..theme import Status
from ..widgets import table_view
from .orders_tables import count

REFUSED_COLUMNS = (
    Column("Row", lambda refusal: refusal[0], numeric=True, tooltip="The row number in the file"),
    Column("Why it was refused", lambda refusal: refusal[1]),
)


def _some(refs: tuple[str, ...], limit: int = 12) -> str:
    shown = ", ".join(refs[:limit])
    return shown + (f" and {len(refs) - limit} more" if len(refs) > limit else "")


def import_summary(result: ImportResult) -> str:
    """One line for the screen's message bar."""
    if result.replayed:
        return f"{result.file_name} was imported before: nothing new was created."
    created = len(result.orders_created)
    parts = [f"{count(created, 'order')} created" if created else "nothing new was created"]
    if result.orders_already_known:
        parts.append(f"{len(result.orders_already_known)} already known")
    if result.refused:
        parts.append(f"{count(len(result.refused), 'row')} refused")
    return f"{result.file_name}: " + ", ".join(parts) + "."


class ImportResultDialog(QDialog):
    def __init__(self, result: ImportResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Imported {result.file_name}")
        self.setObjectName("importResultDialog")
        self.resize(720, 420 if result.refused else 220)
        lines = [f"<b>{import_summary(result)}</b>"]
        if result.orders_created:
            lines.append(f"Created as drafts: {_some(result.orders_created)}.")
        if result.orders_already_known:
            lines.append(f"Already known, skipped: {_some(result.orders_already_known)}.")
        if result.refused:
            lines.append(
                "These rows were refused, and with them their whole order; fix them and import the file again "
                "(the orders already created are skipped then):"
            )
        self.summary = QLabel("<br>".join(lines), self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.refused = RowTableModel(REFUSED_COLUMNS, result.refused, status=lambda _: Status.SHORTFALL, parent=self)
        view = table_view(self)
        view.setObjectName("refusedRows")
        view.setModel(self.refused)
        view.resizeColumnToContents(0)
        view.setVisible(bool(result.refused))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(view, 1)
        layout.addWidget(buttons)
