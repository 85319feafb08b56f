"""Blind entry of one counted line: what was scanned (item, place, lot) and the number found.

The scanner fills the item, the place and the lot; the counter types only the quantity and presses
Enter. Nothing here knows, or could show, what the books hold.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLineEdit, QToolButton, QWidget

from ...domain.catalog import VariantRow
from ...domain.quantities import Tracking
from ..controls import buddy_label
from ..theme import icon


class CountEntry(QGroupBox):
    submitted = Signal()
    """Enter in the quantity (or the Record button): the screen records the line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Count a line", parent)
        self.sku: str | None = None
        self.item = _read_only("Scan an item (or its lot)", self)
        self.item.setObjectName("countItem")
        self.place = _read_only("anywhere in the count: scan a location to say where", self)
        self.place.setObjectName("countPlace")
        self.lot = QLineEdit(self)
        self.lot.setObjectName("countLot")
        self.lot.setPlaceholderText("lot-tracked items only")
        self.lot.setEnabled(False)
        self.qty = QLineEdit(self)
        self.qty.setObjectName("countQty")
        self.qty.setPlaceholderText("units found")
        self.qty.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.qty.setValidator(QRegularExpressionValidator(r"\d{0,7}", self.qty))
        self.qty.setMaximumWidth(120)
        self.record = QToolButton(self)
        self.record.setObjectName("recordCount")
        self.record.setIcon(icon("check"))
        self.record.setText("Record")
        self.record.setToolTip("Record the count of this line (Enter in the quantity)")
        self.record.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

        grid = QGridLayout(self)
        grid.addWidget(buddy_label("Item", self.item), 0, 0)
        grid.addWidget(self.item, 0, 1, 1, 3)
        grid.addWidget(buddy_label("Location", self.place), 1, 0)
        grid.addWidget(self.place, 1, 1, 1, 3)
        grid.addWidget(buddy_label("&Lot", self.lot), 2, 0)
        grid.addWidget(self.lot, 2, 1)
        grid.addWidget(buddy_label("&Counted", self.qty), 2, 2)
        grid.addWidget(self.qty, 2, 3)
        grid.addWidget(self.record, 2, 4)
        grid.setColumnStretch(1, 1)

        self.lot.returnPressed.connect(self.qty.setFocus)
        self.qty.returnPressed.connect(self.submitted)
        self.record.clicked.connect(self.submitted)

    def set_item(self, item: VariantRow, lot: str | None = None) -> None:
        """A scanned item (or lot): ready for its quantity, or for its lot first when one is needed."""
        self.sku = item.sku
        self.item.setText(f"{item.sku} — {item.name}")
        tracked = item.tracking is Tracking.LOT
        self.lot.setEnabled(tracked)
        self.lot.setText(lot or "")
        self.qty.clear()
        (self.lot if tracked and not lot else self.qty).setFocus(Qt.FocusReason.OtherFocusReason)

    def set_place(self, code: str | None) -> None:
        self.place.setText(code or "")

    def place_code(self) -> str | None:
        return self.place.text() or None

    def lot_number(self) -> str | None:
        return self.lot.text().strip() or None

    def clear_item(self) -> None:
        """After a recorded line: the place stays (the counter is still on that shelf), the rest goes."""
        self.sku = None
        self.item.clear()
        self.lot.clear()
        self.lot.setEnabled(False)
        self.qty.clear()


def _read_only(placeholder: str, parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setReadOnly(True)
    field.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    field.setPlaceholderText(placeholder)
    return field
