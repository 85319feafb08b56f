"""The steps of an order's life as the orders screen's toolbar offers them: new, import, confirm, cancel,
pick list, pack, ship, return and packing slip. Each opens its form or asks first, runs its service
through the task runner and says in the message bar what happened; the list refreshes on the change."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QToolBar

from ...domain.postings import PostingResult
from ...domain.quantities import Bucket
from ...domain.users import Action
from ...printing.packing_slip import Fonts
from ...services import order_import, packing, picking, sales_orders
from ...services.order_import import ImportResult
from ...services.picking import PickLine
from ...services.sales_orders import ConfirmResult, SalesOrderRow
from ...services.shipping import ShipmentRow
from ..controls import screen_action
from .orders_confirm import ConfirmDialog, confirmed_text
from .orders_files import file_dialog, save_packing_slip
from .orders_import import ImportResultDialog, import_summary
from .orders_new import NewOrderDialog
from .orders_pick import PickListDialog
from .orders_return import ReturnDialog, returnable
from .orders_ship import ShipDialog
from .orders_tables import SHIPPABLE, count

SHIPMENTS_TAB, BENCH_TAB = 1, 2
"""The detail tabs: Lines, Shipments, Packing bench."""


def _has_reserved(order: SalesOrderRow | None) -> bool:
    return order is not None and order.status in SHIPPABLE and any(line.reserved for line in order.lines)


class OrderSteps:
    """Mixed into OrdersScreen, which supplies session, run, message, current, tabs and the views."""

    def build_actions(self) -> None:
        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_action = self._step("cart-plus", "New order…", "Ctrl+N", self.new_order)
        self.import_action = self._step("file-import-outline", "Import…", "Ctrl+I", self.import_orders)
        self.toolbar.addSeparator()
        self.confirm_action = self._step("check-decagram-outline", "Confirm…", "Ctrl+Shift+C", self.confirm)
        self.cancel_action = self._step("close-octagon-outline", "Cancel order…", "Ctrl+Shift+X", self.cancel)
        self.toolbar.addSeparator()
        self.pick_action = self._step("format-list-checks", "Pick list", "Ctrl+Shift+P", self.pick_list)
        self.pack_action = self._step("package-variant-closed", "Pack", "Ctrl+Shift+B", self.pack)
        self.ship_action = self._step("truck-fast-outline", "Ship…", "Ctrl+Shift+S", self.ship)
        self.toolbar.addSeparator()
        self.return_action = self._step("keyboard-return", "Return…", "Ctrl+Shift+R", self.return_goods)
        self.slip_action = self._step("file-pdf-box", "Packing slip…", "Ctrl+P", self.packing_slip)
        self.toolbar.addSeparator()
        self.refresh_action = self._step("refresh", "Refresh", "F5", self.load)

    def _step(self, icon_name: str, text: str, keys: str, slot) -> QAction:
        action = screen_action(self, icon_name, text, keys)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        return action

    def _update_actions(self) -> None:
        order = self.current
        status = order.status if order else None
        self.confirm_action.setEnabled(
            status in ("draft", *SHIPPABLE) and any(line.unreserved > 0 for line in order.lines)
        )
        self.cancel_action.setEnabled(status in ("draft", *SHIPPABLE) and not any(line.shipped for line in order.lines))
        self.pick_action.setEnabled(bool(self.pickable()))
        self.pack_action.setEnabled(_has_reserved(order))
        may_override = self.session.may(Action.OVERRIDE_PACKING)
        self.ship_action.setEnabled(_has_reserved(order) and (order.verified or may_override))
        self.ship_action.setToolTip(
            "Ship (Ctrl+Shift+S)"
            if may_override or not _has_reserved(order) or order.verified
            else "Scan the items at the packing bench first; only a manager or the owner may ship without."
        )
        shipment = self.current_shipment()
        self.return_action.setEnabled(shipment is not None and any(left for _, _, left, _ in returnable(shipment)))
        self.slip_action.setEnabled(shipment is not None)
        self._prompt()

    # -- new and imported orders ----------------------------------------------------------------

    def new_order(self) -> None:
        self.new_dialog = NewOrderDialog(self.session, self.run, self)
        self.new_dialog.created.connect(self._created)
        self.new_dialog.finished.connect(lambda _: self.activate())
        self.new_dialog.open()

    def _created(self, order: SalesOrderRow) -> None:
        units = sum(line.ordered for line in order.lines)
        self.message.show_done(
            f"{order.number} created for {order.customer_name}: {count(len(order.lines), 'line')}, "
            f"{count(units, 'unit')}. "
            "Confirm it to reserve the stock."
        )
        self._show_new(order.id)

    def _show_new(self, order_id: int) -> None:
        if self.filter_box.currentData() not in ("all", "open", "draft"):
            self._wanted = order_id
            self.filter_box.setCurrentIndex(self.filter_box.findData("open"))
        elif not self._select(order_id):
            self._wanted = order_id  # the reload its commit set off is still on its way

    def import_orders(self) -> None:
        self.file_dialog = file_dialog(self, "Import orders", "Order exports (*.csv *.xlsx);;All files (*)")
        self.file_dialog.fileSelected.connect(self._import_file)
        self.file_dialog.finished.connect(lambda _: self.activate())
        self.file_dialog.open()

    def _import_file(self, path: str) -> None:
        ctx = self.session.ctx
        self.run(lambda: order_import.import_orders(ctx, path), self._imported)

    def _imported(self, result: ImportResult) -> None:
        show = self.message.show_error if result.refused else self.message.show_done
        show(import_summary(result))
        self.import_result = ImportResultDialog(result, self)
        self.import_result.finished.connect(lambda _: self.activate())
        self.import_result.open()

    # -- reserving and cancelling ---------------------------------------------------------------

    def confirm(self) -> None:
        self.confirm_dialog = ConfirmDialog(self.current, self.session, self.run, self)
        self.confirm_dialog.confirmed.connect(self._confirmed)
        self.confirm_dialog.finished.connect(lambda _: self.activate())
        self.confirm_dialog.open()

    def _confirmed(self, result: ConfirmResult) -> None:
        show = self.message.show_error if result.shortages else self.message.show_done
        show(confirmed_text(result))

    def cancel(self) -> None:
        order = self.current
        reserved = sum(line.reserved for line in order.lines)
        released = f" Its {count(reserved, 'reserved unit')} go back to free stock." if reserved else ""
        self.question = QMessageBox(QMessageBox.Icon.Question, f"Cancel {order.number}?", "", parent=self)
        self.question.setObjectName("cancelQuestion")
        self.question.setText(f"Cancel {order.number} for {order.customer_name}?{released}")
        self.question.setInformativeText("A cancelled order cannot be confirmed or shipped again.")
        yes = self.question.addButton("&Cancel the order", QMessageBox.ButtonRole.DestructiveRole)
        self.question.addButton("&Keep it", QMessageBox.ButtonRole.RejectRole)
        self.question.finished.connect(lambda _: self._cancel_answered(order, self.question.clickedButton() == yes))
        self.question.open()

    def _cancel_answered(self, order: SalesOrderRow, cancel: bool) -> None:
        self.activate()
        if cancel:
            ctx = self.session.ctx
            self.run(
                lambda: sales_orders.cancel_order(ctx, order.id),
                lambda _: self.message.show_done(f"{order.number} is cancelled; its reservations are released."),
            )

    # -- picking, packing, shipping -------------------------------------------------------------

    def pickable(self) -> list[SalesOrderRow]:
        """The selected orders (else the one shown) that have stock reserved to pick."""
        rows = {row.id: row for row in self.model.rows}
        chosen = [rows[order_id] for order_id in self.chosen_ids()] or [self.current]
        return [order for order in chosen if _has_reserved(order)]

    def pick_list(self) -> None:
        orders = self.pickable()
        ctx, ids, numbers = self.session.ctx, [o.id for o in orders], [o.number for o in orders]
        self.run(lambda: picking.pick_list(ctx, ids), lambda lines: self._show_picks(numbers, lines))

    def _show_picks(self, numbers: list[str], lines: list[PickLine]) -> None:
        self.pick_dialog = PickListDialog(numbers, lines, self.run, self)
        self.pick_dialog.finished.connect(lambda _: self.activate())
        self.pick_dialog.open()

    def pack(self) -> None:
        self.tabs.setCurrentIndex(BENCH_TAB)
        self.message.show_done(f"Packing {self.current.number}: scan each item as it goes into the parcel.")
        self.activate()

    def reset_packing(self) -> None:
        if self.current is not None:
            ctx, order_id = self.session.ctx, self.current.id
            self.run(lambda: packing.reset_packing(ctx, order_id), self._packing_reset)

    def _packing_reset(self, order: SalesOrderRow) -> None:
        self._show_detail(order, self.shipments)
        self.message.show_done(f"The packing check of {order.number} starts over: scan every item again.")
        self.activate()

    def ship(self) -> None:
        self.ship_dialog = ShipDialog(self.current, self.session, self.run, self)
        self.ship_dialog.shipped.connect(self._shipped)
        self.ship_dialog.finished.connect(lambda _: self.activate())
        self.ship_dialog.open()

    def _shipped(self, shipment: ShipmentRow) -> None:
        units = sum(line.qty for line in shipment.lines)
        tracking = f", tracking {shipment.tracking}" if shipment.tracking else ""
        override = f" Shipped unverified by {shipment.override_by}'s override." if shipment.override_by else ""
        self.message.show_done(
            f"{shipment.order_number} shipped: {count(units, 'unit')} with {shipment.carrier}{tracking}.{override} "
            "Print the packing slip (Ctrl+P)."
        )
        self.tabs.setCurrentIndex(SHIPMENTS_TAB)
        self.choose_shipment(shipment.id)

    # -- after shipping -------------------------------------------------------------------------

    def return_goods(self) -> None:
        self.return_dialog = ReturnDialog(self.current_shipment(), self.current.site, self.session, self.run, self)
        self.return_dialog.returned.connect(self._returned)
        self.return_dialog.finished.connect(lambda _: self.activate())
        self.return_dialog.open()

    def _returned(self, result: PostingResult) -> None:
        units = sum(move.qty for move in result.movements)
        place = result.movements[0].to_location if result.movements else ""
        held = (
            " on hold (quarantine)"
            if any(m.to_bucket == Bucket.QUARANTINED for m in result.movements)
            else ", sellable"
        )
        self.message.show_done(f"{units:,} {'unit is' if units == 1 else 'units are'} back at {place}{held}.")

    def packing_slip(self) -> None:
        shipment = self.current_shipment()
        name = f"packing-slip-{shipment.order_number}-{shipment.id}.pdf"
        self.file_dialog = file_dialog(self, "Save the packing slip", "PDF files (*.pdf)", save_as=name)
        self.file_dialog.fileSelected.connect(lambda path: self._write_slip(shipment, path))
        self.file_dialog.finished.connect(lambda _: self.activate())
        self.file_dialog.open()

    def _write_slip(self, shipment: ShipmentRow, path: str) -> None:
        self.run(lambda: save_packing_slip(shipment, path), lambda fonts: self._slip_written(path, fonts))

    def _slip_written(self, path: str, fonts: Fonts) -> None:
        if fonts.warning:
            self.message.show_error(f"Packing slip saved to {Path(path)}. {fonts.warning}")
        else:
            self.message.show_done(f"Packing slip saved to {Path(path)}.")
