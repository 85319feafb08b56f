"""Shipping an order: the carrier and tracking number. An order not verified at the packing bench ships
only by a manager's override, with a note saying why; staff are told to scan it first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...domain.users import Action
from ...services import shipping
from ...services.sales_orders import SalesOrderRow
from ..controls import buddy_label, push_button
from ..form_dialog import FormDialog
from ..session import Session
from ..theme import Status
from .orders_tables import count

CARRIERS = ("DHL", "DPD", "GLS", "UPS", "FedEx", "PostNL", "Royal Mail", "USPS", "Collected by the customer")
"""Offered in the carrier box; any other name can be typed."""


def what_ships(order: SalesOrderRow, *, override: bool) -> str:
    if override:
        units = sum(line.reserved for line in order.lines)
        return f"Ships the {count(units, 'reserved unit')} of {order.number} to {order.customer_name}, unverified."
    if not order.verified:
        return f"{order.number} for {order.customer_name} ships once every item is scanned at the packing bench."
    units = sum(line.packed for line in order.lines)
    return f"Ships the {count(units, 'packed unit')} of {order.number} to {order.customer_name}."


class ShipDialog(FormDialog):
    shipped = Signal(object)
    """The ShipmentRow, once the stock has left."""

    def __init__(self, order: SalesOrderRow, session: Session, run: Callable, parent: QWidget | None = None) -> None:
        super().__init__(run, f"Ship {order.number}", "shipDialog", parent)
        self.order, self.session = order, session
        self.setMinimumWidth(520)
        self.summary = QLabel(what_ships(order, override=False), self)
        self.summary.setWordWrap(True)
        self.carrier = QComboBox(self)
        self.carrier.setObjectName("carrierBox")
        self.carrier.setEditable(True)
        self.carrier.addItems(CARRIERS)
        self.carrier.setCurrentIndex(-1)
        self.carrier.lineEdit().setPlaceholderText("Choose or type the carrier (required)")
        self.tracking = QLineEdit(self)
        self.tracking.setObjectName("trackingField")
        self.tracking.setPlaceholderText("Scan or type the parcel's tracking number")
        self.override = QCheckBox("Ship &anyway, without the packing check", self)
        self.override.setObjectName("overrideBox")
        self.note = QLineEdit(self)
        self.note.setObjectName("overrideNote")
        self.note.setPlaceholderText("Why it ships unverified (required, recorded with your name)")
        self.ship_button = push_button("&Ship", "truck-fast-outline", self, "Ctrl+Return")
        self.ship_button.clicked.connect(self.submit)

        form = QFormLayout()
        form.addRow(buddy_label("&Carrier:", self.carrier), self.carrier)
        form.addRow(buddy_label("&Tracking:", self.tracking), self.tracking)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        if not order.verified:
            self._unverified(layout)
        layout.addWidget(self.message)
        layout.addLayout(self.foot(self.ship_button))
        for signal in (self.carrier.currentTextChanged, self.note.textChanged, self.override.toggled):
            signal.connect(lambda *_: self._update())
        self._update()

    def _unverified(self, layout: QVBoxLayout) -> None:
        packed = sum(line.packed for line in self.order.lines)
        expected = sum(line.reserved for line in self.order.lines)
        warning = QLabel(
            f"<b>Not verified:</b> {packed:,} of {count(expected, 'unit')} scanned at the packing bench.", self
        )
        warning.setObjectName("unverifiedWarning")
        warning.setStyleSheet(f"color: {Status.SHORTFALL.color().name()}")
        layout.addWidget(warning)
        if not self.session.may(Action.OVERRIDE_PACKING):
            rule = QLabel("Scan the items at the packing bench first; only a manager or the owner may ship without.")
            rule.setWordWrap(True)
            layout.addWidget(rule)
            self.override.hide()
            self.note.hide()
            return
        layout.addWidget(self.override)
        layout.addWidget(buddy_label("Override &note:", self.note))
        layout.addWidget(self.note)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.carrier.setFocus()

    @property
    def overriding(self) -> bool:
        return not self.order.verified and self.override.isChecked()

    def _update(self) -> None:
        self.note.setEnabled(self.override.isChecked())
        self.summary.setText(what_ships(self.order, override=self.overriding))
        self.ship_button.setEnabled(self.may_send())

    def may_send(self) -> bool:
        allowed = self.order.verified or (self.overriding and bool(self.note.text().strip()))
        return allowed and bool(self.carrier.currentText().strip())

    def submit(self) -> None:
        ctx, order_id = self.session.ctx, self.order.id
        carrier, tracking = self.carrier.currentText().strip(), self.tracking.text().strip() or None
        note = self.note.text().strip() if self.overriding else None
        self.send(
            self.ship_button,
            lambda: shipping.ship_order(ctx, order_id, carrier=carrier, tracking=tracking, override_note=note),
            self.shipped.emit,
        )
