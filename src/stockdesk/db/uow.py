"""The database handle and the unit of work: one connection, one transaction, repositories on it.

Leaving the `with` block without `commit()` rolls back, so a refusal raised anywhere inside a
service writes nothing. Each unit of work opens its own pooled connection, which is what makes
services safe to call from several worker threads at once.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from functools import cached_property

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from ..domain.contention import ContentionTracker
from ..domain.postings import NOTHING, ChangeSet
from . import notify
from .catalog import CatalogRepository
from .documents import DocumentRepository
from .engine import is_sqlite, make_engine
from .ledger import LedgerRepository
from .levels import LockMode
from .names import NameCache
from .purchasing import PurchasingRepository
from .queries import StockQueries
from .records import LocationRecord
from .sales import SalesRepository


class WriteConflict(Exception):
    """Another client committed a row this transaction also inserted (a new lot, serial or posting key,
    a reversal): the transaction was rolled back, and doing the work again will see their row."""


class Database:
    def __init__(self, url: str, lock_mode: LockMode = LockMode.CONDITIONAL) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.is_sqlite = is_sqlite(self.engine)
        self.lock_mode = lock_mode
        self.contention = ContentionTracker()
        self.names = NameCache()
        self.origin = uuid.uuid4().hex
        """This process's name in change notices, so a desktop skips its own."""
        self._subscribers: list[Callable[[ChangeSet], None]] = []

    def subscribe(self, deliver: Callable[[ChangeSet], None]) -> None:
        """Call `deliver` (on the committing thread) after every write of this process commits."""
        self._subscribers.append(deliver)

    def listen_to_others(self, deliver: Callable[[ChangeSet], None], stop: threading.Event) -> None:
        """Blocking: deliver other desktops' committed changes until `stop` is set (PostgreSQL only)."""
        if not self.is_sqlite:
            notify.listen(self.url, self.origin, deliver, stop)

    def published(self, changes: ChangeSet) -> None:
        if changes.is_empty:
            return
        for deliver in self._subscribers:
            deliver(changes)

    @cached_property
    def levelless_location_ids(self) -> frozenset[int]:
        """Virtual places without stored levels (supplier, customer, loss/gain, scrap). Fixed by the migrations."""
        loc = LocationRecord.__table__
        with self.engine.connect() as conn:
            return frozenset(conn.scalars(select(loc.c.id).where(loc.c.keeps_levels.is_(False))))

    def keeps_levels(self, location_id: int) -> bool:
        return location_id not in self.levelless_location_ids

    def unit_of_work(self, *, write: bool) -> UnitOfWork:
        return UnitOfWork(self, write=write)

    def describe(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()


class UnitOfWork:
    def __init__(self, database: Database, *, write: bool) -> None:
        self.database = database
        self.write = write
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        conn = self.database.engine.connect()
        if not self.write and not self.database.is_sqlite:
            # Reads run without a transaction on both engines: each statement is one consistent
            # snapshot (READ COMMITTED gives no more across statements anyway). On PostgreSQL this
            # also keeps psycopg's prepared statements: a ROLLBACK per read made the server plan
            # each query again, several times the cost of running it. (SQLite: see engine.py.)
            conn.execution_options(isolation_level="AUTOCOMMIT")
        self.connection: Connection = conn
        self._transaction = conn.begin()
        if self.write and self.database.is_sqlite:
            # Writers queue for the write lock up front (see engine.py). Issued here rather than from
            # a "begin" event hook: any engine event makes SQLAlchemy dispatch events on every statement.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        self.names = self.database.names.session()
        self.catalog = CatalogRepository(conn, self.names)
        self.ledger = LedgerRepository(conn, self.database, self.names)
        self.documents = DocumentRepository(conn)
        self.queries = StockQueries(conn, self.database)
        self.purchasing = PurchasingRepository(conn)
        self.sales = SalesRepository(conn)
        return self

    def commit(self, changes: ChangeSet = NOTHING) -> None:
        """Commit, and tell open views (here and, on PostgreSQL, on other desktops) what changed."""
        if not self.write:
            raise RuntimeError("a read-only unit of work cannot commit")
        if not changes.is_empty and not self.database.is_sqlite:
            notify.announce(self.connection, changes, self.database.origin)
        self._transaction.commit()
        self._committed = True
        self.names.publish()
        self.database.published(changes)

    def __exit__(self, exc_type, exc, traceback) -> None:
        try:
            if not self._committed:
                self._transaction.rollback()
                if not self.write:
                    self.names.publish()
        finally:
            self.connection.close()
        if isinstance(exc, IntegrityError) and _is_unique_violation(exc):
            raise WriteConflict(str(exc.orig)) from exc


def _is_unique_violation(error: IntegrityError) -> bool:
    """CHECK and foreign-key failures are bugs to surface; only a unique key lost to a racing client is retried."""
    code = getattr(error.orig, "sqlstate", None)
    if code is not None:
        return code == "23505"
    return "UNIQUE constraint failed" in str(error.orig)
