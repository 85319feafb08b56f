"""The first start and every start after it: no saved database -> the first-run dialog (demo, empty,
or a PostgreSQL server); a saved one opens directly; an older schema is upgraded only when the
person agrees (a SQLite file is copied first); a newer one is refused with nothing written."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import text
from sqlalchemy.engine import make_url

from stockdesk.db.migrate import current_revision, head_revision
from stockdesk.db.uow import Database
from stockdesk.services import catalog, queries, users
from stockdesk.services.connection import DatabaseKind
from stockdesk.services.context import open_context
from stockdesk.ui.dialogs.first_run import FirstRunDialog
from stockdesk.ui.dialogs.settings import SettingsDialog
from stockdesk.ui.dialogs.sign_in import SignInDialog
from stockdesk.ui.settings import Settings
from tests.builders import at_first_schema
from tests.conftest import PG_ADMIN_URL
from tests.ui.conftest import wait_idle
from tests.ui.driving import SqlOnGuiThread, alt, front, press


def test_first_start_offers_demo_empty_or_server_and_quit_leaves(qtbot, launch, desktop_home):
    launcher = launch()

    dialog = front(launcher)
    assert isinstance(dialog, FirstRunDialog) and launcher.window is None
    titles = [button.text() for button in dialog.start_buttons.values() if button.isVisible()]
    assert titles == ["Start with &demo data", "Start &empty", "Connect to a &PostgreSQL server"]
    with qtbot.waitSignal(launcher.finished) as quit_signal:
        alt(qtbot, dialog, "q")
    assert quit_signal.args == [0] and not desktop_home.settings_file.exists()


@pytest.mark.slow
def test_start_with_demo_data_builds_the_demo_and_asks_who_signs_in(qtbot, launch, desktop_home):
    launcher = launch()

    alt(qtbot, front(launcher), "d")

    sign_in = front(launcher)
    assert isinstance(sign_in, SignInDialog)
    assert sign_in.chosen_username() == "owner", "with nobody signed in before, the owner is preselected"
    press(qtbot, sign_in.people, Qt.Key.Key_Down)
    assert sign_in.chosen_username() == "sam"
    press(qtbot, sign_in.people, Qt.Key.Key_Return)

    window = launcher.window
    assert window is not None and window.user_label.text() == "sam (staff)"
    assert window.database_label.text().endswith("/StockDesk/demo.db")
    demo = Database(f"sqlite:///{desktop_home.data_dir / 'demo.db'}")
    owner = open_context(demo)
    assert {row.username for row in users.active_users(demo)} == {"owner", "maria", "sam"}
    assert len(catalog.sites(owner)) == 3 and len(queries.stock(owner)) > 100
    demo.dispose()
    saved = Settings()
    assert (saved.database_kind, saved.last_user) == ("demo", "sam")
    assert not [d for d in launcher.dialogs if d.isVisible()], "the first-run dialog closed with the sign-in"


def test_start_empty_creates_the_embedded_database_and_the_next_start_opens_it(qtbot, launch, desktop_home):
    first = launch()
    alt(qtbot, front(first), "e")

    assert first.window is not None and first.window.user_label.text() == "owner (owner)", "one user: no sign-in"
    embedded = desktop_home.data_dir / "stockdesk.db"
    database = Database(f"sqlite:///{embedded}")
    assert current_revision(database.engine) == head_revision()
    assert catalog.sites(open_context(database)) == [], "empty: no demo business"
    database.dispose()
    first.shut_down()

    second = launch()
    assert second.dialogs == [] and second.window is not None
    assert second.window.database_label.text() == f"SQLite: {embedded}"


def test_the_server_page_refuses_to_connect_until_a_test_passes(qtbot, launch, desktop_home, templates):
    name = make_url(templates.pg_url()).database
    admin = make_url(PG_ADMIN_URL)
    launcher = launch()
    dialog = front(launcher)
    alt(qtbot, dialog, "p")
    form = dialog.form
    assert form.host.hasFocus()

    form.host.clear()
    qtbot.keyClicks(form.host, admin.host)
    form.database.clear()
    qtbot.keyClicks(form.database, name)
    qtbot.keyClicks(form.user, admin.username)
    qtbot.keyClicks(form.password, "pw-never-in-a-file")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert "Test the connection first" in form.message.text() and launcher.window is None

    alt(qtbot, dialog, "t")
    assert form.message.kind == "done" and form.message.text().startswith("Connected to PostgreSQL")
    assert "current schema" in form.message.text()
    press(qtbot, form.password, Qt.Key.Key_Return)

    assert launcher.window is not None and name in launcher.window.database_label.text()
    saved = Settings().database_choice()
    assert (saved.kind, saved.host, saved.name, saved.user) == (
        DatabaseKind.POSTGRESQL,
        admin.host,
        name,
        admin.username,
    )
    account = f"{admin.username}@{admin.host}:{admin.port or 5432}/{name}"
    assert desktop_home.keyring.passwords == {("StockDesk", account): "pw-never-in-a-file"}
    assert "pw-never-in-a-file" not in desktop_home.settings_file.read_text()


def test_a_server_that_does_not_answer_is_explained_and_nothing_is_saved(qtbot, launch, desktop_home):
    dialog = front(launch())
    dialog.show_server_page()
    dialog.form.port.setValue(1)
    qtbot.keyClicks(dialog.form.user, "clerk")

    qtbot.mouseClick(dialog.form.test_button, Qt.MouseButton.LeftButton)

    assert dialog.form.message.kind == "error"
    assert dialog.form.message.text().startswith("Nothing answers at localhost:1")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert "Test the connection first" in dialog.form.message.text()
    assert Settings().database_choice() is None


# -- the schema check at start ------------------------------------------------------------------


@pytest.fixture
def old_file(tmp_path) -> str:
    """A SQLite file at the first schema revision only, with a site in it."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    database = Database(url)
    at_first_schema(database, "OLDSHOP", "Before the upgrade")
    database.dispose()
    return url


