"""Who is at the desk, when the database has more than one active user: pick your name (the last
person is preselected), Enter signs in. Typing the first letters of a name jumps to it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.users import Role
from ...services.users import UserRow
from ..theme import SPACING, icon
from ..widgets import MessageBar

ROLE_ICONS = {"owner": "account-key", "manager": "account-tie", "staff": "account"}


class SignInDialog(QDialog):
    signed_in = Signal(str)
    """The chosen username."""

    def __init__(
        self,
        users: Sequence[UserRow],
        *,
        last_user: str = "",
        database_label: str = "",
        problem: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signIn")
        self.setWindowTitle("Sign in to StockDesk")
        self.setMinimumSize(420, 360)
        prompt = QLabel("&Who is at the desk?", self)
        self.people = QListWidget(self)
        self.people.setObjectName("people")
        self.people.setIconSize(QSize(22, 22))
        prompt.setBuddy(self.people)
        for user in users:
            item = QListWidgetItem(icon(ROLE_ICONS[user.role.value]), f"{user.label}  ·  {user.role.value}")
            item.setData(Qt.ItemDataRole.UserRole, user.username)
            self.people.addItem(item)
        self.people.setCurrentRow(_preselected(users, last_user))
        # A double click signs in; Enter reaches the default button (Sign in) by itself.
        self.people.itemDoubleClicked.connect(lambda _item: self.sign_in())

        where = QLabel(database_label, self)
        where.setEnabled(False)
        self.message = MessageBar(self)
        if problem:
            self.message.show_error(problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText("&Sign in")
        self.sign_in_button.setIcon(icon("login"))
        buttons.accepted.connect(self.sign_in)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        layout.addWidget(prompt)
        layout.addWidget(self.people, 1)
        layout.addWidget(where)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.people.setFocus()

    def chosen_username(self) -> str | None:
        item = self.people.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def sign_in(self) -> None:
        username = self.chosen_username()
        if username is None:
            self.message.show_error("Pick your name in the list first.")
            return
        self.signed_in.emit(username)
        self.accept()


def _preselected(users: Sequence[UserRow], last_user: str) -> int:
    """The last person who signed in here, else the first owner (a new install's only user), else the top."""
    names = [user.username for user in users]
    if last_user in names:
        return names.index(last_user)
    owners = [number for number, user in enumerate(users) if user.role is Role.OWNER]
    return owners[0] if owners else 0
