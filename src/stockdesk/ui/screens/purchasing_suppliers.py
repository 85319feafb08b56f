"""The Suppliers tab: who orders go to, and the form that adds or changes one (code, name, contact,
lead time, and the over-receipt tolerance that receiving checks deliveries against)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QCheckBox, QFormLayout, QHBoxLayout, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from ...domain.postings import ChangeSet, Topic
from ...domain.users import Action
from ...services import suppliers
from ...services.suppliers import SupplierRow
from ..controls import action_button, buddy_label, push_button
from ..form_dialog import FormDialog
from ..session import Session
from ..table import RowTableModel
from ..widgets import table_view
from .purchasing_pane import Pane
from .purchasing_tables import SUPPLIER_COLUMNS, supplier_status
from .receiving_result import fit_columns


class SupplierDialog(FormDialog):
    """Adds a supplier, or (given one) changes it; its code is then fixed, as orders refer to it."""

    saved = Signal(object)
    """The SupplierRow as stored."""

    def __init__(self, session: Session, run: Callable, existing: SupplierRow | None, parent: QWidget) -> None:
        super().__init__(run, f"Supplier {existing.code}" if existing else "New supplier", "supplierDialog", parent)
        self.session, self.existing = session, existing
        self.code = QLineEdit(existing.code if existing else "", self)
        self.code.setReadOnly(existing is not None)
        self.name = QLineEdit(existing.name if existing else "", self)
        self.email = QLineEdit((existing.email or "") if existing else "", self)
        self.phone = QLineEdit((existing.phone or "") if existing else "", self)
        self.lead_time = self._spin(existing.lead_time_days if existing else 7, 365, " days")
        self.over_receipt = self._spin(existing.over_receipt_pct if existing else 0, 100, " %")
        self.over_receipt.setToolTip("How far past an ordered line a delivery may be accepted")
        self.active = QCheckBox("Ac&tive: orders may go to this supplier", self)
        self.active.setChecked(existing.active if existing else True)
        self.active.setVisible(existing is not None)
        form = QFormLayout()
        for text, field in (
            ("&Code:", self.code),
            ("&Name:", self.name),
            ("&E-mail:", self.email),
            ("&Phone:", self.phone),
            ("&Lead time:", self.lead_time),
            ("&Over-receipt tolerance:", self.over_receipt),
        ):
            form.addRow(buddy_label(text, field), field)
        form.addRow(self.active)
        self.save_button = push_button("&Save", "content-save-outline", self, "Ctrl+Return")
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(self.foot(self.save_button))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        (self.name if self.existing else self.code).setFocus()

    def _spin(self, value: int, maximum: int, suffix: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(0, maximum)
        spin.setValue(value)
        spin.setSuffix(suffix)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        return spin

    def save(self) -> None:
        ctx = self.session.ctx
        values = {
            "name": self.name.text(),
            "email": self.email.text(),
            "phone": self.phone.text(),
            "lead_time_days": self.lead_time.value(),
            "over_receipt_pct": self.over_receipt.value(),
        }
        code, active = self.code.text(), self.active.isChecked()
        if self.existing is None:
            work = partial(suppliers.add_supplier, ctx, code, **values)
        else:
            work = partial(suppliers.update_supplier, ctx, code, active=active, **values)
        self.send(self.save_button, work, self.saved.emit)


class SuppliersPane(Pane):
    title = "Suppliers"
    icon_name = "account-tie-outline"
    scan_hint = "Type a supplier's code to find it"

    def __init__(self, screen) -> None:
        super().__init__(screen)
        self.dialog: SupplierDialog | None = None
        self.inactive = QCheckBox("Show &inactive suppliers", self)
        self.inactive.toggled.connect(lambda _: self.load())
        self.model = RowTableModel(SUPPLIER_COLUMNS, status=supplier_status, parent=self)
        self.table = table_view(self)
        self.table.setObjectName("supplierList")
        self.table.setModel(self.model)
        fit_columns(self.table, stretch=1)
        self.table.doubleClicked.connect(lambda _: self.edit())
        buyer = self.session.may(Action.PURCHASE)
        self.add_action = self.action("account-plus-outline", "&Add supplier…", self.add, "Ctrl+Shift+N")
        self.edit_action = self.action("account-edit-outline", "&Change supplier…", self.edit, "Ctrl+E")
        self.add_action.setEnabled(buyer)
        self.edit_action.setEnabled(buyer)
        if not buyer:
            for action in (self.add_action, self.edit_action):
                action.setToolTip("Only a manager or the owner may add or change suppliers.")
        top = QHBoxLayout()
        top.addWidget(action_button(self.add_action, self))
        top.addWidget(action_button(self.edit_action, self))
        top.addStretch(1)
        top.addWidget(self.inactive)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def load(self) -> None:
        super().load()
        ctx, everyone = self.session.ctx, self.inactive.isChecked()
        self.run(lambda: suppliers.list_suppliers(ctx, include_inactive=everyone), self.model.set_rows)

    def on_changes(self, changes: ChangeSet) -> None:
        if self.loaded and changes.mentions(Topic.PURCHASING):
            self.load()

    def on_scan(self, code: str) -> None:
        wanted = code.strip().casefold()
        position = next((i for i, s in enumerate(self.model.rows) if s.code.casefold() == wanted), -1)
        if position < 0:
            self.message.show_error(f"There is no supplier '{code.strip()}' in this list.")
            return
        self.message.clear_message()
        self.table.selectRow(position)

    def selected(self) -> SupplierRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def add(self) -> None:
        self._open(None)

    def edit(self) -> None:
        if self.edit_action.isEnabled() and self.selected() is not None:
            self._open(self.selected())

    def _open(self, existing: SupplierRow | None) -> None:
        self.dialog = SupplierDialog(self.session, self.run, existing, self)
        self.dialog.saved.connect(self._saved)
        self.dialog.finished.connect(lambda _: self.back_to_scan())
        self.dialog.open()

    def _saved(self, row: SupplierRow) -> None:
        self.message.show_done(f"Supplier {row.code} ({row.name}) saved.")
        self.load()
