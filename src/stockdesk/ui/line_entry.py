"""Writing a new document's lines with the scanner, as the new transfer, sales order and purchase order
forms all do: a row that takes the quantity (and, for a purchase, the unit cost) and then the item, and
the table of the lines written so far, one per item."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget

from ..domain.catalog import VariantRow
from ..domain.errors import InvalidInput
from ..services import catalog
from ..services.lookup import ScanKind, identify
from .controls import buddy_label, push_button
from .messages import user_message
from .scan import ScanField
from .session import Session
from .table import Column, RowTableModel
from .widgets import MessageBar, table_view


@dataclass(frozen=True)
class NewLine:
    sku: str
    name: str
    qty: int


NEW_LINE_COLUMNS = (
    Column("SKU", lambda line: line.sku),
    Column("Item", lambda line: line.name),
    Column("Qty", lambda line: line.qty, numeric=True),
)


class LineAdder(QWidget):
    """Quantity (and unit cost, `with_cost`) and the item field in one row: set them, then scan the item.

    They fall back after each item (quantity to 1, cost to the item's own), as a scanner user expects.
    """

    wanted = Signal(object, int, object)
    """The item (a VariantRow), the quantity and the typed unit cost (None: the item's own)."""

    def __init__(
        self, session: Session, run: Callable, message: MessageBar, parent: QWidget, *, with_cost: bool = False
    ) -> None:
        super().__init__(parent)
        self.session, self.run, self.message = session, run, message
        self.qty = QSpinBox(self)
        self.qty.setObjectName("qtyBox")
        self.qty.setRange(1, 1_000_000)
        self.qty.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.cost: QLineEdit | None = None
        fields: list[tuple[str, QWidget, int]] = [("&Qty:", self.qty, 0)]
        if with_cost:
            self.cost = QLineEdit(self)
            self.cost.setObjectName("costField")
            self.cost.setPlaceholderText("item's cost")
            self.cost.setMaximumWidth(110)
            fields.append(("C&ost:", self.cost, 0))
        self.item_field = ScanField("Scan or type an SKU or barcode, then Enter", self)
        self.item_field.scanned.connect(self._look_up)
        fields.append(("&Item:", self.item_field, 1))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for text, field, stretch in fields:
            row.addWidget(buddy_label(text, field))
            row.addWidget(field, stretch)

    def _look_up(self, code: str) -> None:
        try:
            cost = self._typed_cost()
        except InvalidInput as error:  # shown beside the form; the field keeps the text to correct
            self.refuse(error)
            return
        ctx, qty = self.session.ctx, self.qty.value()
        self.run(
            lambda: identify(ctx, code, accept=(ScanKind.ITEM,)),
            lambda hit: self._found(hit.item, qty, cost),
            self.refuse,
        )

    def _typed_cost(self) -> Decimal | None:
        text = self.cost.text() if self.cost is not None else ""
        return catalog.money(text, what="Unit cost") if text.strip() else None

    def _found(self, item: VariantRow, qty: int, cost: Decimal | None) -> None:
        self.qty.setValue(1)
        if self.cost is not None:
            self.cost.clear()
        self.message.clear_message()
        self.wanted.emit(item, qty, cost)
        self.item_field.setFocus()

    def refuse(self, error: Exception) -> None:
        """A code or cost the form cannot use: the message beside the form, a red field and a beep."""
        text = user_message(error)
        self.message.show_error(text)
        self.item_field.reject(text)


def same_item(line: Any, new: Any) -> bool:
    return line.sku == new.sku


class NewLines(QWidget):
    """The lines written so far. A new line for one already listed (`merges` says when: by default the
    same item) adds to its quantity; Delete in the table, or the Remove button, takes out the selected one."""

    changed = Signal()
    """Lines were added, merged or removed."""

    def __init__(
        self,
        columns: Sequence[Column],
        name: str,
        parent: QWidget,
        merges: Callable[[Any, Any], bool] = same_item,
    ) -> None:
        super().__init__(parent)
        self.merges = merges
        self.model = RowTableModel(columns, parent=self)
        self.view = table_view(self)
        self.view.setObjectName(name)
        self.view.setModel(self.model)
        self.view.setColumnWidth(0, 150)  # room for the usual SKU and item name while the table is empty
        self.view.setColumnWidth(1, 340)
        remove = QAction("Remove line", self.view)
        remove.setShortcut(QKeySequence.StandardKey.Delete)
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.remove_selected)
        self.view.addAction(remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    @property
    def rows(self) -> list[Any]:
        return self.model.rows

    def remove_button(self, parent: QWidget) -> QPushButton:
        """A Remove line button for the form's foot (made where the form wants it in the tab order)."""
        button = push_button("Re&move line", "playlist-remove", parent)
        button.clicked.connect(self.remove_selected)
        return button

    def add(self, line: Any) -> None:
        """Adds `line` (a frozen dataclass with a qty), or its quantity to the line it merges with."""
        position = next((n for n, old in enumerate(self.rows) if self.merges(old, line)), None)
        if position is None:
            position = len(self.rows)
            self.model.append_rows([line])
        else:
            old = self.rows[position]
            self.model.replace_row(position, replace(old, qty=old.qty + line.qty))
        self.view.selectRow(position)
        self.changed.emit()

    def remove_selected(self) -> None:
        current = self.view.currentIndex()
        if current.isValid():
            self.model.remove_row(current.row())
            self.changed.emit()
