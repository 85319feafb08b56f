"""The desktop entry point: migrates the database it is pointed at and shows which one it is."""

from __future__ import annotations

from sqlalchemy import func, select

from stockdesk.app import build_window, database_label, parse_args, prepare_database
from stockdesk.db.migrate import current_revision, head_revision, upgrade_to_head
from stockdesk.db.records import PostingRecord
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


def test_demo_fills_an_empty_database_once(tmp_path):
    options = parse_args(["--demo", "--db", f"sqlite:///{tmp_path / 'demo.db'}"])

    prepare_database(options)
    first = _postings(options.db_url)
    prepare_database(options)

    assert first > 500
    assert _postings(options.db_url) == first


def test_demo_without_db_opens_its_own_file():
    assert parse_args(["--demo"]).db_url.endswith("/demo.db")
    assert not parse_args([]).db_url.endswith("/demo.db")


def _postings(url: str) -> int:
    database = Database(url)
    with database.unit_of_work(write=False) as uow:
        count = uow.connection.execute(select(func.count()).select_from(PostingRecord)).scalar_one()
    database.dispose()
    return count
