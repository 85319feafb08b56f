"""Products, variants, locations, lots, serials, users and reason codes: lookups and inserts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, case, func, insert, or_, select, update

from ..domain.catalog import LocationRow, LotRow, SerialRow, VariantRow
from ..domain.errors import InsufficientStock
from ..domain.quantities import LocationKind, Tracking
from ..domain.users import Role, User
from .names import NameSession
from .records import (
    locations,
    lots,
    products,
    reasons,
    serials,
    users,
    variants,
)

_VARIANT_COLUMNS = (
    variants.c.id,
    variants.c.product_id,
    variants.c.sku,
    variants.c.name,
    variants.c.barcode,
    products.c.tracking,
    variants.c.unit_cost,
    variants.c.price,
    variants.c.reorder_point,
    products.c.category,
    variants.c.attributes,
    variants.c.weight_grams,
)


_VARIANTS = select(*_VARIANT_COLUMNS).join(products, products.c.id == variants.c.product_id)
# Built once: building a statement costs more than running it on SQLite.
_VARIANT_BY_CODE = (
    _VARIANTS.where(or_(variants.c.sku == bindparam("code"), variants.c.barcode == bindparam("code")))
    .order_by(case((variants.c.sku == bindparam("code"), 0), else_=1))
    .limit(1)
)
_VARIANT_BY_ID = _VARIANTS.where(variants.c.id == bindparam("variant_id"))


def _variant(row) -> VariantRow:
    return VariantRow(
        id=row.id,
        product_id=row.product_id,
        sku=row.sku,
        name=row.name,
        barcode=row.barcode,
        tracking=Tracking(row.tracking),
        unit_cost=Decimal(row.unit_cost),
        price=Decimal(row.price),
        reorder_point=row.reorder_point,
        category=row.category,
        attributes=row.attributes or {},
        weight_grams=row.weight_grams,
    )


def _location(row) -> LocationRow:
    return LocationRow(
        id=row.id,
        code=row.code,
        name=row.name,
        kind=LocationKind(row.kind),
        parent_id=row.parent_id,
        site_id=row.site_id,
        path=row.path,
        sort_key=row.sort_key,
    )


def _lot(row) -> LotRow:
    return LotRow(
        id=row.id,
        variant_id=row.variant_id,
        number=row.number,
        supplier=row.supplier,
        manufactured_on=row.manufactured_on,
        expires_on=row.expires_on,
        certificate_ref=row.certificate_ref,
    )


class CatalogRepository:
    def __init__(self, conn: Connection, names: NameSession) -> None:
        self.conn = conn
        self.names = names

    # -- variants ---------------------------------------------------------------------------

    def variant_by_code(self, code: str) -> VariantRow | None:
        """By SKU, else by barcode (a scanner may give either), in one statement."""
        row = self.conn.execute(_VARIANT_BY_CODE, {"code": code}).first()
        return _variant(row) if row else None

    def variant(self, variant_id: int) -> VariantRow:
        return _variant(self.conn.execute(_VARIANT_BY_ID, {"variant_id": variant_id}).one())

    def code_taken(self, code: str) -> bool:
        return (
            self.conn.execute(
                select(variants.c.id).where(or_(variants.c.sku == code, variants.c.barcode == code))
            ).first()
            is not None
        )

    def add_product(self, *, name: str, category: str | None, unit: str, tracking: Tracking) -> int:
        return self.conn.execute(
            insert(products)
            .values(name=name, category=category, unit=unit, tracking=tracking.value)
            .returning(products.c.id)
        ).scalar_one()

    def add_variant(
        self,
        *,
        product_id: int,
        sku: str,
        name: str,
        barcode: str | None,
        attributes: dict[str, Any],
        unit_cost: Decimal,
        price: Decimal,
        reorder_point: int,
    ) -> int:
        return self.conn.execute(
            insert(variants)
            .values(
                product_id=product_id,
                sku=sku,
                name=name,
                barcode=barcode,
                attributes=attributes,
                unit_cost=unit_cost,
                price=price,
                reorder_point=reorder_point,
                active=True,
            )
            .returning(variants.c.id)
        ).scalar_one()

    def update_variant(self, variant_id: int, **values: Any) -> None:
        self.conn.execute(update(variants).where(variants.c.id == variant_id).values(**values))

    def variant_count(self) -> int:
        return self.conn.execute(select(func.count()).select_from(variants)).scalar_one()

    # -- locations --------------------------------------------------------------------------

    def location_by_code(self, code: str) -> LocationRow | None:
        def load() -> LocationRow | None:
            row = self.conn.execute(select(locations).where(locations.c.code == code)).one_or_none()
            return _location(row) if row else None

        return self.names.remember("location-by-code", code, load)

    def location(self, location_id: int) -> LocationRow:
        return self.names.remember(
            "location-by-id",
            location_id,
            lambda: _location(self.conn.execute(select(locations).where(locations.c.id == location_id)).one()),
        )

    def add_location(
        self, *, code: str, name: str, kind: LocationKind, parent: LocationRow | None, sort_key: str
    ) -> LocationRow:
        new_id = self.conn.execute(
            insert(locations)
            .values(
                code=code,
                name=name,
                kind=kind.value,
                parent_id=parent.id if parent else None,
                path="",
                sort_key=sort_key,
                is_virtual=False,
                keeps_levels=True,
            )
            .returning(locations.c.id)
        ).scalar_one()
        path = f"{parent.path if parent else '/'}{new_id}/"
        site_id = parent.site_id if parent else new_id
        self.conn.execute(update(locations).where(locations.c.id == new_id).values(path=path, site_id=site_id))
        return self.location(new_id)

    def physical_locations(self) -> list[LocationRow]:
        rows = self.conn.execute(select(locations).where(locations.c.is_virtual.is_(False)).order_by(locations.c.path))
        return [_location(r) for r in rows]

    # -- lots and serials -------------------------------------------------------------------

    def lot_by_number(self, variant_id: int, number: str) -> LotRow | None:
        row = self.conn.execute(
            select(lots).where(lots.c.variant_id == variant_id, lots.c.number == number)
        ).one_or_none()
        return _lot(row) if row else None

    def lot(self, lot_id: int) -> LotRow:
        return _lot(self.conn.execute(select(lots).where(lots.c.id == lot_id)).one())

    def lots_numbered(self, number: str) -> list[LotRow]:
        return [_lot(r) for r in self.conn.execute(select(lots).where(lots.c.number == number, lots.c.id != 0))]

    def add_lot(
        self,
        *,
        variant_id: int,
        number: str,
        supplier: str | None,
        manufactured_on: date | None,
        expires_on: date | None,
        certificate_ref: str | None,
    ) -> LotRow:
        lot_id = self.conn.execute(
            insert(lots)
            .values(
                variant_id=variant_id,
                number=number,
                supplier=supplier,
                manufactured_on=manufactured_on,
                expires_on=expires_on,
                certificate_ref=certificate_ref,
            )
            .returning(lots.c.id)
        ).scalar_one()
        return self.lot(lot_id)

    def serial(self, variant_id: int, serial_number: str) -> SerialRow | None:
        row = self.conn.execute(
            select(serials, locations.c.code, locations.c.kind)
            .join(locations, locations.c.id == serials.c.location_id)
            .where(serials.c.variant_id == variant_id, serials.c.serial_number == serial_number)
        ).one_or_none()
        return _serial(row) if row else None

    def serials_numbered(self, serial_number: str) -> list[SerialRow]:
        rows = self.conn.execute(
            select(serials, locations.c.code, locations.c.kind)
            .join(locations, locations.c.id == serials.c.location_id)
            .where(serials.c.serial_number == serial_number)
        )
        return [_serial(r) for r in rows]

    def add_serial(self, *, variant_id: int, serial_number: str, lot_id: int, location_id: int) -> int:
        """A new unit starts at the virtual place it comes from; its first movement brings it in."""
        return self.conn.execute(
            insert(serials)
            .values(
                variant_id=variant_id,
                serial_number=serial_number,
                lot_id=lot_id,
                location_id=location_id,
                bucket="A",
            )
            .returning(serials.c.id)
        ).scalar_one()

    def free_serials(self, variant_id: int, place: LocationRow, count: int) -> list[SerialRow]:
        """`count` free units in a place's subtree, in walking order, then by serial number (automatic picks)."""
        rows = self.conn.execute(
            select(serials, locations.c.code, locations.c.kind)
            .join(locations, locations.c.id == serials.c.location_id)
            .where(
                serials.c.variant_id == variant_id,
                locations.c.path.startswith(place.path),
                serials.c.bucket == "A",
            )
            .order_by(locations.c.sort_key, locations.c.code, serials.c.serial_number)
            .limit(count)
        ).all()
        if len(rows) < count:
            raise InsufficientStock(f"Only {len(rows)} units are free in {place.code}; {count} needed.")
        return [_serial(r) for r in rows]

    # -- users and reasons ------------------------------------------------------------------

    def user_by_name(self, username: str) -> User | None:
        row = self.conn.execute(
            select(users).where(users.c.username == username, users.c.active.is_(True))
        ).one_or_none()
        return User(row.id, row.username, Role(row.role)) if row else None

    def first_owner(self) -> User:
        row = self.conn.execute(
            select(users).where(users.c.role == Role.OWNER.value, users.c.active.is_(True)).order_by(users.c.id)
        ).first()
        return User(row.id, row.username, Role(row.role))

    def add_user(self, *, username: str, display_name: str, role: Role) -> User:
        user_id = self.conn.execute(
            insert(users)
            .values(username=username, display_name=display_name, role=role.value, active=True)
            .returning(users.c.id)
        ).scalar_one()
        return User(user_id, username, role)

    def reason(self, code: str):
        return self.conn.execute(select(reasons).where(reasons.c.code == code)).one_or_none()

    def selectable_reason_rows(self):
        return self.conn.execute(
            select(reasons).where(reasons.c.user_selectable.is_(True)).order_by(reasons.c.code)
        ).all()

    def selectable_reasons(self) -> list[str]:
        return [row.code for row in self.selectable_reason_rows()]


def _serial(row) -> SerialRow:
    return SerialRow(
        id=row.id,
        variant_id=row.variant_id,
        serial_number=row.serial_number,
        lot_id=row.lot_id,
        location_id=row.location_id,
        location_code=row.code,
        location_kind=LocationKind(row.kind),
        bucket=row.bucket,
    )
