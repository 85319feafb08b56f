"""Users for the sign-in list and the owner's user management: lists, role changes, deactivation."""

from __future__ import annotations

from sqlalchemy import Connection, Row, func, select, update

from ..domain.users import Role
from .records import users


def user_rows(conn: Connection, *, active_only: bool) -> list[Row]:
    """By display name, as people look for themselves in a list."""
    query = select(users).order_by(func.lower(users.c.display_name), users.c.username)
    if active_only:
        query = query.where(users.c.active.is_(True))
    return list(conn.execute(query).all())


def user_named(conn: Connection, username: str) -> Row | None:
    """Active or not: a deactivated user's name stays taken."""
    return conn.execute(select(users).where(users.c.username == username)).one_or_none()


def lock_active_owners(conn: Connection) -> set[int]:
    """The active owners' ids, locked on PostgreSQL until commit, so two owners demoting each other at
    once cannot both pass the 'one owner must remain' check (SQLite writers are serialised already)."""
    query = select(users.c.id).where(users.c.role == Role.OWNER.value, users.c.active.is_(True))
    return set(conn.scalars(query.with_for_update()))


def set_role(conn: Connection, user_id: int, role: Role) -> None:
    conn.execute(update(users).where(users.c.id == user_id).values(role=role.value))


def set_active(conn: Connection, user_id: int, active: bool) -> None:
    conn.execute(update(users).where(users.c.id == user_id).values(active=active))