def revision(url: str) -> str | None:
    database = Database(url)
    try:
        return current_revision(database.engine)
    finally:
        database.dispose()


def test_an_older_database_is_upgraded_after_asking_with_a_backup_first(qtbot, launch, old_file, tmp_path):
    launcher = launch("--db", old_file)

    question = front(launcher)
    assert isinstance(question, QMessageBox) and "older schema (0001)" in question.text()
    assert "A copy of the file is saved beside it first" in question.informativeText()
    assert launcher.window is None and revision(old_file) == "0001", "nothing happens before the answer"
    qtbot.mouseClick(question.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

    assert launcher.window is not None and revision(old_file) == head_revision()
    backups = sorted(tmp_path.glob("old-schema-0001-*.db"))
    assert len(backups) == 1 and revision(f"sqlite:///{backups[0]}") == "0001"
    assert str(backups[0]) in launcher.window.statusBar().currentMessage()


def test_declining_the_upgrade_changes_nothing_and_says_so(qtbot, launch, old_file, tmp_path):
    launcher = launch("--db", old_file)

    qtbot.mouseClick(front(launcher).button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)

    settings = front(launcher)
    assert isinstance(settings, SettingsDialog) and launcher.window is None
    assert settings.form.message.text() == "The database was left at schema 0001; nothing was changed."
    assert revision(old_file) == "0001" and list(tmp_path.glob("old-schema-*")) == []
    with qtbot.waitSignal(launcher.finished):
        settings.reject()


def test_a_database_from_a_newer_stockdesk_is_refused_with_nothing_written(qtbot, launch, db_url):
    database = Database(db_url)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    database.dispose()

    launcher = launch("--db", db_url)

    settings = front(launcher)
    assert isinstance(settings, SettingsDialog) and launcher.window is None
    assert "This database was made by a newer StockDesk (schema f00d" in settings.form.message.text()
    assert "Install the newer version" in settings.form.message.text()
    assert revision(db_url) == "f00d"


def test_opening_runs_no_sql_on_the_gui_thread(qtbot, launch, desktop_home):
    sql = SqlOnGuiThread()
    launcher = launch(threaded=True, connect=sql)

    front(launcher).start_buttons["start_embedded"].click()
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=20_000)
    wait_idle(qtbot, launcher.window.session)

    assert launcher.window.user_label.text() == "owner (owner)"
    assert sql.statements == []
