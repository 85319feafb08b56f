"""Settings over QSettings and Settings > Database: typed options, a connection test before saving,
the password in the keyring and never in a file, and the window reopened on the new database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit
from shiboken6 import isValid
from sqlalchemy import text
from sqlalchemy.engine import make_url

from stockdesk.db.uow import Database
from stockdesk.services.connection import DatabaseChoice, DatabaseKind
from stockdesk.ui.dialogs.database_form import NO_KEYRING_NOTE
from stockdesk.ui.dialogs.settings import SettingsDialog
from stockdesk.ui.settings import PasswordStore, Settings
from tests.conftest import PG_ADMIN_URL
from tests.ui.driving import activated, alt, front, press

SECRET = "s3cret-never-in-a-file"


def server(database_url: str) -> DatabaseChoice:
    url, admin = make_url(database_url), make_url(PG_ADMIN_URL)
    return DatabaseChoice(DatabaseKind.POSTGRESQL, admin.host, admin.port or 5432, url.database, admin.username)


def fill(qtbot, form, choice: DatabaseChoice, password: str) -> None:
    """Type the server's details as a person would."""
    for field, value in ((form.host, choice.host), (form.database, choice.name), (form.user, choice.user)):
        field.selectAll()
        qtbot.keyClicks(field, value)
    form.port.setValue(choice.port)
    qtbot.keyClicks(form.password, password)


@pytest.fixture
def on_embedded(qtbot, launch, desktop_home):
    """A desktop that saved 'a database on this computer' and is open on it."""
    Settings().save_database_choice(DatabaseChoice(DatabaseKind.EMBEDDED))
    launcher = launch()
    assert launcher.window is not None
    return launcher


