"""Composition root: arguments and settings -> database URL (command line > $STOCKDESK_DB > saved
choice > first-run dialog) -> schema check -> sign-in -> session -> window. The steps are walked by
ui/launcher.py; this module parses the command line and says how a database and a window are built.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from stockdesk.db.engine import DB_ENV_VAR, embedded_url, resolve_url
from stockdesk.db.uow import Database
from stockdesk.services.connection import DEMO_FILE, database_label
from stockdesk.services.context import Context
from stockdesk.ui.changes import ChangeBus
from stockdesk.ui.launcher import Launcher, LaunchOptions
from stockdesk.ui.main_window import MainWindow
from stockdesk.ui.session import Session
from stockdesk.ui.settings import PasswordStore, Settings
from stockdesk.ui.tasks import TaskRunner


def parse_args(argv: Sequence[str]) -> LaunchOptions:
    parser = argparse.ArgumentParser(
        prog="stockdesk", description="StockDesk stock ledger desktop client", allow_abbrev=False
    )
    parser.add_argument("--db", metavar="URL", help=f"database URL (default: ${DB_ENV_VAR}, else the saved choice)")
    parser.add_argument(
        "--demo", action="store_true", help=f"open {DEMO_FILE} in the data directory, filled with a demo business"
    )
    parser.add_argument("--user", metavar="NAME", help="sign in as this user without asking")
    # Qt consumes its own options (-style, -platform...) from sys.argv; ignore what we do not know.
    args, _qt_args = parser.parse_known_args(argv)
    url = (args.db or embedded_url(DEMO_FILE)) if args.demo else resolve_url(args.db)
    explicit = bool(args.db or args.demo or os.environ.get(DB_ENV_VAR))
    return LaunchOptions(db_url=url, demo=args.demo, explicit=explicit, user=args.user)


def build_session(ctx: Context, *, synchronous: bool = False) -> Session:
    """The runner and the change bus every screen shares; tests run tasks inline (`synchronous`)."""
    return Session(ctx, TaskRunner(synchronous=synchronous), ChangeBus(ctx))


def build_window(session: Session) -> MainWindow:
    return MainWindow(session, database_label=database_label(session.ctx.database.url))


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("StockDesk")
    app.setOrganizationName("StockDesk")
    app.setStyle("Fusion")
    app.setQuitOnLastWindowClosed(False)  # windows are replaced while dialogs ask; the launcher says when to quit
    launcher = Launcher(
        options,
        Settings(),
        PasswordStore(),
        TaskRunner(),
        connect=Database,
        open_window=lambda ctx: build_window(build_session(ctx)),
    )
    launcher.finished.connect(app.exit)
    launcher.start()
    try:
        return app.exec()
    finally:
        launcher.shut_down()


if __name__ == "__main__":
    sys.exit(main())
