"""File > Users…: owners add users with a role, change roles, deactivate and reactivate; the services'
refusals (not an owner, the last owner, yourself) appear in the dialog and write nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from stockdesk.app import build_session
from stockdesk.domain.users import Role
from stockdesk.services import catalog, users
from stockdesk.ui.dialogs.users import UsersDialog
from stockdesk.ui.theme import Status
from tests.builders import as_user, snapshot
from tests.ui.conftest import wait_idle
from tests.ui.driving import activated, alt, front


@pytest.fixture
def dialog(qtbot, session):
    catalog.add_user(session.ctx, "sam", role="staff", display_name="Sam Patel")
    found = UsersDialog(session)
    qtbot.addWidget(found)
    found.show()
    activated(qtbot, found)
    return found


def roles(ctx) -> dict[str, tuple[Role, bool]]:
    return {row.username: (row.role, row.active) for row in users.all_users(ctx)}


def shown(dialog) -> dict[str, tuple[str, str]]:
    """User name -> (role, active) as the table displays them."""
    model = dialog.model
    titles = [model.headerData(column, Qt.Orientation.Horizontal) for column in range(model.columnCount())]
    name, role, active = (titles.index(title) for title in ("User name", "Role", "Active"))
    return {
        model.index(row, name).data(): (model.index(row, role).data(), model.index(row, active).data())
        for row in range(model.rowCount())
    }


def select(dialog, username: str) -> None:
    row = [dialog.model.row_at(i).username for i in range(dialog.model.rowCount())].index(username)
    dialog.table.setCurrentIndex(dialog.model.index(row, 0))


def test_the_list_shows_every_user_and_passes_the_model_tester(qtmodeltester, dialog):
    qtmodeltester.check(dialog.model)
    assert shown(dialog) == {"owner": ("owner", "yes"), "sam": ("staff", "yes")}
    select(dialog, "sam")
    assert dialog.role.currentData() == "staff" and dialog.active_button.text() == "&Deactivate"


def test_an_owner_adds_a_user_with_a_role_from_the_keyboard(qtbot, dialog, session):
    qtbot.keyClicks(dialog.new_username, "lena")
    qtbot.keyClicks(dialog.new_name, "Lena Berg")
    qtbot.keyClicks(dialog.new_role, "m")
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)

    assert dialog.message.text() == "Added lena as manager." and dialog.isVisible()
    assert shown(dialog)["lena"] == ("manager", "yes")
    assert roles(session.ctx)["lena"] == (Role.MANAGER, True)
    assert dialog.new_username.text() == ""


def test_a_taken_name_is_refused_with_nothing_written(qtbot, dialog, session):
    before = snapshot(session.ctx)
    qtbot.keyClicks(dialog.new_username, "sam")
    alt(qtbot, dialog, "a")

    assert dialog.message.kind == "error" and dialog.message.text() == "There is already a user called sam."
    assert snapshot(session.ctx) == before


def test_change_a_role_then_deactivate_and_reactivate(qtbot, dialog, session):
    select(dialog, "sam")
    dialog.role.setCurrentIndex(dialog.role.findData("manager"))
    alt(qtbot, dialog, "c")
    assert dialog.message.text() == "sam is now manager."
    assert roles(session.ctx)["sam"] == (Role.MANAGER, True)

    alt(qtbot, dialog, "d")
    assert dialog.message.text() == "sam can no longer sign in."
    assert shown(dialog)["sam"] == ("manager", "no")
    assert "sam" not in {row.username for row in users.active_users(session.ctx.database)}
    inactive = dialog.table.currentIndex().data(Qt.ItemDataRole.ForegroundRole)
    assert inactive == Status.QUARANTINED.color(), "a deactivated user is marked"
    assert dialog.active_button.text() == "R&eactivate"

    alt(qtbot, dialog, "e")
    assert roles(session.ctx)["sam"] == (Role.MANAGER, True) and dialog.active_button.text() == "&Deactivate"


def test_the_last_owner_cannot_step_down_or_leave(qtbot, dialog, session):
    before = snapshot(session.ctx)
    select(dialog, "owner")
    dialog.role.setCurrentIndex(dialog.role.findData("staff"))

    alt(qtbot, dialog, "c")
    assert dialog.message.kind == "error"
    assert dialog.message.text().startswith("owner is the last active owner; make another user owner first")
    alt(qtbot, dialog, "d")
    assert dialog.message.text() == "You cannot deactivate yourself while signed in; ask another owner."
    assert snapshot(session.ctx) == before


def test_anyone_but_an_owner_is_refused_by_the_service(qtbot, session):
    staff = build_session(as_user(session.ctx, "sam", "staff"), synchronous=True)
    found = UsersDialog(staff)
    qtbot.addWidget(found)
    staff.close()

    assert found.model.rowCount() == 0
    assert found.message.text() == "sam is signed in as staff and may not manage users; ask a manager or the owner."


def test_an_owner_who_steps_down_gets_a_window_for_the_new_role(qtbot, launch, world):
    catalog.add_user(world, "olga", role="owner")
    launcher = launch("--db", world.database.url, "--user", "owner")
    first = launcher.window
    first.findChild(QAction, "usersAction").trigger()
    dialog = front(launcher)
    select(dialog, "owner")
    dialog.role.setCurrentIndex(dialog.role.findData("manager"))

    qtbot.mouseClick(dialog.change_role_button, Qt.MouseButton.LeftButton)

    window = launcher.window
    assert window is not first and window.user_label.text() == "owner (manager)"
    assert not window.findChild(QAction, "usersAction").isEnabled()
    qtbot.waitUntil(lambda: launcher.dialogs == [])  # the old window took its Users dialog with it


def test_managing_users_runs_no_sql_on_the_gui_thread(qtbot, threaded_session, sql_on_gui_thread):
    found = UsersDialog(threaded_session)
    qtbot.addWidget(found)
    wait_idle(qtbot, threaded_session)
    qtbot.keyClicks(found.new_username, "lena")
    found.add_user()
    wait_idle(qtbot, threaded_session)

    assert "lena" in shown(found)
    assert sql_on_gui_thread == []
