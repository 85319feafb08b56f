"""Purchasing: purchase orders from draft to close, receiving a delivery against one by scanning,
putting the goods away into suggested bins, the reorder list, and the suppliers.

The five tabs (Alt+1 ... Alt+5) share one scan field: what a scan means depends on the tab shown,
and the label beside the field says it. The order chosen on the Orders tab is the one the Receive
and Put away tabs work on (each also takes an order's label scanned directly).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QWidget

from ...domain.postings import ChangeSet
from ...services.purchase_orders import PurchaseOrderRow
from ..controls import screen_action
from ..screen import Screen
from ..session import Session
from ..theme import Status, icon
from .purchasing_orders import OrdersPane
from .purchasing_pane import Pane
from .purchasing_putaway import PutawayPane
from .purchasing_receive import ReceivePane
from .purchasing_reorder import ReorderPane
from .purchasing_suppliers import SuppliersPane
from .purchasing_tables import RECEIVABLE

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
ARROW_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down)


class PurchasingScreen(Screen):
    title = "Purchasing"
    icon_name = "cart-outline"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.po: PurchaseOrderRow | None = None
        """The order chosen on the Orders tab (or scanned on another tab)."""
        self.prompt = QLabel(self)
        self.prompt.setObjectName("scanPrompt")
        self.prompt.setWordWrap(True)
        self.receive_action = screen_action(self, "truck-check-outline", "R&eceive…", "Ctrl+Shift+R")
        self.receive_action.triggered.connect(self.receive)
        self.putaway_action = screen_action(self, "dolly", "&Put away", "Ctrl+Shift+P")
        self.putaway_action.triggered.connect(self.put_away)
        refresh = screen_action(self, "refresh", "Refresh", "F5")
        refresh.triggered.connect(lambda: self.current_pane().load())

        self.orders = OrdersPane(self)
        self.receiving = ReceivePane(self)
        self.putaway = PutawayPane(self)
        self.reorder = ReorderPane(self)
        self.suppliers = SuppliersPane(self)
        self.panes: list[Pane] = [self.orders, self.receiving, self.putaway, self.reorder, self.suppliers]
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("purchasingTabs")
        for number, pane in enumerate(self.panes, start=1):
            self.tabs.addTab(pane, icon(pane.icon_name), pane.title)
            self.tabs.setTabToolTip(number - 1, f"{pane.title} (Alt+{number})")
            go = screen_action(self, pane.icon_name, pane.title, f"Alt+{number}")
            go.triggered.connect(lambda _checked=False, shown=pane: self.show_pane(shown))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.orders.chosen.connect(self._order_chosen)
        self.scan.installEventFilter(self)

        top = QHBoxLayout()
        top.addWidget(self.scan, 2)
        top.addWidget(self.prompt, 3)
        self.layout_.addLayout(top)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.tabs, 1)
        for pane in self.panes:
            pane.set_current(False)
        self._order_chosen(None)

    # -- tabs --------------------------------------------------------------------------------------

    def current_pane(self) -> Pane:
        return self.panes[self.tabs.currentIndex()]

    def show_pane(self, pane: Pane) -> None:
        if self.tabs.currentWidget() is pane:
            pane.shown()
        else:
            self.tabs.setCurrentWidget(pane)
        self.scan.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _tab_changed(self, _index: int) -> None:
        """Another tab: its actions answer now, and the scan field (with its prompt) is ready for it."""
        self.message.clear_message()
        current = self.current_pane()
        for pane in self.panes:
            pane.set_current(pane is current)
        self.prompt_changed()
        self.scan.setFocus(Qt.FocusReason.OtherFocusReason)

    def activate(self) -> None:
        super().activate()
        self.current_pane().set_current(True)
        self.prompt_changed()

    def prompt_changed(self) -> None:
        """The label beside the scan field says what it takes now, in the current tab (highlighted
        while it waits for a lot, an expiry date or serial numbers)."""
        pane = self.current_pane()
        self.prompt.setText(pane.scan_prompt())
        self.scan.setPlaceholderText(pane.scan_hint)
        waiting = pane.waiting()
        colour = Status.IN_TRANSIT.color().name() if waiting else "palette(text)"
        self.prompt.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: {'bold' if waiting else 'normal'}; }}")

    # -- the order the tabs share ------------------------------------------------------------------

    def _order_chosen(self, po: PurchaseOrderRow | None) -> None:
        self.po = po
        self.receive_action.setEnabled(po is not None and po.status in RECEIVABLE)
        self.putaway_action.setEnabled(po is not None and any(line.received or line.damaged for line in po.lines))
        if po is not None and po.id != self.putaway.po_id:
            self.putaway.show_order(po)

    def order_changed(self, po: PurchaseOrderRow) -> None:
        """A receipt was posted against `po`: it is the chosen order now, ready to be put away."""
        self._order_chosen(po)
        self.putaway.show_order(po)

    def choose_order(self, po_id: int) -> None:
        """An order's label scanned on another tab: choose it as if picked on the Orders tab."""
        self.orders.show_order(po_id)

    def receive(self) -> None:
        """Ctrl+Shift+R: receive the chosen order (the Receive tab takes it up when shown)."""
        if self.po is not None and self.po.status in RECEIVABLE:
            self.show_pane(self.receiving)

    def put_away(self) -> None:
        if self.po is not None and self.po.id != self.putaway.po_id:
            self.putaway.show_order(self.po)
        self.show_pane(self.putaway)

    # -- scans and changes -------------------------------------------------------------------------

    def on_scan(self, code: str) -> None:
        self.current_pane().on_scan(code)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the empty scan field and the arrow keys there belong to the tab (put away uses them)."""
        if watched is self.scan and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            empty_enter = key in ENTER_KEYS and not self.scan.text().strip()
            if plain and (empty_enter or key in ARROW_KEYS) and self.current_pane().scan_key(key):
                return True
        return super().eventFilter(watched, event)

    def on_changes(self, changes: ChangeSet) -> None:
        for pane in self.panes:
            pane.on_changes(changes)
