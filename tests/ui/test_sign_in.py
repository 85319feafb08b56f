"""Sign-in: asked only when the database has more than one active user, the last person preselected,
skipped by --user; File > Sign out asks again; what a role may not do is disabled in the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from stockdesk.services import catalog, users
from stockdesk.ui.dialogs.sign_in import SignInDialog
from stockdesk.ui.settings import Settings
from tests.ui.conftest import wait_idle
from tests.ui.driving import SqlOnGuiThread, alt, front, press


@pytest.fixture
def staffed(world):
    """The small business with a manager and a staff member besides the owner."""
    catalog.add_user(world, "maria", role="manager", display_name="Maria Lopez")
    catalog.add_user(world, "sam", role="staff", display_name="Sam Patel")
    return world


def action(window, name: str) -> QAction:
    return window.findChild(QAction, name)


def test_one_active_user_signs_in_without_being_asked(launch, world):
    catalog.add_user(world, "gone", role="staff")
    users.deactivate(world, "gone")

    launcher = launch("--db", world.database.url)

    assert launcher.dialogs == [] and launcher.window.user_label.text() == "owner (owner)"
    assert Settings().last_user == "owner"


def test_several_users_pick_their_name_with_the_last_one_preselected(qtbot, launch, staffed):
    Settings().last_user = "sam"

    launcher = launch("--db", staffed.database.url)

    dialog = front(launcher)
    assert isinstance(dialog, SignInDialog) and launcher.window is None
    listed = [dialog.people.item(row).text() for row in range(dialog.people.count())]
    assert listed == ["Maria Lopez (maria)  ·  manager", "Owner (owner)  ·  owner", "Sam Patel (sam)  ·  staff"]
    assert dialog.chosen_username() == "sam"
    press(qtbot, dialog.people, Qt.Key.Key_Return)

    window = launcher.window
    assert window.user_label.text() == "sam (staff)"
    assert not action(window, "usersAction").isEnabled(), "staff may not manage users"
    assert action(window, "settingsAction").isEnabled() and action(window, "signOutAction").isEnabled()


def test_the_user_option_skips_the_question(launch, staffed):
    launcher = launch("--db", staffed.database.url, "--user", "maria")

    assert launcher.dialogs == [] and launcher.window.user_label.text() == "maria (manager)"
    assert not action(launcher.window, "usersAction").isEnabled(), "managers may not manage users either"


def test_an_unknown_user_option_asks_with_the_reason(launch, staffed):
    launcher = launch("--db", staffed.database.url, "--user", "mario")

    dialog = front(launcher)
    assert isinstance(dialog, SignInDialog) and launcher.window is None
    assert dialog.message.text() == "There is no active user called 'mario'."


def test_cancelling_the_sign_in_at_start_quits(qtbot, launch, staffed):
    launcher = launch("--db", staffed.database.url)

    with qtbot.waitSignal(launcher.finished) as quit_signal:
        qtbot.keyClick(front(launcher), Qt.Key.Key_Escape)

    assert quit_signal.args == [0] and launcher.window is None


def test_sign_out_closes_the_window_and_asks_who_comes_next(qtbot, launch, staffed):
    launcher = launch("--db", staffed.database.url, "--user", "owner")
    first = launcher.window
    assert action(first, "usersAction").isEnabled()

    action(first, "signOutAction").trigger()

    dialog = front(launcher)
    assert isinstance(dialog, SignInDialog) and launcher.window is None
    assert dialog.chosen_username() == "owner", "the last user is preselected"
    qtbot.keyClicks(dialog.people, "S")
    assert dialog.chosen_username() == "sam", "typing a name's first letters finds it"
    alt(qtbot, dialog, "s")
    assert launcher.window is not None and launcher.window.user_label.text() == "sam (staff)"


def test_signing_in_runs_no_sql_on_the_gui_thread(qtbot, launch, staffed):
    sql = SqlOnGuiThread()
    launcher = launch("--db", staffed.database.url, threaded=True, connect=sql)
    qtbot.waitUntil(lambda: bool(launcher.dialogs), timeout=10_000)

    front(launcher).sign_in()
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=10_000)
    wait_idle(qtbot, launcher.window.session)

    assert launcher.window.user_label.text() == "owner (owner)"
    assert sql.statements == []
