"""Products, variants, locations, lots and users: the things the ledger talks about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..db import users as users_db
from ..domain import validate
from ..domain.catalog import LocationRow, LotRow, VariantRow
from ..domain.errors import AlreadyExists, InvalidInput
from ..domain.postings import ChangeSet, Topic
from ..domain.quantities import LocationKind, Tracking
from ..domain.users import Action, User
from ..domain.validate import money
from . import resolve, users
from .context import Context

CHILD_KINDS = [LocationKind.ZONE, LocationKind.AISLE, LocationKind.RACK, LocationKind.BIN]


@dataclass(frozen=True)
class NewProduct:
    sku: str
    name: str
    barcode: str | None = None
    tracking: str = "none"
    cost: object = 0
    price: object = 0
    reorder_point: object = 0
    category: str | None = None
    unit: str = "each"
    attributes: dict[str, Any] | None = None
    variant_of: str | None = None
    """SKU of an existing variant: the new SKU becomes another variant of that product."""

    def checked(self) -> NewProduct:
        """The same product with every field validated and normalised, or a refusal naming the field."""
        try:
            tracking = Tracking((self.tracking or "none").strip().lower())
        except ValueError:
            raise InvalidInput(f"Tracking must be none, lot or serial; '{self.tracking}' is not.") from None
        name = (self.name or "").strip()
        if not name:
            raise InvalidInput(f"Product {self.sku} needs a name.")
        return NewProduct(
            sku=validate.code(self.sku, what="SKU"),
            name=name[:300],
            barcode=validate.code(self.barcode, what="Barcode") if self.barcode else None,
            tracking=tracking.value,
            cost=money(self.cost, what="Cost"),
            price=money(self.price, what="Price"),
            reorder_point=validate.quantity(self.reorder_point, what="Reorder point", allow_zero=True),
            category=(self.category or "").strip() or None,
            unit=self.unit or "each",
            attributes=dict(self.attributes or {}),
            variant_of=(self.variant_of or "").strip() or None,
        )


def add_product(ctx: Context, product: NewProduct) -> VariantRow:
    """A product with its one variant; more variants of the same product share its product_id."""
    ctx.user.require(Action.EDIT_CATALOG)
    product = product.checked()
    with ctx.writing() as uow:
        variant_id = _insert(uow, product)
        row = uow.catalog.variant(variant_id)
        uow.commit(ChangeSet.of(Topic.CATALOG))
    return row


def _insert(uow, product: NewProduct) -> int:
    for code, what in ((product.sku, "SKU"), (product.barcode, "Barcode")):
        if code and uow.catalog.code_taken(code):
            raise AlreadyExists(f"{what} {code} is already used by another item.")
    if product.variant_of:
        # Another size or colour of an existing product: it shares the product's tracking mode.
        product_id = resolve.variant(uow, product.variant_of).product_id
    else:
        product_id = uow.catalog.add_product(
            name=product.name, category=product.category, unit=product.unit, tracking=Tracking(product.tracking)
        )
    return uow.catalog.add_variant(
        product_id=product_id,
        sku=product.sku,
        name=product.name,
        barcode=product.barcode,
        attributes=product.attributes,
        unit_cost=product.cost,
        price=product.price,
        reorder_point=product.reorder_point,
    )


def add_products(uow, products: list[NewProduct]) -> int:
    """Insert already-checked products inside the caller's unit of work (used by the importer)."""
    return sum(1 for product in products if _insert(uow, product))


