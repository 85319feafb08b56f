"""Importing products and stock movements from CSV, CSV.GZ or XLSX files, in bulk.

- A malformed file (not a CSV or XLSX, unreadable, missing columns) is refused as a whole before
  anything is written.
- Every row is checked; a refused row is reported with its row number (the header is row 1) and
  the reason, and writes nothing. The rows that pass are written one transaction per batch.
- Idempotent: a movement row's posting key is the file's content hash and the row number (or the
  row's own `key` column), so importing the same file twice posts nothing new; a product row whose
  SKU is already in the catalogue is left as it is.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from ..db import bulk
from ..db import levels as level_rows
from ..db.uow import WriteConflict
from ..domain.errors import InvalidInput, StockDeskError
from ..domain.online_retail import ImportRow, RowRefused
from ..domain.postings import EVERYTHING
from ..domain.quantities import NO_LOT, Tracking
from ..domain.users import Action
from . import catalog
from .context import Context
from .import_batch import Batch
from .import_catalogue import Catalogue, RefusedRow
from .import_products import BATCH_SIZE, ImportReport, import_products, product_row
from .import_rows import LAYOUTS, Table, open_table

RETRIES = 3
__all__ = ["BATCH_SIZE", "ImportReport", "import_movements", "import_products"]


# -- movements ----------------------------------------------------------------------------------


@dataclass
class _FirstPass:
    """What the whole file says before anything is written."""

    start: datetime | None = None
    names: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    prices: dict[str, Decimal] = field(default_factory=dict)
    running: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    lowest: dict[tuple[str, str], int] = field(default_factory=dict)

    def see(self, row: ImportRow) -> None:
        if row.posted_at is not None and (self.start is None or row.posted_at < self.start):
            self.start = row.posted_at
        names = self.names[row.sku]
        if row.name:
            names[row.name] += 1
        if row.price and row.kind == "sell":
            self.prices[row.sku] = row.price
        if row.lot or row.serials:
            return
        key = (row.sku, row.location)
        total = self.running[key] = self.running[key] + row.delta
        if total < self.lowest.get(key, 0):
            self.lowest[key] = total


def import_movements(
    ctx: Context,
    path: str | Path,
    *,
    layout: str = "stockdesk",
    at: str | None = None,
    create_products: bool = False,
    opening_balance: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Stock movements from a file in our `stockdesk` layout or the `online-retail` layout."""
    if layout not in LAYOUTS:
        raise InvalidInput(f"The layout must be one of {', '.join(LAYOUTS)}; '{layout}' is not.")
    if batch_size < 1:
        raise InvalidInput(f"The batch size is a number of rows, 1 or more; got {batch_size}.")
    if create_products:
        ctx.user.require(Action.EDIT_CATALOG)
    if opening_balance:
        ctx.user.require(Action.ADJUST)
    started = time.perf_counter()
    table = open_table(path)
    mapper = LAYOUTS[layout](table.header, at.strip() if at else None)
    cat = Catalogue(ctx)
    if at and at.strip() not in cat.places:
        raise InvalidInput(f"There is no location '{at}'. Check the code, or add the location first.")

    # First pass: the whole file must be readable before anything is written, and its content
    # hash names the rows; only the catalogue and opening balances need the rows themselves.
    first = _FirstPass()
    if create_products or opening_balance:
        for row in _mapped(table, mapper, None):
            if isinstance(row, ImportRow):
                first.see(row)
    else:
        for _ in table.rows():
            pass

    report = ImportReport()
    if create_products or opening_balance:
        _prepare(ctx, cat, table, first, report, create_products=create_products, opening_balance=opening_balance)

    chunk: list[ImportRow | RefusedRow] = []
    for row in _mapped(table, mapper, report):
        chunk.append(row)
        if len(chunk) >= batch_size:
            _write_batch(ctx, cat, table.digest, chunk, report)
            chunk = []
            if progress:
                progress(report)
    if chunk:
        _write_batch(ctx, cat, table.digest, chunk, report)
    report.seconds = time.perf_counter() - started
    return report


def _mapped(table: Table, mapper, report: ImportReport | None) -> Iterator[ImportRow | RefusedRow]:
    for number, cells in table.rows():
        if report is not None:
            report.rows += 1
        try:
            yield mapper(number, cells)
        except RowRefused as refused:
            yield RefusedRow(number, refused.reason)


