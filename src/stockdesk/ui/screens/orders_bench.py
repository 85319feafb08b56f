"""The packing bench: the order's lines with packed against expected counts, the scale, and the verdict.

The screen's scan field drives it (each scan is one unit into the parcel, checked by the service at
once); this widget only shows where the check stands and asks for the weight.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ...services.packing import WeightCheck
from ...services.sales_orders import SalesOrderRow, SoLineRow
from ..controls import buddy_label
from ..table import Column, RowTableModel
from ..theme import Status
from ..widgets import table_view
from .orders_tables import count
from .receiving_result import fit_columns

PACK_COLUMNS = (
    Column("SKU", lambda line: line.sku),
    Column("Item", lambda line: line.name),
    Column("Packed", lambda line: line.packed, numeric=True, tooltip="Scanned into the parcel"),
    Column("Expected", lambda line: line.reserved, numeric=True, tooltip="Reserved for this order"),
    Column("To scan", lambda line: max(line.reserved - line.packed, 0), numeric=True),
    Column("Unit weight (g)", lambda line: line.weight_grams, numeric=True),
)


def pack_status(line: SoLineRow) -> Status | None:
    return Status.GOOD if line.reserved and line.packed == line.reserved else None


def _coloured(text: str, status: Status) -> str:
    return f"<b style='color: {status.color().name()}'>{text}</b>"


def verdict(order: SalesOrderRow | None) -> str:
    """Where the packing check stands, in one line."""
    if order is None:
        return "Choose an order to pack."
    expected = sum(line.reserved for line in order.lines)
    packed = sum(line.packed for line in order.lines)
    if not expected:
        return f"Nothing is reserved for {order.number}: confirm it first."
    if order.verified:
        return _coloured(f"Verified: all {count(expected, 'unit')} of {order.number} packed. Ship it.", Status.GOOD)
    return f"{order.number}: {packed:,} of {count(expected, 'unit')} packed. Scan the next item."


def weight_verdict(check: WeightCheck) -> str:
    if check.expected_grams is None:
        return f"{check.measured_grams:,} g; the expected weight is unknown (some items have no weight)."
    expected = f"expected {check.expected_grams:,} g ± {check.tolerance_grams:,} g"
    if check.ok:
        return _coloured(f"Weight ok: {check.measured_grams:,} g, {expected}.", Status.GOOD)
    off = check.measured_grams - check.expected_grams
    return _coloured(f"Off by {off:+,} g: {check.measured_grams:,} g, {expected}. Check the parcel.", Status.SHORTFALL)


class PackingBench(QWidget):
    weighed = Signal(int)
    """Grams read off the scale (typed, then Enter)."""

    def __init__(self, ship_button: QPushButton, reset_button: QPushButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("packingBench")
        self.order_id: int | None = None
        self.verdict = QLabel(verdict(None), self)
        self.verdict.setObjectName("packVerdict")
        self.model = RowTableModel(PACK_COLUMNS, status=pack_status, parent=self)
        self.view = table_view(self)
        self.view.setObjectName("packLines")
        self.view.setModel(self.model)
        fit_columns(self.view, stretch=1)
        self.weight = QLineEdit(self)
        self.weight.setObjectName("weightField")
        self.weight.setValidator(QIntValidator(1, 10_000_000, self.weight))
        self.weight.setPlaceholderText("grams, then Enter")
        self.weight.setMaximumWidth(140)
        self.weight.returnPressed.connect(lambda: self.weighed.emit(int(self.weight.text())))
        self.weight_result = QLabel(self)
        self.weight_result.setObjectName("weightResult")
        self.ship_button = ship_button

        row = QHBoxLayout()
        row.addWidget(buddy_label("&Weight:", self.weight))
        row.addWidget(self.weight)
        row.addWidget(self.weight_result, 1)
        row.addWidget(reset_button)
        row.addWidget(ship_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.verdict)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)

    def show_order(self, order: SalesOrderRow | None) -> None:
        if order is None or order.id != self.order_id:
            self.weight.clear()
            self.weight_result.clear()
        self.order_id = order.id if order else None
        self.model.set_rows(order.lines if order else ())
        self.verdict.setText(verdict(order))

    def show_weight(self, check: WeightCheck) -> None:
        self.weight_result.setText(weight_verdict(check))
