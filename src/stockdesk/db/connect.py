"""Reaching a database: a PostgreSQL URL from the parts a person types, the server's version, and
connection failures told in plain words (the driver's text is written for administrators)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DatabaseError, OperationalError

from ..domain.errors import CannotConnect, PasswordRefused

CONNECT_TIMEOUT_S = 10
"""A server that does not answer is reported after this long instead of the system's minutes."""


def postgres_url(*, host: str, port: int, database: str, user: str, password: str) -> str:
    return URL.create(
        "postgresql+psycopg",
        username=user or None,
        password=password or None,
        host=host,
        port=port,
        database=database,
        query={"connect_timeout": str(CONNECT_TIMEOUT_S)},
    ).render_as_string(hide_password=False)


def describe(url: str) -> str:
    """'SQLite: /path/shop.db' or 'PostgreSQL: clerk@dbserver:5432/stock', never with the password."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return f"SQLite: {parsed.database or 'in memory'}"
    name = "PostgreSQL" if backend == "postgresql" else backend
    return f"{name}: {parsed.set(query={}).render_as_string(hide_password=True)}"


def server_version(engine: Engine) -> str:
    """'PostgreSQL 15.2' or 'SQLite 3.40.1': what answered."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return f"SQLite {conn.exec_driver_sql('SELECT sqlite_version()').scalar_one()}"
        return f"PostgreSQL {conn.exec_driver_sql('SHOW server_version').scalar_one()}"


@contextmanager
def plain_connection_errors(url: str) -> Iterator[None]:
    """Turn a failure to reach or open the database into CannotConnect (or PasswordRefused)."""
    try:
        yield
    except OperationalError as error:
        raise explain(str(error.orig), url) from error
    except DatabaseError as error:
        if "not a database" not in str(error.orig):
            raise
        raise CannotConnect(f"{make_url(url).database} is not a database file.") from error


def explain(driver_text: str, url: str) -> CannotConnect:
    """The driver's message, said for the person at the desk."""
    parsed = make_url(url)
    text = driver_text.lower()
    first_line = driver_text.strip().splitlines()[0] if driver_text.strip() else "no reason given"
    if parsed.get_backend_name() == "sqlite":
        if "unable to open" in text:
            return CannotConnect(f"The database file {parsed.database} cannot be opened: may you write to its folder?")
        return CannotConnect(f"The database file {parsed.database} could not be read: {first_line}")
    server = f"{parsed.host}:{parsed.port or 5432}"
    if "password authentication failed" in text or "no password supplied" in text:
        return PasswordRefused(f"The server {server} refused the password for user {parsed.username}.")
    if "role" in text and "does not exist" in text:
        return CannotConnect(f"The server {server} has no user called {parsed.username}.")
    if "database" in text and "does not exist" in text:
        return CannotConnect(
            f"The server {server} has no database called {parsed.database}; ask whoever runs it to create it "
            f"(createdb {parsed.database})."
        )
    if "resolve host" in text or "could not translate host name" in text:
        return CannotConnect(f"No computer called {parsed.host} was found; check the server name.")
    if "connection refused" in text:
        return CannotConnect(f"Nothing answers at {server}: is the PostgreSQL server running, and is the port right?")
    if "timeout" in text or "timed out" in text:
        return CannotConnect(f"The server {server} did not answer within {CONNECT_TIMEOUT_S} seconds.")
    return CannotConnect(f"Could not connect to {server}: {first_line}")
