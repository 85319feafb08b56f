"""Composition root: arguments -> database URL -> engine -> migrate to head -> session -> window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QApplication
from sqlalchemy.engine import make_url

from stockdesk.db.engine import DB_ENV_VAR, embedded_url, resolve_url
from stockdesk.db.migrate import upgrade_to_head
from stockdesk.db.uow import Database
from stockdesk.services import demo
from stockdesk.services.context import Context, open_context
from stockdesk.ui.changes import ChangeBus
from stockdesk.ui.main_window import MainWindow
from stockdesk.ui.session import Session
from stockdesk.ui.tasks import TaskRunner

DEMO_FILE = "demo.db"


@dataclass(frozen=True)
class LaunchOptions:
    db_url: str
    demo: bool


def parse_args(argv: Sequence[str]) -> LaunchOptions:
    parser = argparse.ArgumentParser(
        prog="stockdesk", description="StockDesk stock ledger desktop client", allow_abbrev=False
    )
    parser.add_argument("--db", metavar="URL", help=f"database URL (default: ${DB_ENV_VAR}, else local SQLite)")
    parser.add_argument(
        "--demo", action="store_true", help=f"open {DEMO_FILE} in the data directory, filled with a demo business"
    )
    # Qt consumes its own options (-style, -platform...) from sys.argv; ignore what we do not know.
    args, _qt_args = parser.parse_known_args(argv)
    url = (args.db or embedded_url(DEMO_FILE)) if args.demo else resolve_url(args.db)
    return LaunchOptions(db_url=url, demo=args.demo)


def database_label(db_url: str) -> str:
    """A user-facing name for the database, never showing a password."""
    url = make_url(db_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return f"SQLite: {url.database or 'in memory'}"
    name = "PostgreSQL" if backend == "postgresql" else backend
    return f"{name}: {url.render_as_string(hide_password=True)}"


def build_session(ctx: Context, *, synchronous: bool = False) -> Session:
    """The runner and the change bus every screen shares; tests run tasks inline (`synchronous`)."""
    return Session(ctx, TaskRunner(synchronous=synchronous), ChangeBus(ctx))


def build_window(session: Session) -> MainWindow:
    return MainWindow(session, database_label=database_label(session.ctx.database.url))


def prepare_database(options: LaunchOptions) -> None:
    """Create or upgrade the schema; a demo database is filled the first time it is opened."""
    database = Database(options.db_url)
    try:
        upgrade_to_head(database.engine)
        if options.demo:
            ctx = open_context(database)
            if demo.is_empty(ctx):
                demo.build_demo(ctx)
    finally:
        database.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    prepare_database(options)

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("StockDesk")
    app.setOrganizationName("StockDesk")
    app.setStyle("Fusion")
    database = Database(options.db_url)
    window = build_window(build_session(open_context(database)))
    window.show()
    try:
        return app.exec()
    finally:
        database.dispose()


if __name__ == "__main__":
    sys.exit(main())
