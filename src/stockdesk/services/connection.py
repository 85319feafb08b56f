"""Which database a desktop works on: the embedded file, the demo file, or a shared PostgreSQL
server, as a person chooses it; and a test of a server before that choice is saved."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..db.connect import describe, plain_connection_errors, postgres_url, server_version
from ..db.engine import embedded_url
from ..db.uow import Database
from ..domain.errors import InvalidInput
from .schema import SchemaStatus, inspect

DEMO_FILE = "demo.db"
DEFAULT_PORT = 5432


class DatabaseKind(StrEnum):
    DEMO = "demo"
    EMBEDDED = "embedded"
    POSTGRESQL = "postgresql"


@dataclass(frozen=True)
class DatabaseChoice:
    """Everything but the password, which only the system keyring keeps."""

    kind: DatabaseKind
    host: str = "localhost"
    port: int = DEFAULT_PORT
    name: str = "stockdesk"
    user: str = ""

    @property
    def account(self) -> str:
        """The password's key in the keyring: user@host:port/database."""
        return f"{self.user}@{self.host}:{self.port}/{self.name}"

    @property
    def fills_demo(self) -> bool:
        return self.kind is DatabaseKind.DEMO

    def url(self, password: str = "") -> str:
        if self.kind is DatabaseKind.DEMO:
            return embedded_url(DEMO_FILE)
        if self.kind is DatabaseKind.EMBEDDED:
            return embedded_url()
        return postgres_url(host=self.host, port=self.port, database=self.name, user=self.user, password=password)


def database_label(url: str) -> str:
    """How the database is named to the person at the desk: never with its password."""
    return describe(url)


def checked(choice: DatabaseChoice) -> DatabaseChoice:
    """The choice with its text trimmed, or InvalidInput naming the field to fix."""
    if choice.kind is not DatabaseKind.POSTGRESQL:
        return DatabaseChoice(choice.kind)
    trimmed = DatabaseChoice(choice.kind, choice.host.strip(), choice.port, choice.name.strip(), choice.user.strip())
    for value, field in ((trimmed.host, "server"), (trimmed.name, "database"), (trimmed.user, "user")):
        if not value:
            raise InvalidInput(f"Enter the {field} name.")
    if not 0 < trimmed.port < 65536:
        raise InvalidInput(f"A port is a number from 1 to 65535; {trimmed.port} is not.")
    return trimmed


@dataclass(frozen=True)
class ConnectionReport:
    server: str
    """What answered: 'PostgreSQL 15.2'."""
    schema: SchemaStatus

    def describe(self) -> str:
        return f"Connected to {self.server}. {self.schema.describe()}"


def try_connection(choice: DatabaseChoice, password: str) -> ConnectionReport:
    """Connect once and read the schema revision, writing nothing; CannotConnect says why not."""
    database = Database(checked(choice).url(password))
    try:
        with plain_connection_errors(database.url):
            server = server_version(database.engine)
        return ConnectionReport(server, inspect(database))
    finally:
        database.dispose()