def edit_variant(ctx: Context, sku: str, **changes: object) -> VariantRow:
    ctx.user.require(Action.EDIT_CATALOG)
    allowed = {"name", "barcode", "cost", "price", "reorder_point", "attributes", "weight_grams"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(f"Cannot change {', '.join(sorted(unknown))} of an item.")
    values: dict[str, object] = {}
    if "name" in changes:
        values["name"] = str(changes["name"]).strip() or _fail("An item needs a name.")
    if "barcode" in changes:
        values["barcode"] = validate.code(str(changes["barcode"]), what="Barcode") if changes["barcode"] else None
    if "cost" in changes:
        values["unit_cost"] = money(changes["cost"], what="Cost")
    if "price" in changes:
        values["price"] = money(changes["price"], what="Price")
    if "reorder_point" in changes:
        values["reorder_point"] = validate.quantity(changes["reorder_point"], what="Reorder point", allow_zero=True)
    if "weight_grams" in changes:  # one unit's shipping weight, for the packing bench's weight check
        weight = changes["weight_grams"]
        values["weight_grams"] = None if weight is None else validate.quantity(weight, what="Weight in grams")
    if "attributes" in changes:
        values["attributes"] = dict(changes["attributes"])  # type: ignore[call-overload]
    with ctx.writing() as uow:
        item = resolve.variant(uow, sku)
        barcode = values.get("barcode")
        if barcode and barcode != item.barcode and uow.catalog.code_taken(str(barcode)):
            raise AlreadyExists(f"Barcode {barcode} is already used by another item.")
        uow.catalog.update_variant(item.id, **values)
        row = uow.catalog.variant(item.id)
        uow.commit(ChangeSet.of(Topic.CATALOG))
    return row


def _fail(message: str):
    raise InvalidInput(message)


def add_location(
    ctx: Context,
    code: str,
    *,
    name: str | None = None,
    parent: str | None = None,
    kind: str | None = None,
    sort_key: str | None = None,
) -> LocationRow:
    """A site (no parent) or a zone/aisle/rack/bin under one; sort_key sets the walking order."""
    ctx.user.require(Action.EDIT_CATALOG)
    code = validate.code(code, what="Location code")
    if code.startswith("@"):
        raise InvalidInput("Location codes starting with @ are reserved for virtual places.")
    if kind is None:
        kind_value = LocationKind.BIN if parent else LocationKind.SITE
    else:
        try:
            kind_value = LocationKind(kind.strip().lower())
        except ValueError:
            raise InvalidInput(f"A location is a site, zone, aisle, rack or bin; '{kind}' is not.") from None
    if kind_value.is_virtual:
        raise InvalidInput("Virtual places (supplier, customer, loss, scrap, transit) exist already.")
    if (kind_value is LocationKind.SITE) != (parent is None):
        raise InvalidInput("A site has no parent; every other location needs one (--parent).")
    with ctx.writing() as uow:
        if uow.catalog.location_by_code(code) is not None:
            raise AlreadyExists(f"Location {code} already exists.")
        parent_row = resolve.location(uow, parent) if parent else None
        row = uow.catalog.add_location(
            code=code, name=(name or code).strip(), kind=kind_value, parent=parent_row, sort_key=sort_key or code
        )
        uow.commit(ChangeSet.of(Topic.CATALOG))
    return row


def add_lot(
    ctx: Context,
    sku: str,
    number: str,
    *,
    supplier: str | None = None,
    manufactured_on: str | date | None = None,
    expires_on: str | date | None = None,
    certificate_ref: str | None = None,
) -> LotRow:
    number = validate.code(number, what="Lot number")
    made = validate.iso_date(manufactured_on, what="Manufacture date")
    expiry = validate.iso_date(expires_on, what="Expiry date")
    with ctx.writing() as uow:
        item = resolve.variant(uow, sku)
        if item.tracking is not Tracking.LOT:
            raise InvalidInput(f"{item.sku} is not tracked by lot.")
        if uow.catalog.lot_by_number(item.id, number) is not None:
            raise AlreadyExists(f"{item.sku} already has a lot {number}.")
        row = uow.catalog.add_lot(
            variant_id=item.id,
            number=number,
            supplier=supplier,
            manufactured_on=made,
            expires_on=expiry,
            certificate_ref=certificate_ref,
        )
        uow.commit(ChangeSet.of(Topic.CATALOG))
    return row


def add_user(ctx: Context, username: str, *, role: str, display_name: str | None = None) -> User:
    ctx.user.require(Action.MANAGE_USERS)
    username = validate.code(username, what="User name")
    role_value = users.parse_role(role)
    with ctx.writing() as uow:
        existing = users_db.user_named(uow.connection, username)
        if existing is not None:
            deactivated = "" if existing.active else " (deactivated: reactivate them in Users instead)"
            raise AlreadyExists(f"There is already a user called {username}{deactivated}.")
        user = uow.catalog.add_user(username=username, display_name=display_name or username, role=role_value)
        uow.commit(ChangeSet.of(Topic.USERS))
    return user


def find_variant(ctx: Context, code: str) -> VariantRow:
    with ctx.reading() as uow:
        return resolve.variant(uow, code)


@dataclass(frozen=True)
class ReasonRow:
    code: str
    description: str
    direction: str
    """'in' only adds stock, 'out' only removes it, 'any' both."""


def reason_codes(ctx: Context) -> list[ReasonRow]:
    """The reason codes a user may pick for an adjustment."""
    with ctx.reading() as uow:
        return [ReasonRow(r.code, r.description, r.direction) for r in uow.catalog.selectable_reason_rows()]


def locations(ctx: Context) -> list[LocationRow]:
    """Every site and the places under them (no virtual places), parents before children."""
    with ctx.reading() as uow:
        return uow.catalog.physical_locations()


def sites(ctx: Context) -> list[LocationRow]:
    return [place for place in locations(ctx) if place.kind is LocationKind.SITE]
