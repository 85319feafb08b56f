"""The Reorder tab: the items whose position (available + in transit + on order) fell below their
reorder point, what surplus another site could send first, and what is left to order from whom.
"Draft orders" turns the list into requested transfers and one draft purchase order per supplier."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout

from ...domain.postings import ChangeSet, Topic
from ...domain.users import Action
from ...services import catalog, reorder
from ...services.lookup import ScanHit, ScanKind, identify
from ...services.reorder import ReorderPlan
from ...services.transfers import reference as transfer_reference
from ..controls import action_button, buddy_label
from ..table import RowTableModel
from ..widgets import table_view
from .purchasing_pane import Pane
from .purchasing_tables import REORDER_COLUMNS, reorder_status
from .receiving_result import fit_columns

ALL_SITES = "All sites"


def plan_summary(plan: ReorderPlan) -> str:
    """What drafting made, in one paragraph: the orders, the transfers, and what has no supplier."""
    parts = [
        f"{po.number} for {po.supplier_name} ({len(po.lines)} lines, {sum(x.ordered for x in po.lines):,} units)"
        for po in plan.orders
    ]
    parts += [
        f"{transfer_reference(t.id)} from {t.from_location} to {t.to_location} "
        f"({sum(line.requested for line in t.lines):,} units)"
        for t in plan.transfers
    ]
    made = "Drafted " + "; ".join(parts) + "." if parts else "Nothing needed drafting."
    if plan.unassigned:
        skus = ", ".join(line.sku for line in plan.unassigned)
        made += f" No supplier is known for {skus}; order those by hand."
    return made


class ReorderPane(Pane):
    title = "Reorder"
    icon_name = "cart-arrow-down"
    scan_hint = "Scan an item to find it in the list"

    def __init__(self, screen) -> None:
        super().__init__(screen)
        self.site_box = QComboBox(self)
        self.site_box.setObjectName("reorderSite")
        self.site_box.addItem(ALL_SITES, None)
        self.site_box.currentIndexChanged.connect(lambda _: self._reload_list())
        self.model = RowTableModel(REORDER_COLUMNS, status=reorder_status, parent=self)
        self.table = table_view(self)
        self.table.setObjectName("reorderList")
        self.table.setModel(self.model)
        fit_columns(self.table, stretch=1)
        self.summary = QLabel(self)
        self.summary.setObjectName("reorderSummary")
        self.summary.setWordWrap(True)
        self.draft_action = self.action("cart-plus", "Draft &orders", self.draft, "Ctrl+Shift+D")
        if not self.session.may(Action.PURCHASE):
            self.draft_action.setToolTip("Only a manager or the owner may draft transfers and purchase orders.")
        top = QHBoxLayout()
        top.addWidget(buddy_label("S&ite:", self.site_box))
        top.addWidget(self.site_box)
        top.addStretch(1)
        top.addWidget(action_button(self.draft_action, self))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self._update_actions()

    def load(self) -> None:
        super().load()
        ctx = self.session.ctx
        self.run(lambda: catalog.sites(ctx), self._show_sites)

    def _show_sites(self, sites) -> None:
        chosen = self.site_box.currentData() or self.session.site
        self.site_box.blockSignals(True)
        self.site_box.clear()
        self.site_box.addItem(ALL_SITES, None)
        for site in sites:
            self.site_box.addItem(f"{site.code} — {site.name}", site.code)
        self.site_box.setCurrentIndex(max(self.site_box.findData(chosen), 0))
        self.site_box.blockSignals(False)
        self._reload_list()

    def _reload_list(self) -> None:
        ctx, site = self.session.ctx, self.site_box.currentData()
        self.run(lambda: reorder.below_reorder(ctx, site=site), self._show_list)

    def _show_list(self, rows) -> None:
        self.model.set_rows(rows)
        self._update_actions()

    def _update_actions(self) -> None:
        self.draft_action.setEnabled(self.session.may(Action.PURCHASE) and bool(self.model.rows))

    def on_changes(self, changes: ChangeSet) -> None:
        if self.loaded and (changes.touches_stock() or changes.mentions(Topic.PURCHASING)):
            self._reload_list()

    def on_scan(self, code: str) -> None:
        ctx = self.session.ctx
        self.run(lambda: identify(ctx, code, accept=(ScanKind.ITEM,)), self._scanned, self.screen.reject_scan)

    def _scanned(self, hit: ScanHit) -> None:
        position = next((i for i, row in enumerate(self.model.rows) if hit.item and row.sku == hit.item.sku), -1)
        if position < 0:
            self.message.show_done(f"{hit.item.sku if hit.item else hit.code} is not below its reorder point.")
            return
        self.message.clear_message()
        self.table.selectRow(position)

    def draft(self) -> None:
        ctx, site = self.session.ctx, self.site_box.currentData()
        self.draft_action.setEnabled(False)
        self.run(lambda: reorder.draft_reorder(ctx, site=site), self._drafted, self._refused)

    def _drafted(self, plan: ReorderPlan) -> None:
        text = plan_summary(plan)
        self.summary.setText(text)
        self.message.show_done(text + " Review and send the orders on the Orders tab.")
        self._update_actions()
        self.back_to_scan()

    def _refused(self, error: Exception) -> None:
        self.screen.show_error(error)
        self._update_actions()
