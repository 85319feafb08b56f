"""Set-up and questions: init, locations, products, users, stock, history, traces, reconciliation."""

from __future__ import annotations

from datetime import datetime

from ..db.migrate import current_revision, upgrade_to_head
from ..domain.catalog import GroupBy
from ..domain.errors import InvalidInput
from ..services import catalog, queries
from ..services.reconcile import reconcile
from .common import json_parent
from .output import emit, stock_lines


def register(commands) -> None:
    common = json_parent()
    cmd = commands.add_parser("init", parents=[common], help="create or upgrade the database schema")
    cmd.set_defaults(run=_init, needs_schema=False)

    location = commands.add_parser("location", help="locations").add_subparsers(dest="step", required=True)
    cmd = location.add_parser("add", parents=[common], help="add a site, or a zone/aisle/rack/bin under --parent")
    cmd.add_argument("code")
    cmd.add_argument("--name", required=True)
    cmd.add_argument("--parent", metavar="CODE")
    cmd.add_argument("--kind", choices=["site", "zone", "aisle", "rack", "bin"])
    cmd.add_argument("--sort-key", help="walking order (default: the code)")
    cmd.set_defaults(run=_location_add)

    product = commands.add_parser("product", help="products").add_subparsers(dest="step", required=True)
    cmd = product.add_parser("add", parents=[common], help="add a product and its variant")
    cmd.add_argument("sku")
    cmd.add_argument("--name", required=True)
    cmd.add_argument("--barcode")
    cmd.add_argument("--tracking", choices=["none", "lot", "serial"], default="none")
    cmd.add_argument("--cost", default="0")
    cmd.add_argument("--price", default="0")
    cmd.add_argument("--reorder-point", default="0")
    cmd.add_argument("--category")
    cmd.add_argument(
        "--attr",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="an attribute such as size or colour (repeatable)",
    )
    cmd.add_argument("--variant-of", metavar="SKU", help="make this SKU another variant of that item's product")
    cmd.set_defaults(run=_product_add)

    cmd = product.add_parser("edit", parents=[common], help="change an item's name, barcode, cost, price...")
    cmd.add_argument("sku")
    cmd.add_argument("--name")
    cmd.add_argument("--barcode")
    cmd.add_argument("--cost")
    cmd.add_argument("--price")
    cmd.add_argument("--reorder-point")
    cmd.add_argument("--weight", dest="weight_grams", metavar="GRAMS", help="one unit's shipping weight")
    cmd.set_defaults(run=_product_edit)

    cmd = commands.add_parser("reasons", parents=[common], help="adjustment reason codes")
    cmd.set_defaults(run=_reasons)

    user = commands.add_parser("user", help="users").add_subparsers(dest="step", required=True)
    cmd = user.add_parser("add", parents=[common], help="add a user (owners only)")
    cmd.add_argument("username")
    cmd.add_argument("--role", required=True, choices=["owner", "manager", "staff"])
    cmd.add_argument("--name")
    cmd.set_defaults(run=_user_add)

    lot = commands.add_parser("lot", help="lots").add_subparsers(dest="step", required=True)
    cmd = lot.add_parser("add", parents=[common], help="record a lot before it arrives")
    cmd.add_argument("sku")
    cmd.add_argument("number")
    cmd.add_argument("--supplier")
    cmd.add_argument("--made", metavar="YYYY-MM-DD")
    cmd.add_argument("--expiry", metavar="YYYY-MM-DD")
    cmd.add_argument("--certificate")
    cmd.set_defaults(run=_lot_add)

    cmd = commands.add_parser("stock", parents=[common], help="stock with all six quantities")
    cmd.add_argument("sku", nargs="?")
    cmd.add_argument("--at", metavar="LOC", help="only this location and everything under it")
    cmd.add_argument("--by", choices=[g.value for g in GroupBy], default=GroupBy.LOCATION.value)
    cmd.set_defaults(run=_stock)

    cmd = commands.add_parser("history", parents=[common], help="movements of an item, serial or lot")
    cmd.add_argument("sku", nargs="?")
    cmd.add_argument("--serial")
    cmd.add_argument("--lot")
    cmd.add_argument("--at", metavar="LOC")
    cmd.add_argument("--limit", type=int)
    cmd.set_defaults(run=_history)

    cmd = commands.add_parser("trace", parents=[common], help="where a lot came from and where it went")
    cmd.add_argument("--lot", required=True)
    cmd.add_argument("--sku")
    cmd.set_defaults(run=_trace)

    cmd = commands.add_parser("balance", parents=[common], help="on hand per location at a past moment")
    cmd.add_argument("sku")
    cmd.add_argument("--as-of", required=True, metavar="YYYY-MM-DD[THH:MM]")
    cmd.add_argument("--at", metavar="LOC")
    cmd.set_defaults(run=_balance)

    cmd = commands.add_parser("reconcile", parents=[common], help="compare stored quantities with the ledger")
    cmd.add_argument("--repair", action="store_true", help="set drifting rows to the ledger's values (recorded)")
    cmd.set_defaults(run=_reconcile)


def _init(database, args) -> None:
    upgrade_to_head(database.engine)
    revision = current_revision(database.engine)
    emit(
        args.json,
        {"database": database.describe(), "revision": revision},
        f"Database {database.describe()} is at schema {revision}.",
    )


