"""Who is acting, on which database: passed to every service call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ..db.uow import Database, UnitOfWork
from ..domain.errors import NotFound
from ..domain.users import User


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class Context:
    database: Database
    user: User
    clock: Callable[[], datetime] = field(default=utc_now)
    """Naive UTC now; demo data and tests set it to post with past timestamps."""

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.now().date()

    def reading(self) -> UnitOfWork:
        return self.database.unit_of_work(write=False)

    def writing(self) -> UnitOfWork:
        return self.database.unit_of_work(write=True)


def open_context(database: Database, username: str | None = None) -> Context:
    """Act as `username`, or as the first owner when none is given (a single-user shop)."""
    with database.unit_of_work(write=False) as uow:
        user = uow.catalog.user_by_name(username) if username else uow.catalog.first_owner()
    if user is None:
        raise NotFound(f"There is no active user called '{username}'. Ask the owner to add you.")
    return Context(database, user)
