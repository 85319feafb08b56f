"""The desktop entry point and the main window: database, navigation, status bar, shortcuts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from stockdesk.app import build_window, database_label, parse_args
from stockdesk.db.records import PostingRecord
from stockdesk.db.uow import Database
from stockdesk.services import schema
from stockdesk.ui.screens import SCREENS
from tests.ui.conftest import wait_idle
from tests.ui.driving import activated


def test_window_shows_database_user_and_sites(qtbot, session):
    window = build_window(session)
    qtbot.addWidget(window)
    window.show()

    assert window.windowTitle() == "StockDesk"
    assert window.user_label.text() == "owner (owner)"
    assert session.ctx.database.url.rsplit("/", 1)[-1] in window.database_label.text()
    sites = [window.site_box.itemData(i) for i in range(window.site_box.count())]
    assert sites == [None, "SHOP", "WH1"] or sites == [None, "WH1", "SHOP"]


def test_every_screen_is_reachable_by_its_shortcut(qtbot, session):
    window = build_window(session)
    qtbot.addWidget(window)
    window.show()
    activated(qtbot, window)

    for number, screen_type in reversed(list(enumerate(SCREENS, start=1))):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert isinstance(window.current_screen(), screen_type)
        assert window.navigation.currentRow() == number - 1


def test_choosing_a_site_tells_every_screen(qtbot, session):
    window = build_window(session)
    qtbot.addWidget(window)
    with qtbot.waitSignal(session.site_changed) as signal:
        window.site_box.setCurrentIndex(window.site_box.findData("WH1"))
    assert signal.args == ["WH1"] and session.site == "WH1"


def test_the_window_loads_without_sql_on_the_gui_thread(qtbot, threaded_session, sql_on_gui_thread):
    window = build_window(threaded_session)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, threaded_session)

    assert window.site_box.count() == 3
    assert sql_on_gui_thread == []


def test_database_label_never_shows_a_password():
    label = database_label("postgresql+psycopg://clerk:secret@db.example/stock")
    assert "secret" not in label and "PostgreSQL" in label


def prepare(options) -> None:
    database = Database(options.db_url)
    schema.prepare(database, fill_demo=options.demo)
    database.dispose()


def test_demo_fills_an_empty_database_once(tmp_path):
    options = parse_args(["--demo", "--db", f"sqlite:///{tmp_path / 'demo.db'}"])

    prepare(options)
    first = _postings(options.db_url)
    prepare(options)

    assert first > 500
    assert _postings(options.db_url) == first


def test_demo_without_db_opens_its_own_file():
    assert parse_args(["--demo"]).db_url.endswith("/demo.db")
    assert not parse_args([]).db_url.endswith("/demo.db")


def test_only_the_command_line_or_environment_skip_the_saved_choice(monkeypatch):
    monkeypatch.delenv("STOCKDESK_DB", raising=False)
    assert not parse_args([]).explicit
    assert parse_args(["--demo"]).explicit and parse_args(["--db", "sqlite:///x.db"]).explicit
    assert parse_args(["--user", "sam"]).user == "sam" and not parse_args(["--user", "sam"]).explicit

    monkeypatch.setenv("STOCKDESK_DB", "sqlite:///from-env.db")
    options = parse_args([])
    assert options.explicit and options.db_url == "sqlite:///from-env.db"


def _postings(url: str) -> int:
    database = Database(url)
    with database.unit_of_work(write=False) as uow:
        count = uow.connection.execute(select(func.count()).select_from(PostingRecord)).scalar_one()
    database.dispose()
    return count
