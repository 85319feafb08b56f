"""Alembic driven from code, so an installed or frozen build finds its migrations without alembic.ini."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

HEAD_REVISION = "0004"
"""The revision the code's tables match. Kept here (a test checks it is the migrations' head) so that
opening an up-to-date database never loads Alembic, which costs a third of a second at every start;
Alembic is imported only to classify another revision or to migrate."""


def migrations_dir() -> Path:
    packaged = Path(__file__).resolve().parent.parent / "_migrations"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    return HEAD_REVISION


def current_revision(engine: Engine) -> str | None:
    """What Alembic would say, read with one SELECT (None for a database never migrated)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()


def upgrade_to_head(engine: Engine) -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def known_revisions() -> set[str]:
    """Every revision this version's migrations know: a database at any other one was made by a newer StockDesk."""
    return {script.revision for script in _scripts().walk_revisions()}


def migrations_head() -> str:
    """The head as the migration scripts say (HEAD_REVISION must equal it)."""
    return _scripts().get_current_head() or ""


def _scripts():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def has_tables(engine: Engine) -> bool:
    """Any table at all: a database without a revision but with tables belongs to something else."""
    return bool(inspect(engine).get_table_names())


def backup_sqlite(engine: Engine, revision: str) -> Path:
    """Copy the whole file, including what still sits in its WAL, with SQLite's backup API, to a new
    file beside it named after its schema and the time: stockdesk-schema-0001-20261201-093000.db."""
    target = _backup_path(Path(engine.url.database or ""), revision)
    source = engine.raw_connection()
    try:
        copy = sqlite3.connect(target)
        try:
            source.driver_connection.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    return target


def _backup_path(original: Path, revision: str) -> Path:
    stem = f"{original.stem}-schema-{revision}-{datetime.now():%Y%m%d-%H%M%S}"
    candidate, number = original.with_name(stem + original.suffix), 1
    while candidate.exists():
        number += 1
        candidate = original.with_name(f"{stem}-{number}{original.suffix}")
    return candidate
