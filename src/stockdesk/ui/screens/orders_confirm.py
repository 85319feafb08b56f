"""Confirming an order: at which site its stock is reserved, and, when there is not enough, which lines
are short. What could be reserved is reserved (nothing is ever oversold); confirming again later
reserves the rest."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from ...domain.catalog import LocationRow
from ...services import catalog, sales_orders
from ...services.sales_orders import ConfirmResult, SalesOrderRow
from ..controls import buddy_label, push_button
from ..form_dialog import FormDialog
from ..place_box import PlaceBox
from ..session import Session
from ..table import Column, RowTableModel
from ..theme import Status
from ..widgets import table_view
from .orders_tables import count
from .receiving_result import fit_columns

SHORTAGE_COLUMNS = (
    Column("SKU", lambda s: s.sku),
    Column("Wanted", lambda s: s.wanted, numeric=True),
    Column("Reserved", lambda s: s.reserved, numeric=True),
    Column("Short", lambda s: s.wanted - s.reserved, numeric=True),
)


def confirmed_text(result: ConfirmResult) -> str:
    """The screen's one-line report of a confirmation."""
    order = result.order
    reserved = sum(line.reserved for line in order.lines)
    if not result.shortages:
        return f"{order.number} confirmed at {order.site}: all {count(reserved, 'open unit')} reserved."
    short = ", ".join(f"{s.wanted - s.reserved:,} × {s.sku}" for s in result.shortages)
    return (
        f"{order.number} confirmed at {order.site}, but short by {short}. "
        f"{count(reserved, 'unit')} reserved; confirm again when stock arrives."
    )


class ConfirmDialog(FormDialog):
    confirmed = Signal(object)
    """The ConfirmResult, once the reservation is committed."""

    def __init__(self, order: SalesOrderRow, session: Session, run: Callable, parent: QWidget | None = None) -> None:
        super().__init__(run, f"Confirm {order.number}", "confirmDialog", parent)
        self.order, self.session = order, session
        self.resize(560, 380)
        units = sum(line.unreserved for line in order.lines)
        intro = QLabel(
            f"<b>{order.number}</b> for {order.customer_name}: {count(units, 'unit')} to reserve. "
            "Stock is reserved from the site's bins in walking order, first-expiring lots first.",
            self,
        )
        intro.setWordWrap(True)
        self.site = PlaceBox(self)
        self.site.setObjectName("siteChooser")
        if order.site:
            self.site.setEnabled(False)
            self.site.setToolTip("An order ships from the site of its first confirmation.")
        self.shortages = RowTableModel(SHORTAGE_COLUMNS, status=lambda _: Status.SHORTFALL, parent=self)
        self.shortage_view = table_view(self)
        self.shortage_view.setObjectName("shortages")
        self.shortage_view.setModel(self.shortages)
        fit_columns(self.shortage_view, stretch=0)
        self.shortage_view.hide()

        self.confirm_button = push_button("&Confirm and reserve", "check-decagram-outline", self, "Ctrl+Return")
        self.confirm_button.clicked.connect(self.submit)
        form = QFormLayout()
        form.addRow(buddy_label("&Site:", self.site), self.site)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.shortage_view, 1)
        layout.addStretch(0)
        layout.addLayout(self.foot(self.confirm_button))
        ctx = session.ctx
        run(lambda: catalog.sites(ctx), self._show_sites, self.show_error)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.site.setFocus()

    def _show_sites(self, sites: list[LocationRow]) -> None:
        self.site.set_places(sites)
        self.site.choose(self.order.site or self.session.site)

    def submit(self) -> None:
        ctx, order_id, site = self.session.ctx, self.order.id, self.site.code() or ""
        self.send(
            self.confirm_button, lambda: sales_orders.confirm_order(ctx, order_id, site=site), self._done, closes=False
        )

    def _done(self, result: ConfirmResult) -> None:
        self.confirmed.emit(result)
        if not result.shortages:
            self.accept()
            return
        # Stay open: the short lines are what the person has to act on.
        self.message.show_error(confirmed_text(result))
        self.shortages.set_rows(result.shortages)
        self.shortage_view.show()
        self.confirm_button.hide()
        self.close_button.setFocus()
