"""A return against a shipment: how many of each item came back (serial items by scanning their serials),
where they go, sellable or on hold, and why. Never more than the shipment sent minus what already came back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.catalog import LocationRow
from ...services import catalog, shipping
from ...services.shipping import ReturnLine, ShipmentRow
from ..controls import buddy_label, push_button
from ..form_dialog import FormDialog
from ..place_box import PlaceBox
from ..scan import ScanField
from ..session import Session
from ..theme import SPACING
from .transfers_receive import RIGHT

REASONS = ("damaged in transit", "wrong size", "wrong item sent", "faulty", "no longer wanted")
"""Offered in the reason box; any other reason can be typed."""


@dataclass
class ReturnEntry:
    """One item of the shipment: what may still come back, and what is coming back now."""

    sku: str
    name: str
    left: int
    serials_left: tuple[str, ...]
    qty: QSpinBox
    serials_label: QLabel
    scanned: list[str] = field(default_factory=list)

    def line(self) -> ReturnLine | None:
        return ReturnLine(self.sku, self.qty.value(), tuple(self.scanned)) if self.qty.value() else None


def returnable(shipment: ShipmentRow) -> list[tuple[str, str, int, tuple[str, ...]]]:
    """(sku, name, units left to return, serials left to return) per item of the shipment."""
    items: dict[str, tuple[str, int, list[str]]] = {}
    for line in shipment.lines:
        name, qty, serials = items.get(line.sku, (line.name, 0, []))
        items[line.sku] = (name, qty + line.qty, serials + list(line.serials))
    for line in shipment.returned:
        name, qty, serials = items[line.sku]
        items[line.sku] = (name, qty - line.qty, [s for s in serials if s not in line.serials])
    return [(sku, name, qty, tuple(serials)) for sku, (name, qty, serials) in items.items()]


class ReturnDialog(FormDialog):
    returned = Signal(object)
    """The PostingResult of the return."""

    def __init__(
        self, shipment: ShipmentRow, site: str | None, session: Session, run: Callable, parent: QWidget | None = None
    ) -> None:
        super().__init__(run, f"Return from shipment {shipment.id} ({shipment.order_number})", "returnDialog", parent)
        self.shipment, self.site, self.session = shipment, site, session
        self.resize(720, 480)
        self.serial_field = ScanField("Scan the serial number of each unit that came back", self)
        self.serial_field.scanned.connect(self.take_serial)
        grid = QGridLayout()
        grid.setHorizontalSpacing(SPACING * 2)
        for column, title in enumerate(("SKU", "Item", "May return", "Returning", "Serials")):
            label = QLabel(f"<b>{title}</b>", self)
            label.setAlignment(RIGHT if column in (2, 3) else Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(label, 0, column)
        self.entries: list[ReturnEntry] = []
        for row, (sku, name, left, serials) in enumerate(returnable(shipment), start=1):
            entry = ReturnEntry(sku, name, left, serials, QSpinBox(self), QLabel(self))
            entry.qty.setRange(0, left)
            entry.qty.setAlignment(Qt.AlignmentFlag.AlignRight)
            entry.qty.setAccessibleName(f"Returning of {sku}")
            entry.qty.setEnabled(not serials and left > 0)  # serial units are counted by scanning them
            entry.qty.valueChanged.connect(lambda _: self._update())
            may = QLabel(f"{left:,}", self)
            may.setAlignment(RIGHT)
            for column, widget in enumerate((QLabel(sku, self), QLabel(name, self), may, entry.qty)):
                grid.addWidget(widget, row, column)
            grid.addWidget(entry.serials_label, row, 4)
            self.entries.append(entry)
        grid.setColumnStretch(1, 1)

        self.destination = PlaceBox(self)
        self.destination.setObjectName("returnDestination")
        self.sellable = QRadioButton("Se&llable: back on the shelf", self)
        self.sellable.setChecked(True)
        self.quarantine = QRadioButton("&Quarantine: on hold for inspection", self)
        self.reason = QComboBox(self)
        self.reason.setObjectName("reasonBox")
        self.reason.setEditable(True)
        self.reason.addItems(REASONS)
        self.reason.setCurrentIndex(-1)
        self.reason.lineEdit().setPlaceholderText("Why it came back (required)")
        self.reason.currentTextChanged.connect(lambda _: self._update())
        self.return_button = push_button("&Return", "keyboard-return", self, "Ctrl+Return")
        self.return_button.clicked.connect(self.submit)

        form = QFormLayout()
        form.addRow(buddy_label("&Serials:", self.serial_field), self.serial_field)
        where = QFormLayout()
        where.addRow(buddy_label("&Put back at:", self.destination), self.destination)
        condition = QHBoxLayout()
        condition.addWidget(self.sellable)
        condition.addWidget(self.quarantine)
        condition.addStretch(1)
        where.addRow("As:", condition)
        where.addRow(buddy_label("Reaso&n:", self.reason), self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addLayout(where)
        layout.addWidget(self.message)
        layout.addLayout(self.foot(self.return_button))
        self._update()
        ctx = session.ctx
        run(lambda: catalog.locations(ctx), self._show_places, self.show_error)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        serial_items = any(entry.serials_left for entry in self.entries)
        (self.serial_field if serial_items else next((e.qty for e in self.entries if e.left), self.reason)).setFocus()

    def _show_places(self, places: list[LocationRow]) -> None:
        """Every real place; the first one inside the order's site is chosen."""
        real = [place for place in places if not place.is_virtual]
        self.destination.set_places(real)
        site = next((place for place in real if place.code == self.site), None)
        inside = [place for place in real if site and place.site_id == site.id and place.id != site.id]
        self.destination.choose((inside[0] if inside else site or real[0]).code if real else None)

    def take_serial(self, serial: str) -> None:
        """A unit that came back: it must be one this shipment sent and that has not come back yet."""
        for entry in self.entries:
            if serial in entry.serials_left and serial not in entry.scanned:
                entry.scanned.append(serial)
                entry.qty.setValue(len(entry.scanned))
                entry.serials_label.setText(", ".join(entry.scanned))
                self.message.clear_message()
                return
        if any(serial in entry.scanned for entry in self.entries):
            text = f"Serial {serial} is already on this return."
        else:
            shipment = self.shipment.id
            text = f"Serial {serial} was not shipped on shipment {shipment}, or it is already back; check the label."
        self.message.show_error(text)
        self.serial_field.reject(text)

    def lines(self) -> list[ReturnLine]:
        return [line for line in (entry.line() for entry in self.entries) if line is not None]

    def _update(self) -> None:
        self.return_button.setEnabled(self.may_send())

    def may_send(self) -> bool:
        return bool(self.lines()) and bool(self.reason.currentText().strip())

    def submit(self) -> None:
        ctx, shipment_id, lines = self.session.ctx, self.shipment.id, self.lines()
        to, reason, hold = self.destination.code() or "", self.reason.currentText().strip(), self.quarantine.isChecked()
        self.send(
            self.return_button,
            lambda: shipping.return_shipment(ctx, shipment_id, lines, to=to, quarantine=hold, reason=reason),
            self.returned.emit,
        )
