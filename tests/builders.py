"""Small, explicit fixtures data and a snapshot of every table, for 'nothing was written' checks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import select, text

from stockdesk.db.migrate import alembic_config
from stockdesk.db.records import Base
from stockdesk.db.uow import Database
from stockdesk.services import catalog, queries
from stockdesk.services.context import Context, open_context

SITES = {
    "WH1": ["WH1-A-01", "WH1-A-02", "WH1-B-01"],
    "SHOP": ["SHOP-FRONT", "SHOP-BACK"],
}
PRODUCTS = [
    catalog.NewProduct(
        "TEE-M", "T-shirt, M, blue", barcode="4006381333931", cost="4.50", price="12.00", reorder_point=5
    ),
    catalog.NewProduct("MILK-1L", "Milk 1 l", tracking="lot", cost="0.60", price="1.20"),
    catalog.NewProduct("PHONE-X", "Phone X", tracking="serial", cost="200", price="350"),
]


def build_world(ctx: Context) -> None:
    for site, bins in SITES.items():
        catalog.add_location(ctx, site, name=site.title())
        for code in bins:
            catalog.add_location(ctx, code, name=code, parent=site)
    for product in PRODUCTS:
        catalog.add_product(ctx, product)


def snapshot(ctx: Context) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: equal snapshots mean nothing was written."""
    tables = {}
    with ctx.reading() as uow:
        for table in Base.metadata.sorted_tables:
            rows = uow.connection.execute(select(table)).all()
            tables[table.name] = sorted(tuple(str(v) for v in row) for row in rows)
        tables["alembic_version"] = [tuple(r) for r in uow.connection.execute(text("SELECT * FROM alembic_version"))]
    return tables


class Clock:
    """A settable clock for a context: `ctx.clock = Clock(...)`, then move it with `advance`."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def freeze(ctx: Context, now: datetime = datetime(2030, 6, 1, 9, 0)) -> Clock:
    """Pin `ctx` to a clock starting at `now` (naive UTC, like every stored timestamp)."""
    ctx.clock = Clock(now)
    return ctx.clock


def as_user(ctx: Context, username: str, role: str = "staff") -> Context:
    """A second desktop on the same database, signed in as a new user with `role`."""
    catalog.add_user(ctx, username, role=role)
    return open_context(ctx.database, username)


def level(ctx: Context, sku: str, at: str) -> tuple[int, int, int]:
    """(on hand, reserved, quarantined) of `sku` at exactly `at`, summed over lots."""
    rows = [r for r in queries.stock(ctx, sku) if r.location == at]
    return (sum(r.on_hand for r in rows), sum(r.reserved for r in rows), sum(r.quarantined for r in rows))


@contextmanager
def refused(ctx: Context, error: type[Exception], match: str) -> Iterator[pytest.ExceptionInfo]:
    """The block must raise `error` with a message matching `match`, and leave every table as it was."""
    before = snapshot(ctx)
    with pytest.raises(error, match=match) as caught:
        yield caught
    assert snapshot(ctx) == before, "a refused operation wrote to the database"


def at_first_schema(database: Database, site: str, name: str) -> None:
    """Migrate `database` to the first revision only, with one site in it (the data an upgrade must keep).

    Written in SQL: today's services write today's columns, which the oldest schema does not have."""
    command.upgrade(alembic_config(database.engine), "0001")
    with database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO locations (code, name, kind, path, sort_key, is_virtual, keeps_levels) "
                "VALUES (:code, :name, 'site', '', '', false, true)"
            ),
            {"code": site, "name": name},
        )
        conn.execute(
            text("UPDATE locations SET site_id = id, path = '/' || CAST(id AS VARCHAR) || '/' WHERE code = :code"),
            {"code": site},
        )
