"""Small, explicit fixtures data and a snapshot of every table, for 'nothing was written' checks."""

from __future__ import annotations

from sqlalchemy import select, text

from stockdesk.db.records import Base
from stockdesk.services import catalog
from stockdesk.services.context import Context

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
