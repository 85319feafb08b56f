"""Entry point: global options, the command table, and the exit-code rules.

Exit 0 on success; 1 when the input is refused (one line on stderr, nothing written); 2 on
usage errors (argparse's own rule).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ..db.engine import DB_ENV_VAR, resolve_url
from ..db.migrate import current_revision, head_revision
from ..db.uow import Database, LockMode
from ..domain.errors import StockDeskError
from ..services.context import open_context
from . import (
    admin_commands,
    document_commands,
    import_commands,
    purchase_commands,
    putaway_commands,
    sales_commands,
    stock_commands,
)

USER_ENV_VAR = "STOCKDESK_USER"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stockdesk-cli", description="StockDesk stock ledger from the terminal.")
    parser.add_argument("--db", metavar="URL", help=f"SQLAlchemy URL (default: ${DB_ENV_VAR}, else the embedded file)")
    parser.add_argument("--user", help=f"act as this user (default: ${USER_ENV_VAR}, else the first owner)")
    parser.add_argument(
        "--locking",
        choices=[m.value for m in LockMode],
        default=LockMode.CONDITIONAL.value,
        help="how level rows are locked on PostgreSQL (default: conditional)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (
        admin_commands,
        stock_commands,
        document_commands,
        import_commands,
        purchase_commands,
        putaway_commands,
        sales_commands,
    ):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    database = Database(resolve_url(args.db), LockMode(args.locking))
    try:
        if not getattr(args, "needs_schema", True):
            return args.run(database, args) or 0
        _require_schema(database)
        ctx = open_context(database, args.user or os.environ.get(USER_ENV_VAR))
        return args.run(ctx, args) or 0
    except StockDeskError as refused:
        print(f"stockdesk-cli: {refused}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader (`| head`) stopped listening; the work is done, so leave quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        database.dispose()


def _require_schema(database: Database) -> None:
    current = current_revision(database.engine)
    if current != head_revision():
        state = "is empty" if current is None else f"is at schema {current}, not {head_revision()}"
        raise StockDeskError(f"The database {state}. Run 'stockdesk-cli init' to create or upgrade it.")


if __name__ == "__main__":
    sys.exit(main())
