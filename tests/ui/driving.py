"""Driving the desktop as a person would: open a screen, focus a window as a window manager would,
scan codes, press keys and mnemonics; and watching which thread sends SQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLineEdit, QWidget
from shiboken6 import isValid
from sqlalchemy import Engine, event

from stockdesk.db.uow import Database
from stockdesk.ui.launcher import Launcher
from stockdesk.ui.screen import Screen
from stockdesk.ui.session import Session


def activated(qtbot, window: QWidget) -> None:
    """What the window manager does for a new window or dialog (the offscreen platform does not)."""
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


S = TypeVar("S", bound=Screen)


def open_screen(qtbot, session: Session, screen_type: type[S], size: tuple[int, int] = (1200, 760)) -> S:
    """The screen on its own, shown, active and with the cursor in its scan field."""
    screen = screen_type(session)
    qtbot.addWidget(screen)
    screen.resize(*size)
    screen.show()
    activated(qtbot, screen)
    screen.activate()
    return screen


def scan(qtbot, target: Screen | QLineEdit, *codes: str) -> None:
    """Type each code into the screen's scan field (or the given field) and press Enter, as a scanner does."""
    field = target.scan if isinstance(target, Screen) else target
    for code in codes:
        qtbot.keyClicks(field, code)
        qtbot.keyClick(field, Qt.Key.Key_Return)


def press(qtbot, widget: QWidget, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, key, modifiers)


def alt(qtbot, widget: QWidget, letter: str) -> None:
    """Alt+letter, a button's or a label's mnemonic; a button clicks after its short press animation."""
    buttons = widget.window().findChildren(QAbstractButton)
    qtbot.keyClick(widget, letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not any(isValid(b) and b.isDown() for b in buttons))
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # what the click closed is gone


def front(launcher: Launcher) -> QDialog:
    """The newest dialog the launcher has open (waiting for one), made the active window."""
    _wait_for(lambda: bool(launcher.dialogs))
    dialog = launcher.dialogs[-1]
    dialog.activateWindow()
    _wait_for(dialog.isActiveWindow)
    return dialog


def _wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        QApplication.processEvents()
        time.sleep(0.01)


class SqlOnGuiThread:
    """Records every SQL statement the GUI (main) thread sends. Called with a URL, it is a `connect`
    for the launcher that opens the database and watches it."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, url: str) -> Database:
        database = Database(url)
        self.watch(database.engine)
        return database

    def watch(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._record)

    def forget(self, engine: Engine) -> None:
        event.remove(engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, *_args) -> None:
        if threading.current_thread() is threading.main_thread():
            self.statements.append(statement)
