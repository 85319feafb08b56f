"""The schema check before a desktop opens a database, and a server's connection test: empty is
created, older is upgraded after a backup of a SQLite file, newer or foreign is refused untouched."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from stockdesk.cli.main import main as cli
from stockdesk.db.connect import explain
from stockdesk.db.migrate import backup_sqlite, current_revision, head_revision
from stockdesk.db.uow import Database
from stockdesk.domain.errors import CannotConnect, PasswordRefused, SchemaMismatch, StockDeskError
from stockdesk.services import schema
from stockdesk.services.connection import DatabaseChoice, DatabaseKind, try_connection
from stockdesk.services.context import open_context
from stockdesk.services.schema import SchemaState
from tests.builders import at_first_schema, refused
from tests.conftest import PG_ADMIN_URL

OLDEST = "0001"


@pytest.fixture
def blank(backend, templates, tmp_path) -> Iterator[Database]:
    """A database nothing has touched: a new file, or a new server database."""
    url = f"sqlite:///{tmp_path / 'shop.db'}" if backend == "sqlite" else templates.empty_pg_url()
    database = Database(url)
    yield database
    database.dispose()


@pytest.fixture
def older(blank: Database) -> Database:
    """Migrated to the first revision only, with a site in it (the data an upgrade must keep)."""
    at_first_schema(blank, "OLDSHOP", "The shop before the upgrade")
    return blank


def site_codes(database: Database) -> list[str]:
    """In SQL, so it reads an old backup as well as an upgraded database."""
    with database.engine.connect() as conn:
        return list(conn.scalars(text("SELECT code FROM locations WHERE kind = 'site' ORDER BY code")))


def stamp(database: Database, revision: str) -> None:
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :revision"), {"revision": revision})


def files_beside(database: Database) -> set[str]:
    return {path.name for path in Path(make_url(database.url).database).parent.iterdir()}


def test_an_empty_database_is_created_at_the_current_schema(blank):
    assert schema.inspect(blank).state is SchemaState.EMPTY

    assert schema.prepare(blank) is None

    status = schema.inspect(blank)
    assert (status.state, status.revision) == (SchemaState.CURRENT, head_revision())
    assert open_context(blank).user.username == "owner"


def test_an_older_database_is_detected_then_upgraded_keeping_its_data(older, backend):
    status = schema.inspect(older)
    assert (status.state, status.revision) == (SchemaState.OLDER, OLDEST)
    assert "older schema (0001)" in status.describe()

    backup = schema.prepare(older)

    assert current_revision(older.engine) == head_revision()
    assert site_codes(older) == ["OLDSHOP"]
    assert (backup is not None) == (backend == "sqlite")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_older_sqlite_file_is_copied_whole_before_the_upgrade(older):
    wal = Path(make_url(older.url).database + "-wal")
    assert wal.stat().st_size > 0, "the site should still sit in the WAL file, not yet in the database file"

    backup = schema.prepare(older)

    assert backup.parent == wal.parent and backup.name.startswith(f"shop-schema-{OLDEST}-")
    copy = Database(f"sqlite:///{backup}")
    assert (schema.inspect(copy).state, current_revision(copy.engine)) == (SchemaState.OLDER, OLDEST)
    assert site_codes(copy) == ["OLDSHOP"]
    copy.dispose()
    with sqlite3.connect(backup) as plain:  # without StockDesk, as a person restoring it would
        assert plain.execute("SELECT name FROM locations WHERE code = 'OLDSHOP'").fetchall() == [
            ("The shop before the upgrade",)
        ]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_two_backups_in_the_same_second_never_overwrite_each_other(older):
    first, second = backup_sqlite(older.engine, OLDEST), backup_sqlite(older.engine, OLDEST)

    assert first != second and first.exists() and second.exists()


@pytest.mark.parametrize("revision", ["9999", "a1b2c3d4e5f6"])
def test_a_database_from_a_newer_stockdesk_is_refused_untouched(older, revision, backend):
    schema.prepare(older)
    stamp(older, revision)
    files = files_beside(older) if backend == "sqlite" else None

    status = schema.inspect(older)
    assert (status.state, status.revision) == (SchemaState.NEWER, revision)
    with refused(open_context(older), SchemaMismatch, "made by a newer StockDesk") as caught:
        schema.prepare(older)

    assert f"schema {revision}" in str(caught.value) and "Install the newer version" in str(caught.value)
    assert current_revision(older.engine) == revision
    if backend == "sqlite":
        assert files_beside(older) == files, "no backup or other file was written"


def test_another_applications_database_is_refused_untouched(blank):
    with blank.engine.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)"))
        conn.execute(text("INSERT INTO customers VALUES (1, 'Ada')"))

    assert schema.inspect(blank).state is SchemaState.FOREIGN
    with pytest.raises(SchemaMismatch, match="not StockDesk's"):
        schema.prepare(blank)

    with blank.engine.connect() as conn:
        tables = conn.execute(text("SELECT name FROM customers")).scalars().all()
    assert tables == ["Ada"] and current_revision(blank.engine) is None


def test_a_file_that_is_not_a_database_is_reported_in_plain_words(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"shopping list: milk, tea, more milk" * 200)
    database = Database(f"sqlite:///{path}")

    with pytest.raises(CannotConnect, match=r"notes\.db is not a database file"):
        schema.inspect(database)
    database.dispose()


# -- testing a server before saving it ---------------------------------------------------------


def server_choice(**changes) -> DatabaseChoice:
    admin = make_url(PG_ADMIN_URL)
    parts = {"host": admin.host, "port": admin.port or 5432, "name": admin.database, "user": admin.username}
    return DatabaseChoice(DatabaseKind.POSTGRESQL, **(parts | changes))


def test_a_reachable_server_reports_its_version_and_the_schema_state(templates):
    name = make_url(templates.empty_pg_url()).database

    report = try_connection(server_choice(name=name), password=make_url(PG_ADMIN_URL).password or "")

    assert report.server.startswith("PostgreSQL ") and report.schema.state is SchemaState.EMPTY
    assert report.describe().startswith(f"Connected to {report.server}. The database is empty")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"port": 1}, "Nothing answers at 127.0.0.1:1"),
        ({"name": "no_such_stockdesk"}, "has no database called no_such_stockdesk"),
        ({"user": "nobody_here"}, "has no user called nobody_here"),
        ({"host": "no-such-server.invalid"}, "No computer called no-such-server.invalid"),
        ({"host": "  "}, "Enter the server name"),
        ({"port": 70000}, "A port is a number from 1 to 65535"),
    ],
)
def test_a_server_that_cannot_be_used_is_explained(changes, message):
    with pytest.raises(StockDeskError, match=re.escape(message)):
        try_connection(server_choice(**changes), password="")


def test_a_refused_password_is_its_own_error_so_the_desktop_can_ask_again():
    url = "postgresql+psycopg://clerk@db.example:5433/stock"
    driver = 'connection failed: FATAL:  password authentication failed for user "clerk"'

    error = explain(driver, url)

    assert isinstance(error, PasswordRefused)
    assert str(error) == "The server db.example:5433 refused the password for user clerk."


def test_the_command_line_init_still_upgrades_an_older_database_without_asking(older):
    before = _locations(older)

    assert cli(["--db", older.url, "init"]) == 0
    assert current_revision(older.engine) == head_revision()
    assert _locations(older) == before


def _locations(database: Database) -> list[tuple]:
    """The location rows, read with plain SQL: the models describe the newest schema, not the old one."""
    with database.engine.connect() as conn:
        return sorted(tuple(row) for row in conn.execute(text("SELECT id, code, path FROM locations")))
