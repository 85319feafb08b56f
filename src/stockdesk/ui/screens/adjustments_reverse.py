"""Asking before a movement is reversed: what will be undone, and a note saying why (required)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...domain.postings import MovementRow
from ...services.adjustments import NOTE_LIMIT, HistoryRow
from ..controls import buddy_label
from ..theme import icon


def describe(move: MovementRow) -> str:
    """'3 × TEE-M (lot L-1) from WH1-A-01 to @ADJUSTMENT'."""
    tracked = f" (serial {move.serial})" if move.serial else f" (lot {move.lot})" if move.lot else ""
    return f"{move.qty:,} × {move.sku}{tracked} from {move.from_location} to {move.to_location}"


class ReverseDialog(QDialog):
    def __init__(self, row: HistoryRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        move = row.movement
        self.setWindowTitle(f"Reverse movement {move.id}")
        self.setObjectName("reverseDialog")
        why = f", {move.reason}" if move.reason else ""
        self.summary = QLabel(
            f"Movement {move.id} ({move.kind}{why}, {move.posted_at:%Y-%m-%d %H:%M}): {describe(move)}.\n\n"
            "A new movement will undo it; the original stays in the ledger.",
            self,
        )
        self.summary.setWordWrap(True)
        self.note = QLineEdit(self)
        self.note.setObjectName("reverseNote")
        self.note.setPlaceholderText("Why was it wrong? (required)")
        self.note.setMaxLength(NOTE_LIMIT)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.confirm = self.buttons.addButton("&Reverse", QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setIcon(icon("undo-variant"))
        self.confirm.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.note.textChanged.connect(lambda value: self.confirm.setEnabled(bool(value.strip())))

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(buddy_label("&Note", self.note))
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
