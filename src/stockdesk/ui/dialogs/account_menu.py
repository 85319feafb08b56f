"""What the launcher adds to the window's File menu, above Quit: Settings…, Users…, Sign out."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence

from ..main_window import MainWindow
from ..theme import icon


def add_account_actions(
    window: MainWindow,
    *,
    settings: Callable[[], None],
    users: Callable[[], None],
    sign_out: Callable[[], None],
    may_manage_users: bool,
) -> None:
    """Users… stays visible but disabled for whoever may not manage users (the services refuse too)."""
    entries = (
        ("settingsAction", "cog", "&Settings…", "Ctrl+,", settings),
        ("usersAction", "account-multiple", "&Users…", None, users),
        ("signOutAction", "logout", "Sign &out", None, sign_out),
    )
    actions = []
    for name, icon_name, text, shortcut, slot in entries:
        action = QAction(icon(icon_name), text, window)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False, slot=slot: slot())
        actions.append(action)
    actions[1].setEnabled(may_manage_users)
    quit_action = window.file_menu.actions()[0]
    window.file_menu.insertActions(quit_action, actions)
    window.file_menu.insertSeparator(quit_action)
