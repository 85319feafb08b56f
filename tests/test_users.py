"""Users and roles: owners manage users, an active owner always remains, the others are refused."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event

from stockdesk.domain.errors import AlreadyExists, InvalidInput, InvalidState, NotFound, PermissionDenied
from stockdesk.domain.users import Role
from stockdesk.services import catalog, users
from stockdesk.services.context import Context, open_context
from tests.builders import as_user, refused


@pytest.fixture
def shop(ctx: Context) -> Context:
    """The owner, a manager and a staff member."""
    catalog.add_user(ctx, "maria", role="manager", display_name="Maria Lopez")
    catalog.add_user(ctx, "sam", role="staff", display_name="Sam Patel")
    return ctx


def roles(ctx: Context) -> dict[str, tuple[Role, bool]]:
    return {row.username: (row.role, row.active) for row in users.all_users(ctx)}


def test_the_sign_in_list_holds_the_active_users_by_name(shop):
    users.deactivate(shop, "sam")

    listed = users.active_users(shop.database)

    assert [row.label for row in listed] == ["Maria Lopez (maria)", "Owner (owner)"]


def test_an_owner_changes_a_role_and_the_user_acts_with_it_at_next_sign_in(shop):
    changed = users.set_role(shop, "sam", "Manager")

    assert changed.role is Role.MANAGER
    assert roles(shop)["sam"] == (Role.MANAGER, True)
    assert open_context(shop.database, "sam").user.role is Role.MANAGER


def test_a_deactivated_user_cannot_sign_in_and_can_be_reactivated(shop):
    users.deactivate(shop, "sam")

    assert roles(shop)["sam"] == (Role.STAFF, False)
    with pytest.raises(NotFound, match="no active user called 'sam'"):
        open_context(shop.database, "sam")

    users.reactivate(shop, "sam")
    assert open_context(shop.database, "sam").user.username == "sam"


def test_a_deactivated_users_name_stays_taken(shop):
    users.deactivate(shop, "sam")

    with refused(shop, AlreadyExists, r"already a user called sam \(deactivated: reactivate them"):
        catalog.add_user(shop, "sam", role="staff")


@pytest.mark.parametrize("role", ["manager", "staff"])
def test_only_owners_manage_users(shop, role):
    other = as_user(shop, f"a_{role}", role)

    for attempt in (
        lambda: users.set_role(other, "sam", "owner"),
        lambda: users.deactivate(other, "sam"),
        lambda: users.reactivate(other, "sam"),
        lambda: users.all_users(other),
        lambda: catalog.add_user(other, "eve", role="owner"),
    ):
        with refused(shop, PermissionDenied, f"signed in as {role} and may not manage users"):
            attempt()


def test_the_last_owner_cannot_step_down(shop):
    with refused(shop, InvalidState, "owner is the last active owner; make another user owner first"):
        users.set_role(shop, "owner", "manager")


def test_an_owner_may_step_down_once_another_owner_exists(shop):
    users.set_role(shop, "maria", "owner")

    users.set_role(shop, "owner", "manager")

    assert roles(shop)["owner"] == (Role.MANAGER, True) and roles(shop)["maria"] == (Role.OWNER, True)


def test_nobody_deactivates_themselves(shop):
    users.set_role(shop, "maria", "owner")

    with refused(shop, InvalidState, "cannot deactivate yourself"):
        users.deactivate(shop, "owner")


def test_an_owner_removed_on_another_desk_is_refused_here(shop):
    users.set_role(shop, "maria", "owner")
    maria = open_context(shop.database, "maria")
    users.deactivate(maria, "owner")

    with refused(shop, PermissionDenied, "owner is no longer an active owner; sign in again"):
        users.set_role(shop, "sam", "owner")


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda ctx: users.set_role(ctx, "sam", "boss"), InvalidInput, "A role is owner, manager or staff; 'boss'"),
        (lambda ctx: users.set_role(ctx, "nobody", "staff"), NotFound, "no user called 'nobody'"),
        (lambda ctx: users.deactivate(ctx, "nobody"), NotFound, "no user called 'nobody'"),
    ],
)
def test_bad_requests_are_refused(shop, call, error, match):
    with refused(shop, error, match):
        call(shop)


def test_two_owners_stepping_down_at_once_leave_one_owner(shop):
    """The first to change a role waits before committing; without the owners' lock the second would
    read two owners meanwhile and step down too."""
    users.set_role(shop, "maria", "owner")
    desks = {"owner": shop, "maria": open_context(shop.database, "maria")}
    start = threading.Barrier(len(desks))
    first_update = threading.Lock()
    outcomes: dict[str, str] = {}

    def linger(_conn, _cursor, statement, *_args) -> None:
        if statement.startswith("UPDATE users") and first_update.acquire(blocking=False):
            time.sleep(0.5)

    def step_down(name: str) -> None:
        start.wait()
        try:
            users.set_role(desks[name], name, "manager")
            outcomes[name] = "stepped down"
        except InvalidState:
            outcomes[name] = "refused"

    event.listen(shop.database.engine, "after_cursor_execute", linger)
    threads = [threading.Thread(target=step_down, args=(name,)) for name in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    event.remove(shop.database.engine, "after_cursor_execute", linger)

    assert sorted(outcomes.values()) == ["refused", "stepped down"]
    owners = [row.username for row in users.active_users(shop.database) if row.role is Role.OWNER]
    assert len(owners) == 1 and outcomes[owners[0]] == "refused"
