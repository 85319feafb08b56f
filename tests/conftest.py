"""Real databases for every test: a migrated SQLite file and a throw-away PostgreSQL database.

Each backend is migrated once per run into a template; each test gets a fresh copy (a file copy
for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL), so tests never see each other's rows.
"""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from stockdesk.db.engine import make_engine
from stockdesk.db.migrate import upgrade_to_head
from stockdesk.db.uow import Database, LockMode
from stockdesk.services.context import Context, open_context

PG_ADMIN_URL = os.environ.get("STOCKDESK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BACKENDS = ["sqlite", "postgresql"]
_counter = itertools.count()


class Templates:
    """One migrated template per backend per test run."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.run_id = uuid.uuid4().hex[:8]
        self._sqlite: Path | None = None
        self._pg: str | None = None
        self.created: list[str] = []
        self.admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def sqlite_url(self) -> str:
        if self._sqlite is None:
            self._sqlite = self.tmp / "template.db"
            engine = make_engine(f"sqlite:///{self._sqlite}")
            upgrade_to_head(engine)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
        copy = self.tmp / f"test-{next(_counter)}.db"
        shutil.copy(self._sqlite, copy)
        return f"sqlite:///{copy}"

    def pg_url(self) -> str:
        if self._pg is None:
            self._pg = f"stockdesk_tpl_{self.run_id}"
            self._create(self._pg)
            engine = make_engine(self._url(self._pg))
            upgrade_to_head(engine)
            engine.dispose()
        name = f"stockdesk_test_{self.run_id}_{next(_counter)}"
        self._create(name, template=self._pg)
        return self._url(name)

    def empty_pg_url(self) -> str:
        name = f"stockdesk_empty_{self.run_id}_{next(_counter)}"
        self._create(name)
        return self._url(name)

    def _url(self, name: str) -> str:
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def _create(self, name: str, template: str | None = None) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        self.created.append(name)

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def drop_all(self) -> None:
        for name in reversed(self.created):
            self.drop(name)
        self.admin.dispose()


@pytest.fixture(scope="session")
def templates(tmp_path_factory) -> Iterator[Templates]:
    found = Templates(tmp_path_factory.mktemp("databases"))
    yield found
    found.drop_all()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_url(backend: str, templates: Templates) -> str:
    return templates.sqlite_url() if backend == "sqlite" else templates.pg_url()


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    db = Database(db_url, LockMode.CONDITIONAL)
    yield db
    db.dispose()


@pytest.fixture
def ctx(database: Database) -> Context:
    """Acting as the owner the first migration creates."""
    return open_context(database)


@pytest.fixture
def world(ctx: Context) -> Context:
    """A small business: two sites with bins, and one item of each tracking mode."""
    from tests.builders import build_world

    build_world(ctx)
    return ctx
