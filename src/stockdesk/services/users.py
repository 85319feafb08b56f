"""Who may sign in, and the owner's user management: roles and deactivation.

A user is never deleted (postings name who made them); a deactivated user cannot sign in and
keeps their name. Some active owner must always remain, or nobody could manage users again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..db import users as users_db
from ..db.uow import Database, UnitOfWork
from ..domain.errors import InvalidInput, InvalidState, NotFound, PermissionDenied
from ..domain.postings import ChangeSet, Topic
from ..domain.users import Action, Role
from .context import Context


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool

    @property
    def label(self) -> str:
        """How a person recognises themselves in a list: 'Maria Lopez (maria)'."""
        if self.display_name == self.username:
            return self.username
        return f"{self.display_name} ({self.username})"


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise InvalidInput(f"A role is owner, manager or staff; '{text}' is not.") from None


def active_users(database: Database) -> list[UserRow]:
    """Who may sign in. Asked before anyone has signed in, so it takes the database, not a context."""
    with database.unit_of_work(write=False) as uow:
        return [_row(r) for r in users_db.user_rows(uow.connection, active_only=True)]


def all_users(ctx: Context) -> list[UserRow]:
    """Every user, deactivated ones too: the owner's list."""
    ctx.user.require(Action.MANAGE_USERS)
    with ctx.reading() as uow:
        return [_row(r) for r in users_db.user_rows(uow.connection, active_only=False)]


def set_role(ctx: Context, username: str, role: str) -> UserRow:
    ctx.user.require(Action.MANAGE_USERS)
    new_role = parse_role(role)
    with ctx.writing() as uow:
        user = _user(uow, username)
        _check_owners_remain(ctx, uow, user, user.role is Role.OWNER and user.active and new_role is not Role.OWNER)
        users_db.set_role(uow.connection, user.id, new_role)
        uow.commit(ChangeSet.of(Topic.USERS))
    return replace(user, role=new_role)


def deactivate(ctx: Context, username: str) -> UserRow:
    """The user can no longer sign in; what they posted keeps their name."""
    ctx.user.require(Action.MANAGE_USERS)
    with ctx.writing() as uow:
        user = _user(uow, username)
        if user.username == ctx.user.username:
            raise InvalidState("You cannot deactivate yourself while signed in; ask another owner.")
        _check_owners_remain(ctx, uow, user, user.role is Role.OWNER and user.active)
        users_db.set_active(uow.connection, user.id, False)
        uow.commit(ChangeSet.of(Topic.USERS))
    return replace(user, active=False)


def reactivate(ctx: Context, username: str) -> UserRow:
    ctx.user.require(Action.MANAGE_USERS)
    with ctx.writing() as uow:
        user = _user(uow, username)
        _check_owners_remain(ctx, uow, user, removes_an_owner=False)
        users_db.set_active(uow.connection, user.id, True)
        uow.commit(ChangeSet.of(Topic.USERS))
    return replace(user, active=True)


def _check_owners_remain(ctx: Context, uow: UnitOfWork, user: UserRow, removes_an_owner: bool) -> None:
    """The acting owner must still be one (another desk may have changed that), and an owner must remain."""
    owners = users_db.lock_active_owners(uow.connection)
    if ctx.user.id not in owners:
        raise PermissionDenied(f"{ctx.user.username} is no longer an active owner; sign in again.")
    if removes_an_owner and owners == {user.id}:
        raise InvalidState(
            f"{user.username} is the last active owner; make another user owner first, "
            "so that someone can still manage users."
        )


def _user(uow: UnitOfWork, username: str) -> UserRow:
    row = users_db.user_named(uow.connection, username.strip())
    if row is None:
        raise NotFound(f"There is no user called '{username}'.")
    return _row(row)


def _row(row) -> UserRow:
    return UserRow(row.id, row.username, row.display_name, Role(row.role), row.active)
