"""The desktop entry point: migrates the database it is pointed at and shows which one it is."""

from __future__ import annotations

from stockdesk.app import build_window, database_label
from stockdesk.db.migrate import current_revision, head_revision, upgrade_to_head
from stockdesk.db.uow import Database


def test_window_shows_the_open_database(qtbot, tmp_path):
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    database = Database(url)
    upgrade_to_head(database.engine)

    window = build_window(url)
    qtbot.addWidget(window)
    window.show()

    assert current_revision(database.engine) == head_revision()
    assert window.windowTitle() == "StockDesk"
    assert "shop.db" in window.database_label.text()
    database.dispose()


def test_database_label_never_shows_a_password():
    label = database_label("postgresql+psycopg://clerk:secret@db.example/stock")
    assert "secret" not in label and "PostgreSQL" in label
