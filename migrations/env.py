"""Alembic environment: one history for SQLite and PostgreSQL; the engine comes from StockDesk's code."""

from alembic import context
from sqlalchemy import Engine

from stockdesk.db.engine import make_engine
from stockdesk.db.records import Base

config = context.config


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine
    return make_engine(config.get_main_option("sqlalchemy.url"))


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=engine.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
