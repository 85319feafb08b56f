"""Suppliers, purchase orders (create, send, receive, close, put away) and reorder from the terminal."""

from __future__ import annotations

import argparse

from ..services import purchase_orders, putaway, reorder, suppliers
from ..services.purchase_orders import PoLineInput, PurchaseOrderRow
from . import po_receiving_commands
from .common import json_parent, key_parent
from .output import emit, plain, posting_json, posting_lines
from .purchase_output import po_json, po_lines, reorder_line, supplier_line

PO_STATUSES = ["draft", "sent", "partial", "received", "closed", "cancelled"]


class _LineOption(argparse.Action):
    """--line SKU QTY [COST], repeatable: two or three values per use."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        if len(values) not in (2, 3):
            raise argparse.ArgumentError(self, "takes SKU QTY and optionally a unit COST")
        getattr(namespace, self.dest).append(values)


def register(commands) -> None:
    common = json_parent()
    keyed = key_parent()
    _register_suppliers(commands, common)
    _register_orders(commands, common, keyed)
    _register_reorder(commands, common)


def _steps(commands, name: str, help_text: str):
    return commands.add_parser(name, help=help_text).add_subparsers(dest="step", required=True, metavar="STEP")


def _register_suppliers(commands, common) -> None:
    supplier = _steps(commands, "supplier", "suppliers to buy from")
    for step, handler in (("add", _add_supplier), ("update", _update_supplier)):
        cmd = supplier.add_parser(step, parents=[common], help=f"{step} a supplier")
        cmd.add_argument("code")
        if step == "add":
            cmd.add_argument("name")
        else:
            cmd.add_argument("--name")
            state = cmd.add_mutually_exclusive_group()
            state.add_argument("--active", dest="active", action="store_const", const=True, help="take orders again")
            state.add_argument("--inactive", dest="active", action="store_const", const=False, help="stop ordering")
        cmd.add_argument("--email")
        cmd.add_argument("--phone")
        cmd.add_argument("--lead-time", metavar="DAYS")
        cmd.add_argument("--over-pct", metavar="PCT", help="how far past the ordered quantity a delivery may go")
        cmd.set_defaults(run=handler)
    cmd = supplier.add_parser("list", parents=[common], help="suppliers by code")
    cmd.add_argument("--all", action="store_true", help="inactive suppliers too")
    cmd.set_defaults(run=_list_suppliers)


def _register_orders(commands, common, keyed) -> None:
    po = _steps(commands, "po", "purchase orders")
    cmd = po.add_parser("create", parents=[common], help="draft a purchase order (prints its id)")
    cmd.add_argument("supplier")
    cmd.add_argument("--to", dest="deliver_to", required=True, metavar="LOC", help="where the goods are received")
    cmd.add_argument(
        "--line", nargs="+", action=_LineOption, default=[], metavar="SKU QTY [COST]", help="a line (repeatable)"
    )
    cmd.add_argument("--expected", metavar="YYYY-MM-DD")
    cmd.add_argument("--note")
    cmd.set_defaults(run=_create)
    cmd = po.add_parser("add-line", parents=[common], help="add a line to a draft or sent order")
    cmd.add_argument("id", type=int)
    cmd.add_argument("sku")
    cmd.add_argument("qty")
    cmd.add_argument("--cost", help="unit cost (default: the item's cost)")
    cmd.add_argument("--expected", metavar="YYYY-MM-DD")
    cmd.set_defaults(run=_add_line)
    cmd = po.add_parser("remove-line", parents=[common], help="remove a line from a draft order")
    cmd.add_argument("id", type=int)
    cmd.add_argument("line", type=int, help="the line's id (see po show)")
    cmd.set_defaults(run=_remove_line)
    for step, handler, text in (
        ("send", _send, "send a draft order: its lines are on order from now"),
        ("cancel", _cancel, "cancel an order nothing was received on"),
        ("show", _show, "an order with its lines and discrepancies"),
        ("putaway", _tasks, "what an order's receipts left to put away, with the best bins"),
    ):
        cmd = po.add_parser(step, parents=[common], help=text)
        cmd.add_argument("id", type=int)
        cmd.set_defaults(run=handler)
    cmd = po.add_parser("close", parents=[common], help="stop waiting: the rest is recorded short")
    cmd.add_argument("id", type=int)
    cmd.add_argument("--note")
    cmd.set_defaults(run=_close)
    cmd = po.add_parser("list", parents=[common], help="orders, newest first")
    cmd.add_argument("--status", choices=PO_STATUSES)
    cmd.add_argument("--supplier", metavar="CODE")
    cmd.add_argument("--open", action="store_true", help="only orders to send or to receive")
    cmd.set_defaults(run=_list)
    po_receiving_commands.register(po, common, keyed)
    cmd = po.add_parser("put-away", parents=[common, keyed], help="move received goods to a bin in the same site")
    cmd.add_argument("sku")
    cmd.add_argument("qty")
    cmd.add_argument("--from", dest="source", required=True, metavar="LOC")
    cmd.add_argument("--to", dest="dest", required=True, metavar="LOC")
    cmd.add_argument("--lot")
    cmd.add_argument("--serial", nargs="+", action="extend", default=[], metavar="S")
    cmd.add_argument("--po", type=int, metavar="ID", help="the order the goods came on (its putaway list)")
    cmd.set_defaults(run=_put_away)


def _register_reorder(commands, common) -> None:
    steps = _steps(commands, "reorder", "reorder points, the below-reorder list and drafting orders")
    cmd = steps.add_parser("list", parents=[common], help="items below their reorder point")
    cmd.add_argument("--site")
    cmd.set_defaults(run=_below)
    cmd = steps.add_parser("rule", parents=[common], help="set an item's reorder point and maximum at a site")
    cmd.add_argument("sku")
    cmd.add_argument("--site", required=True)
    cmd.add_argument("--point", required=True, metavar="N")
    cmd.add_argument("--max", dest="max_qty", required=True, metavar="N")
    cmd.add_argument("--supplier", metavar="CODE")
    cmd.set_defaults(run=_rule)
    cmd = steps.add_parser("draft", parents=[common], help="request surplus transfers and draft purchase orders")
    cmd.add_argument("--site")
    cmd.set_defaults(run=_draft)


# -- suppliers ------------------------------------------------------------------------------


def _add_supplier(ctx, args) -> None:
    terms = {k: v for k, v in (("lead_time_days", args.lead_time), ("over_receipt_pct", args.over_pct)) if v}
    row = suppliers.add_supplier(ctx, args.code, args.name, email=args.email, phone=args.phone, **terms)
    emit(args.json, row, supplier_line(row))


def _update_supplier(ctx, args) -> None:
    row = suppliers.update_supplier(
        ctx,
        args.code,
        name=args.name,
        email=args.email,
        phone=args.phone,
        lead_time_days=args.lead_time,
        over_receipt_pct=args.over_pct,
        active=args.active,
    )
    emit(args.json, row, supplier_line(row))


def _list_suppliers(ctx, args) -> None:
    rows = suppliers.list_suppliers(ctx, include_inactive=args.all)
    emit(args.json, {"suppliers": rows}, [supplier_line(r) for r in rows] or ["No suppliers."])


# -- purchase orders ------------------------------------------------------------------------


def _show_po(args, row: PurchaseOrderRow) -> None:
    emit(args.json, po_json(row), po_lines(row))


def _create(ctx, args) -> None:
    lines = [PoLineInput(sku, qty, *cost) for sku, qty, *cost in args.line]
    row = purchase_orders.create_po(
        ctx, args.supplier, deliver_to=args.deliver_to, lines=lines, expected_on=args.expected, note=args.note
    )
    emit(args.json, po_json(row), [str(row.id)])


def _add_line(ctx, args) -> None:
    line = PoLineInput(args.sku, args.qty, args.cost, args.expected)
    _show_po(args, purchase_orders.add_po_line(ctx, args.id, line))


def _remove_line(ctx, args) -> None:
    _show_po(args, purchase_orders.remove_po_line(ctx, args.id, args.line))


def _send(ctx, args) -> None:
    _show_po(args, purchase_orders.send_po(ctx, args.id))


def _cancel(ctx, args) -> None:
    _show_po(args, purchase_orders.cancel_po(ctx, args.id))


def _close(ctx, args) -> None:
    _show_po(args, purchase_orders.close_po(ctx, args.id, note=args.note))


def _show(ctx, args) -> None:
    _show_po(args, purchase_orders.get_po(ctx, args.id))


def _list(ctx, args) -> None:
    rows = purchase_orders.list_pos(ctx, status=args.status, supplier=args.supplier, open_only=args.open)
    text = [line for row in rows for line in po_lines(row)] or ["No purchase orders."]
    emit(args.json, {"orders": [po_json(r) for r in rows]}, text)


def _tasks(ctx, args) -> None:
    tasks = putaway.putaway_tasks(ctx, args.id)
    text = []
    for task in tasks:
        what = f"{task.qty} x {task.sku}" + (f" lot {task.lot}" if task.lot else "")
        what += f" serials {', '.join(task.serials)}" if task.serials else ""
        text.append(f"{what} at {task.from_location}")
        text += [f"  -> {s.location} ({s.score:g}): {', '.join(s.reasons) or 'free bin'}" for s in task.suggestions]
    emit(args.json, {"tasks": tasks}, text or ["Nothing left to put away."])


def _put_away(ctx, args) -> None:
    result = putaway.put_away(
        ctx,
        args.sku,
        args.qty,
        source=args.source,
        dest=args.dest,
        lot=args.lot,
        serials=args.serial,
        ref=purchase_orders.reference(args.po) if args.po else None,
        key=args.key,
    )
    emit(args.json, posting_json(result), posting_lines(result))


# -- reorder --------------------------------------------------------------------------------


def _below(ctx, args) -> None:
    lines = reorder.below_reorder(ctx, site=args.site)
    text = [reorder_line(line) for line in lines] or ["Nothing is below its reorder point."]
    emit(args.json, {"lines": lines}, text)


def _rule(ctx, args) -> None:
    row = reorder.set_reorder_rule(
        ctx, args.sku, site=args.site, reorder_point=args.point, max_qty=args.max_qty, supplier=args.supplier
    )
    supplier = f", from {row.supplier}" if row.supplier else ""
    emit(args.json, row, f"{row.sku} at {row.site}: reorder below {row.reorder_point}, up to {row.max_qty}{supplier}")


def _draft(ctx, args) -> None:
    plan = reorder.draft_reorder(ctx, site=args.site)
    text = [f"Transfer {t.id}: {t.from_location} -> {t.to_location}, {len(t.lines)} lines" for t in plan.transfers]
    text += [f"{po.number}: {po.supplier_code} -> {po.deliver_to}, {len(po.lines)} lines (draft)" for po in plan.orders]
    text += [f"No supplier for {line.sku} at {line.site}: set one on its rule" for line in plan.unassigned]
    data = {
        "transfers": plain(plan.transfers),
        "orders": [po_json(po) for po in plan.orders],
        "unassigned": plain(plan.unassigned),
    }
    emit(args.json, data, text or ["Nothing to reorder."])
