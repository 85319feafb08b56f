"""Roles and what each may do; the services check these, the UI only mirrors them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import PermissionDenied


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    STAFF = "staff"


class Action(StrEnum):
    ADJUST = "make adjustments"
    APPROVE_TRANSFER = "approve transfers"
    POST_COUNT = "post cycle counts"
    MANAGE_USERS = "manage users"
    REPAIR = "repair stock levels"
    EDIT_CATALOG = "edit the catalogue"
    RECALL_LOT = "recall a lot"
    PURCHASE = "manage suppliers and purchase orders"
    OVERRIDE_PACKING = "ship an order that has not been verified"


_ALLOWED: dict[Role, frozenset[Action]] = {
    Role.OWNER: frozenset(Action),
    Role.MANAGER: frozenset(Action) - {Action.MANAGE_USERS},
    Role.STAFF: frozenset(),
}


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: Role

    def may(self, action: Action) -> bool:
        return action in _ALLOWED[self.role]

    def require(self, action: Action) -> None:
        if not self.may(action):
            raise PermissionDenied(
                f"{self.username} is signed in as {self.role.value} and may not {action.value}; "
                "ask a manager or the owner."
            )
