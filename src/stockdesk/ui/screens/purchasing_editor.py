"""The Receive tab's parts besides the scanning: the form for the selected line, the question asked
about an item the order does not have, and what the last receipt booked."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QFormLayout, QGroupBox, QMessageBox, QSpinBox, QVBoxLayout, QWidget

from ...domain.catalog import VariantRow
from ...services.po_receiving import PoReceiptResult
from ...services.purchase_orders import PurchaseOrderRow
from ..table import RowTableModel
from ..widgets import table_view
from .purchasing_receipt import PoDraftLine
from .purchasing_tables import DISCREPANCY_COLUMNS, discrepancy_status
from .receiving_editor import LineEditor
from .receiving_result import ReceiptResult, fit_columns


class PoLineEditor(LineEditor):
    """The Receiving screen's line form, without its bin and hold (an order's goods all land at its
    deliver-to place, and damage has its own count here), with the damaged count added."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form: QFormLayout = self.layout()
        form.setRowVisible(self.bin, False)
        form.setRowVisible(self.hold, False)
        form.labelForField(self.qty).setText("&Arrived")
        self.qty.setMinimum(0)
        self.qty.setToolTip("Every unit that arrived, sound or damaged")
        self.damaged = QSpinBox(self)
        self.damaged.setObjectName("damagedBox")
        self.damaged.setToolTip(
            "How many of the units that arrived are damaged: they go into quarantine.\n"
            "For serial items, the last serial numbers scanned are the damaged units."
        )
        form.insertRow(2, "&Damaged", self.damaged)
        self.qty.valueChanged.connect(self.damaged.setMaximum)
        self.damaged.valueChanged.connect(self._damaged_edited)
        self.show_po_line(None)

    def show_po_line(self, draft: PoDraftLine | None) -> None:
        """Load a line (None: nothing selected) without sending it back as an edit."""
        self.show_line(draft)
        loaded, self._draft = self._draft, None
        self.qty.setValue(draft.qty if draft else 0)
        self.damaged.setMaximum(draft.qty if draft else 0)
        self.damaged.setValue(draft.damaged if draft else 0)
        self.damaged.setEnabled(draft is not None)
        self._draft = loaded

    def _damaged_edited(self, damaged: int) -> None:
        if self._draft is not None:
            self._draft = self._draft.with_damaged(damaged)
            self.edited.emit(self._draft)


def wrong_item_question(item: VariantRow, po: PurchaseOrderRow, parent: QWidget) -> QMessageBox:
    """Refuse, keep or return an item the order does not have; each button carries its answer as
    the 'choice' property. The answer holds for this item until the receipt is posted."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Not on the order", "", parent=parent)
    box.setObjectName("wrongItemQuestion")
    box.setText(f"{item.sku} ({item.name}) is not on {po.number}.")
    box.setInformativeText(
        "Refuse it (nothing is booked), keep it as a flagged line of this order, or record it and send it "
        "back to the supplier? Every further unit of it on this receipt is treated the same."
    )
    for text, choice, role in (
        ("&Refuse", "refuse", QMessageBox.ButtonRole.RejectRole),
        ("&Keep as flagged line", "keep", QMessageBox.ButtonRole.AcceptRole),
        ("Return to &supplier", "return", QMessageBox.ButtonRole.AcceptRole),
    ):
        button = box.addButton(text, role)
        button.setProperty("choice", choice)
        button.setObjectName(f"{choice}Button")
    box.setDefaultButton(box.buttons()[0])
    return box


class ReceiptOutcome(QGroupBox):
    """The last receipt: its movements as the ledger holds them, and the discrepancies it recorded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Last receipt booked", parent)
        self.setObjectName("receiptOutcome")
        self.booked = ReceiptResult(self)
        self.booked.setTitle("")
        self.booked.setFlat(True)
        self.discrepancies = RowTableModel(DISCREPANCY_COLUMNS, status=discrepancy_status, parent=self)
        self.discrepancies_view = table_view(self)
        self.discrepancies_view.setObjectName("receiptDiscrepancies")
        self.discrepancies_view.setModel(self.discrepancies)
        fit_columns(self.discrepancies_view, stretch=len(DISCREPANCY_COLUMNS) - 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.booked, 3)
        layout.addWidget(self.discrepancies_view, 2)
        self.hide()

    def show_booked(self, booked: PoReceiptResult, names: Mapping[str, str]) -> None:
        self.booked.show_result(booked.posting, names)
        self.discrepancies.set_rows(booked.discrepancies)
        self.discrepancies_view.setVisible(bool(booked.discrepancies))
        self.show()
