"""Fixtures for the desktop client: a session over a real database, run inline or on the real worker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError
from PySide6.QtCore import QSettings

from stockdesk.app import build_session, build_window, parse_args
from stockdesk.db.uow import Database
from stockdesk.services.context import Context
from stockdesk.ui.launcher import Launcher
from stockdesk.ui.session import Session
from stockdesk.ui.settings import PasswordStore, Settings
from stockdesk.ui.tasks import TaskRunner
from tests.ui.driving import SqlOnGuiThread


@pytest.fixture
def session(qtbot, world: Context) -> Iterator[Session]:
    """The small test business; tasks run inline so a test reads the result right after acting."""
    found = build_session(world, synchronous=True)
    yield found
    found.close()


@pytest.fixture
def threaded_session(qtbot, world: Context) -> Iterator[Session]:
    """The same, with the real worker thread, as the app runs."""
    found = build_session(world)
    yield found
    found.close()


def wait_idle(qtbot, session: Session, timeout: int = 10_000) -> None:
    qtbot.waitUntil(lambda: not session.runner.busy, timeout=timeout)


@pytest.fixture
def sql_on_gui_thread(world: Context) -> Iterator[list[str]]:
    """Every SQL statement the GUI (main) thread sends; a screen must leave this empty."""
    watcher = SqlOnGuiThread()
    watcher.watch(world.database.engine)
    yield watcher.statements
    watcher.forget(world.database.engine)


class MemoryKeyring(KeyringBackend):
    """The system keyring's stand-in: tests never read or write the real one."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@dataclass
class DesktopHome:
    """Where a desktop started in a test keeps its things: all under tmp_path."""

    settings_file: Path
    data_dir: Path
    keyring: KeyringBackend


@pytest.fixture
def desktop_home(tmp_path, monkeypatch) -> Iterator[DesktopHome]:
    """QSettings (INI), the user data directory and the keyring moved into tmp_path and memory,
    with no $STOCKDESK_DB, so a test never sees or changes the real user's settings or files."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("STOCKDESK_DB", raising=False)
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield DesktopHome(tmp_path / "config" / "StockDesk" / "StockDesk.ini", tmp_path / "data" / "StockDesk", memory)
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring(desktop_home: DesktopHome) -> DesktopHome:
    """A machine without a usable keyring backend (a server, a bare desktop session)."""
    keyring.set_keyring(fail.Keyring())
    return desktop_home


@pytest.fixture
def launch(qtbot, desktop_home) -> Iterator[Callable[..., Launcher]]:
    """Start the desktop as `stockdesk ARGS...` does, every task inline unless `threaded`; shut down
    after the test. `connect` may wrap each database the desktop opens (to watch its SQL)."""
    started: list[Launcher] = []

    def start(*argv: str, threaded: bool = False, connect: Callable[[str], Database] = Database) -> Launcher:
        launcher = Launcher(
            parse_args(argv),
            Settings(),
            PasswordStore(),
            TaskRunner(synchronous=not threaded),
            connect=connect,
            open_window=lambda ctx: build_window(build_session(ctx, synchronous=not threaded)),
        )
        started.append(launcher)
        launcher.start()
        return launcher

    yield start
    for launcher in started:
        launcher.runner.wait()
        launcher.shut_down()
