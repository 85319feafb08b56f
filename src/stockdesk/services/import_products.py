"""Importing products (one variant each) in bulk; and the report every import returns."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..db import bulk
from ..domain.errors import InvalidInput, StockDeskError
from ..domain.online_retail import RowRefused
from ..domain.postings import EVERYTHING
from ..domain.users import Action
from . import catalog
from .context import Context
from .import_catalogue import RefusedRow
from .import_rows import open_table, product_mapper

BATCH_SIZE = 5_000


@dataclass
class ImportReport:
    imported: int = 0
    """Rows posted (movements) or created (products) by this import."""
    skipped: int = 0
    """Rows already imported before (same key and content, or a SKU already in the catalogue)."""
    refused: list[RefusedRow] = field(default_factory=list)
    batches: int = 0
    """Transactions committed."""
    rows: int = 0
    products_created: int = 0
    openings: int = 0
    seconds: float = 0.0

    def as_json(self) -> dict[str, object]:
        return {
            "imported": self.imported,
            "refused": [{"row": r.row, "reason": r.reason} for r in sorted(self.refused, key=lambda r: r.row)],
            "batches": self.batches,
            "skipped": self.skipped,
            "rows": self.rows,
            "products_created": self.products_created,
            "openings": self.openings,
            "seconds": round(self.seconds, 3),
        }

    def refused_by_reason(self) -> Counter[str]:
        return Counter(r.reason for r in self.refused)


# -- products -----------------------------------------------------------------------------------


def import_products(ctx: Context, path: str | Path, *, batch_size: int = BATCH_SIZE) -> ImportReport:
    """Products with one variant each: sku, name, barcode, tracking, cost, price, reorder_point, category
    (+ any other column into the variant's attributes)."""
    ctx.user.require(Action.EDIT_CATALOG)
    if batch_size < 1:
        raise InvalidInput(f"The batch size is a number of rows, 1 or more; got {batch_size}.")
    started = time.perf_counter()
    table = open_table(path)
    mapper = product_mapper(table.header)
    report = ImportReport()
    checked: list[tuple[int, catalog.NewProduct]] = []
    for number, cells in table.rows():
        report.rows += 1
        try:
            line = mapper(number, cells)
            product = catalog.NewProduct(
                sku=line.sku,
                name=line.name,
                barcode=line.barcode,
                tracking=line.tracking,
                cost=line.cost,
                price=line.price,
                reorder_point=line.reorder_point,
                category=line.category,
                attributes=line.attributes,
            ).checked()
        except (RowRefused, StockDeskError) as refused:
            report.refused.append(RefusedRow(number, str(refused)))
            continue
        checked.append((number, product))
    seen: dict[str, int] = {}
    for start in range(0, len(checked), batch_size):
        chunk = checked[start : start + batch_size]
        with ctx.writing() as uow:
            taken = bulk.taken_codes(uow.connection, {c for _, p in chunk for c in (p.sku, p.barcode) if c})
            new: list[catalog.NewProduct] = []
            for number, product in chunk:
                reason = None
                if product.sku in seen:
                    reason = f"SKU {product.sku} is on row {seen[product.sku]} already."
                elif product.barcode and product.barcode in seen:
                    reason = f"Barcode {product.barcode} is on row {seen[product.barcode]} already."
                if reason:
                    report.refused.append(RefusedRow(number, reason))
                    continue
                seen[product.sku] = number
                if product.barcode:
                    seen.setdefault(product.barcode, number)
                if product.sku in taken:
                    report.skipped += 1
                    continue
                if product.barcode in taken:
                    report.refused.append(
                        RefusedRow(number, f"Barcode {product.barcode} is already used by another item.")
                    )
                    continue
                new.append(product)
            bulk.add_products(uow.connection, [product_row(p) for p in new])
            uow.commit(EVERYTHING)
        report.imported += len(new)
        report.batches += 1
    report.seconds = time.perf_counter() - started
    return report


def product_row(p: catalog.NewProduct) -> dict[str, object]:
    return {
        "sku": p.sku,
        "name": p.name,
        "barcode": p.barcode,
        "tracking": p.tracking,
        "unit_cost": p.cost,
        "price": p.price,
        "reorder_point": p.reorder_point,
        "category": p.category,
        "unit": p.unit,
        "attributes": p.attributes or {},
    }
