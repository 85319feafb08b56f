"""Orders screen: sales orders by status, one order's lines and shipments, and the packing bench.

Each step of an order's life (confirm, pick, pack, ship, return) is an action enabled only when the
step is allowed. The scan field finds an order (SO-12); on the packing bench it takes the items
going into the parcel, each checked against the order at once.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import QTableView, QTabWidget, QWidget

from ...domain.postings import ChangeSet, Topic
from ...services import packing, sales_orders, shipping
from ...services.packing import PackScan
from ...services.sales_orders import SalesOrderRow, SoLineRow
from ...services.shipping import ShipmentRow
from ..controls import push_button
from ..document_list import DocumentList, DocumentScreen, filter_box, filter_row, heading_label, master_detail
from ..table import RowTableModel
from ..theme import Status
from ..widgets import table_view
from .orders_bench import PackingBench
from .orders_steps import BENCH_TAB, OrderSteps
from .orders_tables import (
    FILTERS,
    LINE_COLUMNS,
    ORDER_COLUMNS,
    SHIPMENT_COLUMNS,
    count,
    describe,
    is_short,
    names_order,
    order_number,
    order_status,
    shipment_status,
)
from .receiving_result import fit_columns


class OrdersScreen(OrderSteps, DocumentScreen):
    title = "Orders"
    icon_name = "cart-outline"
    scan_hint = "Scan an order (SO-12); on the packing bench, scan each item going into the parcel"

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.current: SalesOrderRow | None = None
        self.shipments: list[ShipmentRow] = []
        self._wanted: int | None = None
        self._wanted_shipment: int | None = None

        self.filter_box = filter_box("statusFilter", FILTERS, self.load, self)
        self.model = RowTableModel(ORDER_COLUMNS, status=order_status, parent=self)
        self.list_view = DocumentList(self.model, "orderList", self)
        self.proxy = self.list_view.proxy
        self.list_view.setSelectionMode(self.list_view.SelectionMode.ExtendedSelection)
        self.list_view.setToolTip("Select several orders (Ctrl or Shift) for one batched pick list")
        self.list_view.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.list_view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())

        self.heading = heading_label("orderHeading", self)
        self.lines_model = RowTableModel(LINE_COLUMNS, status=self._line_status, parent=self)
        self.lines_view = self._detail_table("orderLines", self.lines_model, stretch=1)
        self.shipments_model = RowTableModel(SHIPMENT_COLUMNS, status=shipment_status, parent=self)
        self.shipments_view = self._detail_table("shipments", self.shipments_model, stretch=len(SHIPMENT_COLUMNS) - 1)
        self.shipments_view.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())

        self.build_actions()
        reset = push_button("Start &over", "restore", self)
        reset.setToolTip("Empty the parcel: the packing check starts again")
        reset.clicked.connect(self.reset_packing)
        ship = push_button("&Ship…", "truck-fast-outline", self)
        ship.setAutoDefault(True)  # once verified it has the focus, and Enter ships
        ship.clicked.connect(self.ship_action.trigger)
        self.ship_action.enabledChanged.connect(ship.setEnabled)
        self.bench = PackingBench(ship, reset, self)
        self.bench.weighed.connect(self.weigh)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("orderTabs")
        self.tabs.addTab(self.lines_view, "&Lines")
        self.tabs.addTab(self.shipments_view, "Shi&pments")
        self.tabs.addTab(self.bench, "Packing &bench")
        self.tabs.currentChanged.connect(lambda _: self._prompt())

        self.layout_.addLayout(filter_row("S&how:", self.filter_box, self.scan))
        self.layout_.addWidget(self.toolbar)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(master_detail(self.list_view, self.heading, self.tabs, self), 1)
        self.setTabOrder(self.scan, self.filter_box)
        self.setTabOrder(self.filter_box, self.list_view)
        self.setTabOrder(self.list_view, self.tabs)
        self._show_detail(None)

    def _detail_table(self, name: str, model: RowTableModel, stretch: int) -> QTableView:
        view = table_view(self)
        view.setObjectName(name)
        view.setModel(model)
        fit_columns(view, stretch=stretch)
        return view

    def _line_status(self, line: SoLineRow) -> Status | None:
        return Status.SHORTFALL if self.current is not None and is_short(self.current, line) else None

    # -- loading -----------------------------------------------------------------------------

    def load(self) -> None:
        super().load()
        ctx, shown = self.session.ctx, self.filter_box.currentData()
        open_only, status = shown == "open", None if shown in ("open", "all") else shown
        self.run(lambda: sales_orders.list_orders(ctx, status=status, open_only=open_only), self._show_list)

    def _show_list(self, rows: list[SalesOrderRow]) -> None:
        keep = self._wanted or (self.current.id if self.current else None)
        self._wanted = None
        first = not self.model.rows
        chosen = self.chosen_ids()
        self.model.set_rows(rows)
        if first:
            self.list_view.resizeColumnsToContents()
        found = keep is not None and self._select(keep)
        for order_id in chosen:
            if order_id != keep:
                self._select(order_id, QItemSelectionModel.SelectionFlag.Select, load=False)
        if keep is not None and not found:
            self._load_detail(keep)  # still shown (and acted on) though the filter now hides it

    def _select(self, order_id: int, how=QItemSelectionModel.SelectionFlag.ClearAndSelect, load: bool = True) -> bool:
        """`load`: as the current row, which loads its detail (_row_chosen); else only added to the selection."""
        return self.list_view.select_document(order_id, how, current=load) is not None

    def chosen_ids(self) -> list[int]:
        """The selected orders (for a batched pick list), in the list's order."""
        rows = sorted(self.list_view.selectionModel().selectedRows(), key=lambda index: index.row())
        return [self.list_view.document_at(index).id for index in rows]

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._load_detail(self.list_view.document_at(current).id)

    def _load_detail(self, order_id: int) -> None:
        ctx = self.session.ctx
        self.run(
            lambda: (sales_orders.get_order(ctx, order_id), shipping.shipments_of(ctx, order_id)),
            lambda found: self._show_detail(*found),
        )

    def _show_detail(self, order: SalesOrderRow | None, shipments: list[ShipmentRow] = ()) -> None:
        shown = self.current_shipment()
        if self._wanted_shipment is None and shown is not None and order is not None and shown.order_id == order.id:
            self._wanted_shipment = shown.id
        self.current, self.shipments = order, list(shipments)
        self.heading.setText(describe(order) if order else "Choose an order, or scan its papers (SO-12).")
        self.lines_model.set_rows(order.lines if order else ())
        self.shipments_model.set_rows(self.shipments)
        if self.shipments:
            self.choose_shipment(self._wanted_shipment)
        self.bench.show_order(order)
        self._update_actions()

    def choose_shipment(self, shipment_id: int | None) -> None:
        """Select that shipment, else the newest; one not listed yet is selected when it arrives."""
        ids = [shipment.id for shipment in self.shipments]
        self._wanted_shipment = None if shipment_id in ids or shipment_id is None else shipment_id
        if ids:
            self.shipments_view.selectRow(ids.index(shipment_id) if shipment_id in ids else len(ids) - 1)
        self._update_actions()

    def current_shipment(self) -> ShipmentRow | None:
        current = self.shipments_view.currentIndex()
        return self.shipments_model.row_at(current.row()) if current.isValid() and self.shipments else None

    def on_changes(self, changes: ChangeSet) -> None:
        if self.loaded and changes.mentions(Topic.ORDERS):
            self.load()

    # -- scanning and the packing bench ------------------------------------------------------

    @property
    def packing(self) -> bool:
        """Scans go into the parcel: the bench is showing an order that has something reserved."""
        return self.tabs.currentIndex() == BENCH_TAB and self.pack_action.isEnabled()

    def _prompt(self) -> None:
        packing_now = self.packing
        self.scan.setPlaceholderText(
            f"Scan each item going into {self.current.number}'s parcel" if packing_now else self.scan_hint
        )

    def on_scan(self, code: str) -> None:
        if self.packing and not names_order(code):
            ctx, order_id = self.session.ctx, self.current.id
            self.run(lambda: packing.pack_scan(ctx, order_id, code), self._packed, self.reject_scan)
            return
        number = self.scanned_number(code, order_number)
        if number is not None and not self._select(number):
            ctx = self.session.ctx
            self.run(lambda: sales_orders.get_order(ctx, number), self._show_scanned, self.reject_scan)

    def _show_scanned(self, order: SalesOrderRow) -> None:
        """An order the list does not show (another status): show it, and widen the list."""
        self._wanted = order.id
        self._load_detail(order.id)
        if self.filter_box.currentData() != "all":
            self.filter_box.setCurrentIndex(self.filter_box.findData("all"))

    def _packed(self, scan: PackScan) -> None:
        self._show_detail(scan.order, self.shipments)
        left = sum(max(line.reserved - line.packed, 0) for line in scan.order.lines)
        if scan.complete:
            self.message.show_done(f"{scan.order.number} is verified: every item is packed. Ship it (Enter).")
            self._next_focus()
        else:
            self.message.show_done(f"{scan.sku}: {scan.packed} of {scan.expected} packed; {count(left, 'unit')} to go.")

    def weigh(self, grams: int) -> None:
        if self.current is not None:
            ctx, order_id = self.session.ctx, self.current.id
            self.run(lambda: packing.check_weight(ctx, order_id, grams), self.bench.show_weight)
        self._next_focus()

    def _next_focus(self) -> None:
        """A verified parcel waits for Ship; anything else for the next scan."""
        if self.current is not None and self.current.verified and self.ship_action.isEnabled():
            self.bench.ship_button.setFocus()
        else:
            self.activate()