def _location_add(ctx, args) -> None:
    row = catalog.add_location(
        ctx, args.code, name=args.name, parent=args.parent, kind=args.kind, sort_key=args.sort_key
    )
    emit(args.json, row, f"Added {row.kind.value} {row.code} ({row.name}).")


def _product_add(ctx, args) -> None:
    row = catalog.add_product(
        ctx,
        catalog.NewProduct(
            sku=args.sku,
            name=args.name,
            barcode=args.barcode,
            tracking=args.tracking,
            cost=args.cost,
            price=args.price,
            reorder_point=args.reorder_point,
            category=args.category,
            attributes=dict(args.attr),
            variant_of=args.variant_of,
        ),
    )
    emit(args.json, row, f"Added {row.sku} ({row.name}), tracking {row.tracking.value}.")


def _product_edit(ctx, args) -> None:
    fields = ("name", "barcode", "cost", "price", "reorder_point", "weight_grams")
    changes = {f: getattr(args, f) for f in fields if getattr(args, f) is not None}
    if not changes:
        raise InvalidInput("Say what to change: --name, --barcode, --cost, --price, --reorder-point or --weight.")
    row = catalog.edit_variant(ctx, args.sku, **changes)
    emit(
        args.json,
        row,
        f"{row.sku}: {row.name}, barcode {row.barcode or '-'}, cost {row.unit_cost}, "
        f"price {row.price}, reorder point {row.reorder_point}.",
    )


def _reasons(ctx, args) -> None:
    rows = catalog.reason_codes(ctx)
    emit(args.json, {"reasons": rows}, [f"{r.code:<12} {r.direction:<4} {r.description}" for r in rows])


def _user_add(ctx, args) -> None:
    user = catalog.add_user(ctx, args.username, role=args.role, display_name=args.name)
    emit(args.json, user, f"Added user {user.username} ({user.role.value}).")


def _lot_add(ctx, args) -> None:
    row = catalog.add_lot(
        ctx,
        args.sku,
        args.number,
        supplier=args.supplier,
        manufactured_on=args.made,
        expires_on=args.expiry,
        certificate_ref=args.certificate,
    )
    emit(args.json, row, f"Added lot {row.number}.")


def _stock(ctx, args) -> None:
    rows = queries.stock(ctx, args.sku, at=args.at, group_by=GroupBy(args.by))
    emit(args.json, {"rows": rows}, stock_lines(rows))


def _history(ctx, args) -> None:
    rows = queries.history(ctx, args.sku, serial=args.serial, lot=args.lot, at=args.at, limit=args.limit)
    text = [
        f"{m.id:>7} {m.posted_at:%Y-%m-%d %H:%M} {m.kind:<18} {m.qty:>6} x {m.sku} {m.from_location} -> "
        f"{m.to_location}{' lot ' + m.lot if m.lot else ''}{' serial ' + m.serial if m.serial else ''}"
        f"{' ref ' + m.reference if m.reference else ''}{' [' + m.reason + ']' if m.reason else ''}"
        for m in rows
    ]
    emit(args.json, {"movements": rows}, text or ["No movements."])


def _trace(ctx, args) -> None:
    trace = queries.trace_lot(ctx, args.lot, args.sku)
    lot = trace.lot
    text = [
        f"Lot {lot.number} of {trace.sku}: supplier {lot.supplier or '-'}, expires {lot.expires_on or '-'}",
        "Received:",
    ]
    text += [f"  {r.qty} on {r.posted_at:%Y-%m-%d} into {r.location} ref {r.reference or '-'}" for r in trace.receipts]
    text.append("Went to:")
    text += [f"  {d.qty} {d.movement} to {d.location} ref {d.reference or '-'}" for d in trace.destinations]
    text.append("Still here:")
    text += [f"  {r.on_hand} at {r.location}" for r in trace.in_stock]
    emit(args.json, trace, text)


def _balance(ctx, args) -> None:
    try:
        moment = datetime.fromisoformat(args.as_of)
    except ValueError:
        raise InvalidInput(
            f"--as-of must be a date such as 2026-03-31 or 2026-03-31T18:00; '{args.as_of}' is not."
        ) from None
    balances = queries.balance_as_of(ctx, args.sku, moment, at=args.at)
    emit(
        args.json,
        {"sku": args.sku, "as_of": moment, "on_hand": balances},
        [f"{code:<16} {qty:>8}" for code, qty in balances.items()] or ["Nothing on hand then."],
    )


def _reconcile(ctx, args) -> int:
    report = reconcile(ctx, repair=args.repair)
    text = [
        f"{d.what:<12} {d.sku:<16} {d.location:<14} {d.lot or '-':<10} stored {d.stored} | ledger {d.ledger}"
        for d in report.drifts
    ]
    summary = (
        "No drift: stored quantities equal the ledger."
        if report.clean
        else (f"{len(report.drifts)} drifting rows{' repaired' if report.repaired else ''}.")
    )
    emit(
        args.json,
        {
            "clean": report.clean,
            "repaired": report.repaired,
            "run_id": report.run_id,
            "drifts": [{k: v for k, v in d.__dict__.items() if k != "key"} for d in report.drifts],
        },
        [*text, summary],
    )
    return 0 if report.settled else 1