def open_settings(qtbot, launcher) -> SettingsDialog:
    window = launcher.window
    activated(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = front(launcher)
    assert isinstance(dialog, SettingsDialog)
    return dialog


def test_options_are_typed_and_survive_a_restart(desktop_home):
    settings = Settings()
    assert (settings.database_choice(), settings.server_port, settings.last_user) == (None, 5432, "")

    settings.save_database_choice(DatabaseChoice(DatabaseKind.POSTGRESQL, "dbserver", 6543, "stock", "clerk"))
    settings.last_user = "maria"
    settings.window_geometry = QByteArray(b"\x01\x02geometry")
    settings.store.sync()

    again = Settings()
    assert again.database_choice() == DatabaseChoice(DatabaseKind.POSTGRESQL, "dbserver", 6543, "stock", "clerk")
    assert isinstance(again.server_port, int) and again.last_user == "maria"
    assert bytes(again.window_geometry) == b"\x01\x02geometry"
    text_on_disk = desktop_home.settings_file.read_text()
    assert "[database]" in text_on_disk and "[persist]" in text_on_disk, "preferences apart from remembered state"


def test_closing_the_window_quits_and_the_next_start_puts_it_back(qtbot, on_embedded, launch):
    on_embedded.window.resize(on_embedded.window.width(), 520)

    with qtbot.waitSignal(on_embedded.finished) as quit_signal:
        on_embedded.window.close()

    assert quit_signal.args == [0]
    again = launch()
    assert again.window.height() == 520, "the height it had (the offscreen screen is too narrow to test the width)"


def test_an_unknown_saved_kind_counts_as_no_choice(desktop_home):
    Settings().database_kind = "floppy"
    assert Settings().database_choice() is None


def test_switching_to_a_server_needs_a_passing_test_then_reopens_the_window_there(
    qtbot, on_embedded, desktop_home, templates
):
    old_window = on_embedded.window
    target = server(templates.pg_url())
    dialog = open_settings(qtbot, on_embedded)
    form = dialog.form
    assert form.choice().kind is DatabaseKind.EMBEDDED and not form.server.isEnabled()

    alt(qtbot, dialog, "p")
    assert form.server.isEnabled()
    fill(qtbot, form, target, SECRET)
    alt(qtbot, dialog, "s")
    assert form.message.text() == "Test the connection first: only a server that answered can be saved."
    assert on_embedded.window is old_window

    alt(qtbot, dialog, "t")
    assert form.message.kind == "done" and "Connected to PostgreSQL" in form.message.text()
    form.port.setValue(target.port + 1)
    form.port.setValue(target.port)
    alt(qtbot, dialog, "s")
    assert "Test the connection first" in form.message.text(), "a changed field needs a new test"
    alt(qtbot, dialog, "t")
    alt(qtbot, dialog, "s")

    window = on_embedded.window
    assert window is not old_window and window.isVisible() and not isValid(old_window), "the old window is gone"
    assert window.database_label.text().startswith("PostgreSQL: ") and target.name in window.database_label.text()
    assert Settings().database_choice() == target
    assert PasswordStore().get(target.account) == SECRET
    assert on_embedded.dialogs == [], "the settings dialog closed"


def test_the_password_never_lands_in_the_settings_file(qtbot, on_embedded, desktop_home, templates):
    target = server(templates.pg_url())
    dialog = open_settings(qtbot, on_embedded)
    dialog.form.set_choice(target, SECRET)
    dialog.form.test_connection()
    dialog.save()
    assert Settings().database_choice() == target

    files = [path for path in desktop_home.settings_file.parent.parent.rglob("*") if path.is_file()]
    assert files, "the settings were written"
    for path in files:
        assert SECRET.encode() not in path.read_bytes(), path


def test_a_newer_database_on_the_server_fails_the_test_and_cannot_be_saved(qtbot, on_embedded, templates):
    url = templates.pg_url()
    database = Database(url)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    database.dispose()
    dialog = open_settings(qtbot, on_embedded)
    dialog.form.set_choice(server(url))

    qtbot.mouseClick(dialog.form.test_button, Qt.MouseButton.LeftButton)
    assert dialog.form.message.kind == "error" and "made by a newer StockDesk" in dialog.form.message.text()
    dialog.save()

    assert "Test the connection first" in dialog.form.message.text()
    assert Settings().database_choice().kind is DatabaseKind.EMBEDDED


def test_a_saved_server_that_is_down_at_start_opens_settings_with_the_reason(qtbot, launch, desktop_home):
    Settings().save_database_choice(DatabaseChoice(DatabaseKind.POSTGRESQL, "127.0.0.1", 1, "stock", "clerk"))

    launcher = launch()

    dialog = front(launcher)
    assert isinstance(dialog, SettingsDialog) and launcher.window is None
    assert dialog.form.message.text().startswith("Nothing answers at 127.0.0.1:1")
    assert dialog.form.choice() == DatabaseChoice(DatabaseKind.POSTGRESQL, "127.0.0.1", 1, "stock", "clerk")
    with qtbot.waitSignal(launcher.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_without_a_keyring_the_password_is_asked_for_at_each_start(qtbot, launch, no_keyring, templates):
    target = server(templates.pg_url())
    Settings().save_database_choice(DatabaseChoice(DatabaseKind.EMBEDDED))
    launcher = launch()
    dialog = open_settings(qtbot, launcher)
    assert dialog.findChild(QLabel, "keyringNote").text() == NO_KEYRING_NOTE
    dialog.form.set_choice(target, SECRET)
    dialog.form.test_connection()
    dialog.save()
    assert "StockDesk will ask for the password at the next start" in launcher.window.statusBar().currentMessage()
    launcher.shut_down()

    again = launch()

    prompt = front(again)
    assert isinstance(prompt, QInputDialog) and again.window is None
    assert f"Password for {target.user} on {target.host}:{target.port}/{target.name}" in prompt.labelText()
    qtbot.keyClicks(prompt.findChild(QLineEdit), SECRET)
    prompt.accept()
    assert again.window is not None and target.name in again.window.database_label.text()
    assert SECRET not in no_keyring.settings_file.read_text()
