"""What the last receipt booked, movement by movement, as the ledger holds it (not as it was typed)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QGroupBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ...domain.postings import MovementRow, PostingResult
from ...domain.quantities import Bucket
from ..table import Column, RowTableModel, display
from ..theme import Status
from ..widgets import table_view


class ReceiptResult(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Last receipt booked", parent)
        self.setObjectName("receiptResult")
        self.names: Mapping[str, str] = {}
        self.summary = QLabel(self)
        self.summary.setObjectName("receiptSummary")
        self.summary.setWordWrap(True)
        self.model = RowTableModel(
            [
                Column("SKU", lambda m: m.sku),
                Column("Name", lambda m: self.names.get(m.sku, "")),
                Column("Qty", lambda m: m.qty, numeric=True),
                Column("Lot", lambda m: m.lot),
                Column("Serial", lambda m: m.serial),
                Column("Into bin", lambda m: m.to_location),
                Column("As", _held_as),
            ],
            status=lambda m: Status.QUARANTINED if m.to_bucket == Bucket.QUARANTINED else None,
            parent=self,
        )
        self.view = table_view(self)
        self.view.setObjectName("resultTable")
        self.view.setModel(self.model)
        fit_columns(self.view, stretch=1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        self.hide()

    def show_result(self, result: PostingResult, names: Mapping[str, str]) -> None:
        """`names`: item names by SKU, from the lines that were posted."""
        self.names = dict(names)
        self.model.set_rows(result.movements)
        units = sum(m.qty for m in result.movements)
        items = len({m.sku for m in result.movements})
        what = f"{units:,} unit{'s' if units != 1 else ''} of {items} item{'s' if items != 1 else ''}"
        ref = f", reference {result.reference}" if result.reference else ""
        when = display(result.posted_at)
        if result.replayed:
            self.summary.setText(
                f"Already booked as posting {result.posting_id} on {when}{ref}: {what}. Not booked again."
            )
        else:
            self.summary.setText(f"Posting {result.posting_id}, {when}{ref}: {what} booked.")
        self.show()


def _held_as(move: MovementRow) -> str:
    return "on hold" if move.to_bucket == Bucket.QUARANTINED else "available"


def fit_columns(view: QTableView, stretch: int) -> None:
    """Every column as wide as its contents, the `stretch` one (a name) taking the rest."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