def _write_batch(
    ctx: Context, cat: Catalogue, digest: str, chunk: list[ImportRow | RefusedRow], report: ImportReport
) -> None:
    rows = [r for r in chunk if isinstance(r, ImportRow)]
    report.refused += [r for r in chunk if isinstance(r, RefusedRow)]
    if not rows:
        return
    _post(ctx, cat, digest, rows, report)


def _post(ctx: Context, cat: Catalogue, digest: str, rows: list[ImportRow], report: ImportReport, uow=None) -> None:
    """Check and write `rows` in one transaction (the caller's, when given)."""
    if uow is not None:
        _check_and_write(ctx, cat, digest, rows, report, uow)
        return
    for attempt in range(1, RETRIES + 1):
        try:
            with ctx.writing() as own:
                counts = _check_and_write(ctx, cat, digest, rows, ImportReport(), own)
                own.commit(EVERYTHING)
        except WriteConflict:
            # Another desk committed some of these keys (the same file imported twice at once, on
            # PostgreSQL) or the same new lot or serial: read again; what it posted is skipped now.
            if attempt == RETRIES:
                raise
            continue
        report.imported += counts.imported
        report.skipped += counts.skipped
        report.refused += counts.refused
        report.batches += 1
        return


def _check_and_write(
    ctx: Context, cat: Catalogue, digest: str, rows: list[ImportRow], report: ImportReport, uow
) -> ImportReport:
    batch = Batch(cat, uow, digest, ctx.now())
    existing = batch.load(rows)
    for row in rows:
        batch.add(row, existing)
    batch.write()
    report.imported += batch.imported
    report.skipped += batch.skipped
    report.refused += batch.refused
    return report


def _prepare(
    ctx: Context,
    cat: Catalogue,
    table: Table,
    first: _FirstPass,
    report: ImportReport,
    *,
    create_products: bool,
    opening_balance: bool,
) -> None:
    """Before the rows: create the unknown products and post the opening balances, in one transaction."""
    with ctx.writing() as uow:
        cat.load_items(uow, set(first.names))
        if create_products:
            new = []
            for sku in sorted(set(first.names) - cat.items.keys()):
                names = first.names[sku]
                try:
                    new.append(
                        catalog.NewProduct(
                            sku=sku,
                            name=names.most_common(1)[0][0] if names else sku,
                            price=first.prices.get(sku, 0),
                        ).checked()
                    )
                except StockDeskError:
                    continue  # its rows are refused as unknown SKUs, with the reason
            bulk.add_products(uow.connection, [product_row(p) for p in new])
            report.products_created = len(new)
            cat.forget_missing()
            cat.load_items(uow, {p.sku for p in new})
        if opening_balance:
            openings = _openings(cat, uow, table.digest, first, ctx.now())
            _post(ctx, cat, table.digest, openings, report, uow)
            report.openings = report.imported
            report.imported = 0
        uow.commit(EVERYTHING)
    report.batches += 1


def _openings(cat: Catalogue, uow, digest: str, first: _FirstPass, now: datetime) -> list[ImportRow]:
    """One OPENING adjustment per item and location: the least that lets the file replay without a shortfall."""
    start = (first.start or now).replace(hour=0, minute=0, second=0, microsecond=0)
    wanted = {
        (sku, location): -low
        for (sku, location), low in first.lowest.items()
        if low < 0 and sku in cat.items and location in cat.places and cat.items[sku].tracking is Tracking.NONE
    }
    keys = {k: f"import:{digest[:24]}:opening:{k[0]}@{k[1]}" for k in wanted}
    done = uow.ledger.existing_keys(list(keys.values()))
    variant_ids = {cat.items[sku].id for sku, _ in wanted}
    place_ids = {cat.places[location] for _, location in wanted}
    now = level_rows.read_many(uow.connection, variant_ids, place_ids)
    rows = []
    for (sku, location), need in sorted(wanted.items()):
        if keys[(sku, location)] in done:
            continue
        have = now.get((cat.items[sku].id, cat.places[location], NO_LOT))
        qty = need - (have.available if have else 0)
        if qty > 0:
            rows.append(
                ImportRow(
                    row=0,
                    kind="adjust",
                    sku=sku,
                    qty=qty,
                    inbound=True,
                    location=location,
                    posted_at=start,
                    reason="OPENING",
                    note="Opening balance: the least that lets the imported history replay",
                    key=keys[(sku, location)],
                )
            )
    return rows
