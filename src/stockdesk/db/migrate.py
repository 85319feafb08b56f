"""Alembic driven from code, so an installed or frozen build finds its migrations without alembic.ini."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect


def migrations_dir() -> Path:
    packaged = Path(__file__).resolve().parent.parent / "_migrations"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), "head")


def known_revisions() -> set[str]:
    """Every revision this version's migrations know: a database at any other one was made by a newer StockDesk."""
    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


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
