"""The desktop's own preferences over QSettings, each declared once with its type and default
(Picard's options.py), and the PostgreSQL password in the operating system's keyring.

The preferences ('database/...') are kept apart from what the desktop remembers of its last
session ('persist/...': who signed in, where the window was), so clearing one never loses the
other. Business settings (reason codes, label formats) live in the database, not here. The
password is never written to QSettings or any file: without a usable keyring it is asked for.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import keyring
from keyring.backends import fail
from keyring.errors import KeyringError, PasswordDeleteError
from PySide6.QtCore import QByteArray, QSettings

from ..services.connection import DEFAULT_PORT, DatabaseChoice, DatabaseKind

APPLICATION = "StockDesk"
T = TypeVar("T")


class Option(Generic[T]):
    """One stored value: reading `settings.name` gives it (or its default) with its declared type."""

    def __init__(self, key: str, default: T) -> None:
        self.key = key
        self.default = default

    def __get__(self, settings: Settings, owner: Any = None) -> T:
        return settings.store.value(self.key, self.default, type=type(self.default))

    def __set__(self, settings: Settings, value: T) -> None:
        settings.store.setValue(self.key, value)


class Settings:
    database_kind = Option("database/kind", "")
    """'' until a choice is saved: the first-run dialog asks."""
    server_host = Option("database/host", "localhost")
    server_port = Option("database/port", DEFAULT_PORT)
    server_database = Option("database/name", "stockdesk")
    server_user = Option("database/user", "")

    last_user = Option("persist/last_user", "")
    window_geometry = Option("persist/window_geometry", QByteArray())

    def __init__(self, store: QSettings | None = None) -> None:
        # The default format, so tests (and a portable build) can point QSettings.setPath elsewhere.
        self.store = store or QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, APPLICATION, APPLICATION)

    def database_choice(self) -> DatabaseChoice | None:
        try:
            kind = DatabaseKind(self.database_kind)
        except ValueError:
            return None
        return DatabaseChoice(kind, self.server_host, self.server_port, self.server_database, self.server_user)

    def save_database_choice(self, choice: DatabaseChoice) -> None:
        self.database_kind = choice.kind.value
        if choice.kind is DatabaseKind.POSTGRESQL:
            self.server_host, self.server_port = choice.host, choice.port
            self.server_database, self.server_user = choice.name, choice.user
        self.store.sync()


class PasswordStore:
    """Server passwords under the service 'StockDesk', one per user@host:port/database."""

    SERVICE = APPLICATION

    @property
    def available(self) -> bool:
        return not isinstance(keyring.get_keyring(), fail.Keyring)

    def get(self, account: str) -> str | None:
        if not self.available:
            return None
        try:
            return keyring.get_password(self.SERVICE, account)
        except KeyringError:
            return None

    def put(self, account: str, password: str) -> bool:
        """Keep (or, for an empty password, forget) it; False when no keyring could take it."""
        if not self.available:
            return False
        try:
            if password:
                keyring.set_password(self.SERVICE, account, password)
            else:
                keyring.delete_password(self.SERVICE, account)
        except PasswordDeleteError:
            return True
        except KeyringError:
            return False
        return True
