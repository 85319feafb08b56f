"""The owner's list of users: add one with a role, change a role, deactivate or reactivate.

Users are never deleted (postings name who made them). The services refuse everything here for
anyone but an owner, and refuse to leave the database without an active owner; the dialog shows
their words in its message bar.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.postings import ChangeSet, Topic
from ...domain.users import Role
from ...services import catalog, users
from ...services.users import UserRow
from ..messages import user_message
from ..session import Session
from ..table import Column, RowTableModel
from ..theme import SPACING, Status, icon
from ..widgets import MessageBar, table_view

COLUMNS = (
    Column("User name", lambda row: row.username),
    Column("Role", lambda row: row.role.value),
    Column("Active", lambda row: row.active),
    Column("Name", lambda row: row.display_name),
)


def _role_box(parent: QWidget) -> QComboBox:
    box = QComboBox(parent)
    for role in Role:
        box.addItem(role.value, role.value)
    return box


class UsersDialog(QDialog):
    own_role_changed = Signal()
    """The signed-in user's role changed: the window must reopen with what the new role may do."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("users")
        self.setWindowTitle("Users")
        self.resize(720, 520)
        self.model = RowTableModel(COLUMNS, status=lambda row: None if row.active else Status.QUARANTINED, parent=self)
        self.table = table_view(self)
        self.table.setModel(self.model)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        heading = QLabel("&Users", self)
        heading.setBuddy(self.table)

        self.role = _role_box(self)
        self.change_role_button = QPushButton(icon("account-edit"), "&Change role", self)
        self.change_role_button.clicked.connect(self.change_role)
        self.active_button = QPushButton(icon("account-cancel"), "&Deactivate", self)
        self.active_button.clicked.connect(self.toggle_active)
        selected = QHBoxLayout()
        role_label = QLabel("Ro&le", self)
        role_label.setBuddy(self.role)
        for widget in (role_label, self.role, self.change_role_button):
            selected.addWidget(widget)
        selected.addStretch(1)
        selected.addWidget(self.active_button)

        self.message = MessageBar(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(selected)
        layout.addWidget(self._add_box())
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        session.bus.changed.connect(self.on_changes)
        self._selection_changed()
        self.refresh()

    def _add_box(self) -> QGroupBox:
        box = QGroupBox("Add a user", self)
        form = QFormLayout(box)
        self.new_username = QLineEdit(box)
        self.new_username.setPlaceholderText("what they sign in as, e.g. maria")
        self.new_name = QLineEdit(box)
        self.new_name.setPlaceholderText("Maria Lopez")
        self.new_role = _role_box(box)
        self.new_role.setCurrentIndex(self.new_role.findData(Role.STAFF.value))
        self.add_button = QPushButton(icon("account-plus"), "&Add", box)
        self.add_button.clicked.connect(self.add_user)
        self.new_username.returnPressed.connect(self.add_user)
        self.new_name.returnPressed.connect(self.add_user)
        row = QHBoxLayout()
        row.addWidget(self.new_role)
        row.addStretch(1)
        row.addWidget(self.add_button)
        for text, field in (("User &name", self.new_username), ("&Full name", self.new_name)):
            label = QLabel(text, box)
            label.setBuddy(field)
            form.addRow(label, field)
        role_label = QLabel("&Role", box)
        role_label.setBuddy(self.new_role)
        form.addRow(role_label, row)
        return box

    # -- reading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx = self.session.ctx
        self.session.runner.run(lambda: users.all_users(ctx), self._show_users, self._show_error)

    def _show_users(self, rows: list[UserRow]) -> None:
        keep = self.selected_user()
        self.model.set_rows(rows)
        names = [row.username for row in rows]
        if keep is not None and keep.username in names:
            self.table.selectRow(names.index(keep.username))
        self._selection_changed()

    def selected_user(self) -> UserRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _selection_changed(self) -> None:
        user = self.selected_user()
        for widget in (self.role, self.change_role_button, self.active_button):
            widget.setEnabled(user is not None)
        if user is None:
            return
        self.role.setCurrentIndex(self.role.findData(user.role.value))
        self.active_button.setText("&Deactivate" if user.active else "R&eactivate")
        self.active_button.setIcon(icon("account-cancel" if user.active else "account-check"))

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.mentions(Topic.USERS):
            self.refresh()

    # -- acting ------------------------------------------------------------------------------

    def add_user(self) -> None:
        ctx, username, name = self.session.ctx, self.new_username.text(), self.new_name.text().strip()
        role = self.new_role.currentData()

        def added(user) -> None:
            self.new_username.clear()
            self.new_name.clear()
            self.message.show_done(f"Added {user.username} as {user.role.value}.")

        self.session.runner.run(
            lambda: catalog.add_user(ctx, username, role=role, display_name=name or None), added, self._show_error
        )

    def change_role(self) -> None:
        user, role, ctx = self.selected_user(), self.role.currentData(), self.session.ctx
        if user is None:
            return

        def changed(row: UserRow) -> None:
            self.message.show_done(f"{row.username} is now {row.role.value}.")
            if row.username == ctx.user.username:
                self.own_role_changed.emit()

        self.session.runner.run(lambda: users.set_role(ctx, user.username, role), changed, self._show_error)

    def toggle_active(self) -> None:
        user, ctx = self.selected_user(), self.session.ctx
        if user is None:
            return
        if user.active:
            work, done = (lambda: users.deactivate(ctx, user.username)), "can no longer sign in"
        else:
            work, done = (lambda: users.reactivate(ctx, user.username)), "may sign in again"
        self.session.runner.run(work, lambda row: self.message.show_done(f"{row.username} {done}."), self._show_error)

    def _show_error(self, error: Exception) -> None:
        self.message.show_error(user_message(error))

    def keyPressEvent(self, event) -> None:
        # Enter in the add form adds; it must not also close the dialog through a default button.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        super().keyPressEvent(event)
