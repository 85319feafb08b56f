"""Bulk imports (products, movements) and the demo business, from the terminal."""

from __future__ import annotations

import sys

from ..services import demo, importing
from .common import json_parent
from .output import emit

SHOWN_REFUSALS = 50


def register(commands) -> None:
    common = json_parent()
    imports = commands.add_parser("import", help="import products or movements from CSV, CSV.GZ or XLSX")
    steps = imports.add_subparsers(dest="step", required=True, metavar="WHAT")

    cmd = steps.add_parser("products", parents=[common], help="products: sku, name, barcode, tracking, cost, ...")
    cmd.add_argument("file")
    cmd.add_argument("--batch-size", type=int, default=importing.BATCH_SIZE, help="rows per transaction")
    cmd.set_defaults(run=_products)

    cmd = steps.add_parser("movements", parents=[common], help="stock movements (receipts, sales, adjustments...)")
    cmd.add_argument("file")
    cmd.add_argument("--layout", choices=["stockdesk", "online-retail"], default="stockdesk")
    cmd.add_argument("--at", metavar="LOC", help="the location for rows without one (online-retail: required)")
    cmd.add_argument("--create-products", action="store_true", help="create unknown SKUs from the file")
    cmd.add_argument(
        "--opening-balance",
        action="store_true",
        help="first post the least opening stock that lets the whole file replay without a shortfall",
    )
    cmd.add_argument("--batch-size", type=int, default=importing.BATCH_SIZE, help="rows per transaction")
    cmd.add_argument("--progress", action="store_true", help="report progress on stderr")
    cmd.set_defaults(run=_movements)

    cmd = commands.add_parser("demo", parents=[common], help="fill an empty database with a demo business")
    cmd.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    cmd.set_defaults(run=_demo)


def _products(ctx, args) -> None:
    report = importing.import_products(ctx, args.file, batch_size=args.batch_size)
    _show(args, report, "products")


def _movements(ctx, args) -> None:
    def progress(report: importing.ImportReport) -> None:
        print(
            f"... {report.rows} rows read, {report.imported} imported, {len(report.refused)} refused",
            file=sys.stderr,
        )

    report = importing.import_movements(
        ctx,
        args.file,
        layout=args.layout,
        at=args.at,
        create_products=args.create_products,
        opening_balance=args.opening_balance,
        batch_size=args.batch_size,
        progress=progress if args.progress else None,
    )
    _show(args, report, "rows")


def _show(args, report: importing.ImportReport, what: str) -> None:
    lines = [
        f"Imported {report.imported} {what} in {report.batches} transaction(s), {report.seconds:.1f} s"
        + (f"; {report.skipped} already there" if report.skipped else "")
        + (f"; {report.products_created} products created" if report.products_created else "")
        + (f"; {report.openings} opening balances" if report.openings else "")
        + "."
    ]
    if report.refused:
        lines.append(f"{len(report.refused)} row(s) refused:")
        ordered = sorted(report.refused, key=lambda r: r.row)
        lines += [f"  row {r.row}: {r.reason}" for r in ordered[:SHOWN_REFUSALS]]
        if len(ordered) > SHOWN_REFUSALS:
            lines.append(f"  ... and {len(ordered) - SHOWN_REFUSALS} more (use --json for all). By reason:")
            lines += [f"  {n:>7} x {reason}" for reason, n in report.refused_by_reason().most_common(10)]
    emit(args.json, report.as_json(), lines)


def _demo(ctx, args) -> None:
    summary = demo.build_demo(ctx, seed=args.seed)
    emit(
        args.json,
        summary,
        [
            f"Demo business ready: {summary.sites} sites, {summary.locations} locations, {summary.variants} "
            f"variants, {summary.postings} postings over {summary.days} days, users {', '.join(summary.users)}."
        ],
    )
