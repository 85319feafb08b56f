"""Composition root: arguments -> database URL -> engine -> migrate to head -> window.

Services do not exist yet; once they do, this is where the unit of work and task runner are wired in.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QApplication
from sqlalchemy.engine import make_url

from stockdesk.db.engine import DB_ENV_VAR, make_engine, resolve_url
from stockdesk.db.migrate import upgrade_to_head
from stockdesk.ui.main_window import MainWindow


@dataclass(frozen=True)
class LaunchOptions:
    db_url: str
    demo: bool  # accepted now; the demo data flow (stockdesk-cli demo) will use it


def parse_args(argv: Sequence[str]) -> LaunchOptions:
    parser = argparse.ArgumentParser(
        prog="stockdesk", description="StockDesk stock ledger desktop client", allow_abbrev=False
    )
    parser.add_argument("--db", metavar="URL", help=f"database URL (default: ${DB_ENV_VAR}, else local SQLite)")
    parser.add_argument("--demo", action="store_true", help="start with demo data (filled by stockdesk-cli demo)")
    # Qt consumes its own options (-style, -platform...) from sys.argv; ignore what we do not know.
    args, _qt_args = parser.parse_known_args(argv)
    return LaunchOptions(db_url=resolve_url(args.db), demo=args.demo)


def database_label(db_url: str) -> str:
    """A user-facing name for the database, never showing a password."""
    url = make_url(db_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return f"SQLite: {url.database or 'in memory'}"
    name = "PostgreSQL" if backend == "postgresql" else backend
    return f"{name}: {url.render_as_string(hide_password=True)}"


def build_window(db_url: str) -> MainWindow:
    return MainWindow(database_label=database_label(db_url))


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    upgrade_to_head(make_engine(options.db_url))

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("StockDesk")
    window = build_window(options.db_url)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
