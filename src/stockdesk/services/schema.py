"""The schema check before a desktop opens a database: an empty database is created, an older one
upgraded once the user agrees (a SQLite file is copied first), and a newer or foreign one refused
without a single write, so an old StockDesk can never damage a database a newer one made."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ..db.connect import plain_connection_errors
from ..db.migrate import backup_sqlite, current_revision, has_tables, head_revision, known_revisions, upgrade_to_head
from ..db.uow import Database
from ..domain.errors import SchemaMismatch
from . import demo
from .context import open_context


class SchemaState(Enum):
    EMPTY = "empty"
    CURRENT = "current"
    OLDER = "older"
    NEWER = "newer"
    """Or unknown: a revision this version's migrations do not have."""
    FOREIGN = "foreign"
    """Tables, but no StockDesk revision: another application's database."""


@dataclass(frozen=True)
class SchemaStatus:
    state: SchemaState
    revision: str | None
    head: str

    def describe(self) -> str:
        if self.state is SchemaState.EMPTY:
            return "The database is empty: StockDesk will create its tables."
        if self.state is SchemaState.CURRENT:
            return f"The database is at the current schema ({self.head})."
        if self.state is SchemaState.OLDER:
            return f"The database has an older schema ({self.revision}); StockDesk will offer to upgrade it."
        return str(self.refusal())

    def refusal(self) -> SchemaMismatch | None:
        if self.state is SchemaState.NEWER:
            return SchemaMismatch(
                f"This database was made by a newer StockDesk (schema {self.revision}; this version knows "
                f"schemas up to {self.head}). Install the newer version to open it; nothing was changed."
            )
        if self.state is SchemaState.FOREIGN:
            return SchemaMismatch(
                "This database holds tables that are not StockDesk's; nothing was changed. "
                "Choose an empty database or one StockDesk made."
            )
        return None


def inspect(database: Database) -> SchemaStatus:
    """Read the schema revision (and nothing else); a database that cannot be reached raises CannotConnect."""
    with plain_connection_errors(database.url):
        revision = current_revision(database.engine)
        foreign = revision is None and has_tables(database.engine)
    head = head_revision()
    if revision is None:
        state = SchemaState.FOREIGN if foreign else SchemaState.EMPTY
    elif revision == head:
        state = SchemaState.CURRENT
    elif revision in known_revisions():
        state = SchemaState.OLDER
    else:
        state = SchemaState.NEWER
    return SchemaStatus(state, revision, head)


def prepare(database: Database, *, fill_demo: bool = False) -> Path | None:
    """Bring the database to the current schema (the caller has asked before upgrading an older one),
    fill an empty demo database, and return the copy made of an older SQLite file."""
    status = inspect(database)
    refusal = status.refusal()
    if refusal is not None:
        raise refusal
    backup = None
    if status.state is SchemaState.OLDER and database.is_sqlite:
        backup = backup_sqlite(database.engine, status.revision or "")
    if status.state is not SchemaState.CURRENT:
        upgrade_to_head(database.engine)
    if fill_demo:
        ctx = open_context(database)
        if demo.is_empty(ctx):
            demo.build_demo(ctx)
    return backup
