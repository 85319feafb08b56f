"""Engines for SQLite (embedded, one PC) and PostgreSQL (shared), with the settings each needs.

SQLite writers take the write lock when their transaction begins (BEGIN IMMEDIATE, issued by
db/uow.py) and wait on a busy timeout: a deferred transaction that upgrades to a write fails with
'database is locked' under contention instead of queueing.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 30_000


DB_ENV_VAR = "STOCKDESK_DB"


def embedded_url(name: str = "stockdesk.db") -> str:
    """A SQLite file in the user's data directory (the demo uses its own file beside the real one)."""
    return f"sqlite:///{Path(user_data_dir('StockDesk')) / name}"


def resolve_url(explicit: str | None) -> str:
    """--db, else $STOCKDESK_DB, else the embedded SQLite file in the user's data directory."""
    return explicit or os.environ.get(DB_ENV_VAR) or embedded_url()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    # No pre-ping: it costs a round trip per unit of work; a connection the server dropped fails
    # that one operation and is replaced (the pool invalidates it).
    return create_engine(url, pool_size=10, max_overflow=40, pool_recycle=1800)


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        # Transactions start only when the unit of work says so (BEGIN IMMEDIATE for a writer).
        # Reads run without one: each statement is its own consistent snapshot (WAL), as on
        # PostgreSQL under READ COMMITTED.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not url.endswith(":memory:") and url != "sqlite://":
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
