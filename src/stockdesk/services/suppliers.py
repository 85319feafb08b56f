"""Suppliers: who purchase orders go to, their lead time, and how far past the ordered quantity
their deliveries may be accepted (the over-receipt tolerance receiving checks against)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import validate
from ..domain.errors import AlreadyExists, InvalidInput, NotFound
from ..domain.postings import ChangeSet, Topic
from ..domain.users import Action
from .context import Context


@dataclass(frozen=True)
class SupplierRow:
    id: int
    code: str
    name: str
    email: str | None
    phone: str | None
    lead_time_days: int
    over_receipt_pct: int
    active: bool


def _row(record) -> SupplierRow:
    return SupplierRow(
        record.id,
        record.code,
        record.name,
        record.email,
        record.phone,
        record.lead_time_days,
        record.over_receipt_pct,
        record.active,
    )


def find(uow, code: str, *, active: bool = False):
    """The supplier by code; `active` also refuses one that was deactivated."""
    found = uow.purchasing.supplier_by_code((code or "").strip())
    if found is None:
        raise NotFound(f"There is no supplier '{code}'. Check the code, or add the supplier first.")
    if active and not found.active:
        raise InvalidInput(f"Supplier {found.code} is inactive; reactivate it before ordering from it.")
    return found


def _name(value: str | None) -> str:
    name = (value or "").strip()
    if not name:
        raise InvalidInput("A supplier needs a name.")
    if len(name) > 200:
        raise InvalidInput(f"The supplier name is longer than 200 characters: '{name[:20]}...'.")
    return name


def _contact(email: str | None, phone: str | None) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    if email is not None:
        email = email.strip() or None
        if email is not None and ("@" not in email or len(email) > 200):
            raise InvalidInput(f"'{email}' is not an e-mail address; write it like orders@example.com.")
        values["email"] = email
    if phone is not None:
        phone = phone.strip() or None
        if phone is not None and len(phone) > 64:
            raise InvalidInput("The phone number is longer than 64 characters.")
        values["phone"] = phone
    return values


def _terms(lead_time_days: object, over_receipt_pct: object) -> dict[str, int]:
    values = {}
    if lead_time_days is not None:
        values["lead_time_days"] = validate.quantity(lead_time_days, what="Lead time (days)", allow_zero=True)
    if over_receipt_pct is not None:
        values["over_receipt_pct"] = validate.quantity(
            over_receipt_pct, what="Over-receipt tolerance (%)", allow_zero=True
        )
    return values


def add_supplier(
    ctx: Context,
    code: str,
    name: str,
    *,
    email: str | None = None,
    phone: str | None = None,
    lead_time_days: int | str = 7,
    over_receipt_pct: int | str = 0,
) -> SupplierRow:
    ctx.user.require(Action.PURCHASE)
    values = {
        "code": validate.code(code, what="Supplier code"),
        "name": _name(name),
        "email": None,
        "phone": None,
        **_contact(email, phone),
        **_terms(lead_time_days, over_receipt_pct),
        "active": True,
    }
    with ctx.writing() as uow:
        if uow.purchasing.supplier_by_code(values["code"]) is not None:
            raise AlreadyExists(f"Supplier {values['code']} already exists; change it with update instead.")
        supplier_id = uow.purchasing.add_supplier(**values)
        row = _row(uow.purchasing.supplier(supplier_id))
        uow.commit(ChangeSet.of(Topic.PURCHASING))
    return row


def update_supplier(
    ctx: Context,
    code: str,
    *,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    lead_time_days: int | str | None = None,
    over_receipt_pct: int | str | None = None,
    active: bool | None = None,
) -> SupplierRow:
    """Change the given fields only; an empty e-mail or phone clears it."""
    ctx.user.require(Action.PURCHASE)
    values: dict[str, object] = {**_contact(email, phone), **_terms(lead_time_days, over_receipt_pct)}
    if name is not None:
        values["name"] = _name(name)
    if active is not None:
        values["active"] = bool(active)
    with ctx.writing() as uow:
        supplier = find(uow, code)
        if values:
            uow.purchasing.update_supplier(supplier.id, **values)
        row = _row(uow.purchasing.supplier(supplier.id))
        uow.commit(ChangeSet.of(Topic.PURCHASING))
    return row


def list_suppliers(ctx: Context, *, include_inactive: bool = False) -> list[SupplierRow]:
    with ctx.reading() as uow:
        return [_row(r) for r in uow.purchasing.suppliers(include_inactive=include_inactive)]
