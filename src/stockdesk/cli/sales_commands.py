"""Sales orders from the terminal: create, import, confirm, cancel, pick, verify, weigh, ship, return."""

from __future__ import annotations

import argparse
import re

from ..domain.errors import InvalidInput
from ..domain.sales import STATUSES
from ..services import order_import, packing, picking, sales_orders, shipping
from ..services.sales_orders import SoLineInput
from ..services.shipping import ReturnLine
from .common import json_parent, key_parent
from .output import emit, plain, posting_json, posting_lines
from .sales_output import (
    confirm_json,
    confirm_lines,
    import_lines,
    order_json,
    order_lines,
    pick_lines,
    shipment_lines,
    weight_lines,
)

_ORDER_NUMBER = re.compile(r"^(?:SO-?)?(\d+)$", re.IGNORECASE)


def order_id(text: str) -> int:
    """An order as the CLI takes it: 12 or SO-12."""
    found = _ORDER_NUMBER.match(text.strip())
    if not found:
        raise argparse.ArgumentTypeError(f"'{text}' is not an order number such as 12 or SO-12")
    return int(found.group(1))


class _OrderLine(argparse.Action):
    """--line SKU QTY [PRICE], repeatable: two or three values per use."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        if len(values) not in (2, 3):
            raise argparse.ArgumentError(self, "takes SKU QTY and optionally a unit PRICE")
        getattr(namespace, self.dest).append(values)


class _ReturnLine(argparse.Action):
    """--line SKU QTY, repeatable; the --serial options after it belong to it."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        getattr(namespace, self.dest).append([*values, []])


class _Serial(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None) -> None:
        if not namespace.line:
            raise argparse.ArgumentError(self, "comes after the --line SKU QTY it belongs to")
        namespace.line[-1][2].append(values)


def register(commands) -> None:
    common = json_parent()
    keyed = key_parent()
    so = commands.add_parser("so", help="sales orders").add_subparsers(dest="step", required=True, metavar="STEP")

    cmd = so.add_parser("create", parents=[common], help="enter an order by hand")
    cmd.add_argument("customer")
    cmd.add_argument("--line", nargs="+", action=_OrderLine, default=[], required=True, metavar="SKU QTY [PRICE]")
    cmd.add_argument("--ref", help="the customer's or shop's order number (default: SO-<id>)")
    cmd.add_argument("--ship-to", metavar="TEXT")
    cmd.add_argument("--channel", default="manual")
    cmd.add_argument("--note")
    cmd.set_defaults(run=_create)

    cmd = so.add_parser("import", parents=[common], help="import a web shop's order export (CSV or XLSX)")
    cmd.add_argument("file")
    cmd.add_argument("--channel", default="webshop")
    cmd.set_defaults(run=_import)

    cmd = so.add_parser("confirm", parents=[common], help="reserve an order's stock at a site")
    cmd.add_argument("id", type=order_id)
    cmd.add_argument("--site", required=True)
    cmd.set_defaults(run=_confirm)

    for step, handler, text in (("cancel", _cancel, "cancel an order"), ("show", _show, "an order and its shipments")):
        cmd = so.add_parser(step, parents=[common], help=text)
        cmd.add_argument("id", type=order_id)
        cmd.set_defaults(run=handler)

    cmd = so.add_parser("list", parents=[common], help="orders, newest first")
    cmd.add_argument("--status", choices=STATUSES)
    cmd.add_argument("--open", action="store_true", help="only orders with work left")
    cmd.set_defaults(run=_list)

    cmd = so.add_parser("pick-list", parents=[common], help="what to pick, in walking order (batched)")
    cmd.add_argument("ids", nargs="+", type=order_id, metavar="ID")
    cmd.set_defaults(run=_pick_list)

    cmd = so.add_parser("verify", parents=[common], help="scan packed items against the order")
    cmd.add_argument("id", type=order_id)
    cmd.add_argument("scans", nargs="*", metavar="SCAN", help="barcode, SKU or serial number of each unit")
    cmd.add_argument("--reset", action="store_true", help="forget the order's scans and start packing over")
    cmd.set_defaults(run=_verify)

    cmd = so.add_parser("weigh", parents=[common], help="check the parcel's weight")
    cmd.add_argument("id", type=order_id)
    cmd.add_argument("grams")
    cmd.set_defaults(run=_weigh)

    cmd = so.add_parser("ship", parents=[common, keyed], help="ship the verified order")
    cmd.add_argument("id", type=order_id)
    cmd.add_argument("--carrier", required=True)
    cmd.add_argument("--tracking")
    cmd.add_argument("--override", metavar="NOTE", help="ship unverified (managers), saying why")
    cmd.set_defaults(run=_ship)

    cmd = so.add_parser("return", parents=[common, keyed], help="take goods back against a shipment")
    cmd.add_argument("shipment", type=int, metavar="SHIPMENT_ID")
    cmd.add_argument("--line", nargs=2, action=_ReturnLine, default=[], required=True, metavar=("SKU", "QTY"))
    cmd.add_argument("--serial", action=_Serial, metavar="S", help="a returned unit of the --line before it")
    cmd.add_argument("--to", required=True, metavar="LOC")
    cmd.add_argument("--quarantine", action="store_true", help="into quarantine (damaged, to inspect)")
    cmd.add_argument("--reason", required=True)
    cmd.set_defaults(run=_return)

    cmd = so.add_parser("shipment", parents=[common], help="a shipment (the packing slip's data)")
    cmd.add_argument("id", type=int)
    cmd.set_defaults(run=_shipment)


def _order(args, row) -> None:
    emit(args.json, order_json(row), order_lines(row))


def _create(ctx, args) -> None:
    lines = [SoLineInput(*values) for values in args.line]
    row = sales_orders.create_order(
        ctx, args.customer, lines, external_ref=args.ref, channel=args.channel, ship_to=args.ship_to, note=args.note
    )
    _order(args, row)


def _import(ctx, args) -> None:
    result = order_import.import_orders(ctx, args.file, channel=args.channel)
    emit(args.json, result, import_lines(result))


def _confirm(ctx, args) -> None:
    result = sales_orders.confirm_order(ctx, args.id, site=args.site)
    emit(args.json, confirm_json(result), confirm_lines(result))


def _cancel(ctx, args) -> None:
    _order(args, sales_orders.cancel_order(ctx, args.id))


def _show(ctx, args) -> None:
    row = sales_orders.get_order(ctx, args.id)
    sent = shipping.shipments_of(ctx, args.id)
    text = order_lines(row) + [line for shipment in sent for line in shipment_lines(shipment)]
    emit(args.json, {**order_json(row), "shipments": plain(sent)}, text)


def _list(ctx, args) -> None:
    rows = sales_orders.list_orders(ctx, status=args.status, open_only=args.open)
    emit(
        args.json,
        {"orders": [order_json(r) for r in rows]},
        [t for r in rows for t in order_lines(r)] or ["No orders."],
    )


def _pick_list(ctx, args) -> None:
    lines = picking.pick_list(ctx, args.ids)
    emit(args.json, {"lines": lines}, pick_lines(lines))


def _verify(ctx, args) -> None:
    """All the scans of one command go into the parcel, or (one refused) none of them."""
    if args.reset == bool(args.scans):
        raise InvalidInput("Give the scanned codes, or --reset alone to start the packing over.")
    if args.reset:
        _order(args, packing.reset_packing(ctx, args.id))
        return
    _verified(args, list(zip(args.scans, packing.pack_scans(ctx, args.id, args.scans), strict=True)))


def _verified(args, accepted) -> None:
    scans = [
        {"code": code, "sku": s.sku, "packed": s.packed, "expected": s.expected, "complete": s.complete}
        for code, s in accepted
    ]
    last = accepted[-1][1]
    text = [f"{s['code']}: {s['sku']} {s['packed']} of {s['expected']}" for s in scans]
    text.append(
        f"{last.order.number} verified: ready to ship." if last.complete else f"{last.order.number}: not complete yet."
    )
    emit(args.json, {"scans": scans, "order": order_json(last.order)}, text)


def _weigh(ctx, args) -> None:
    check = packing.check_weight(ctx, args.id, args.grams)
    emit(args.json, check, weight_lines(check))


def _ship(ctx, args) -> None:
    row = shipping.ship_order(
        ctx, args.id, carrier=args.carrier, tracking=args.tracking, override_note=args.override, key=args.key
    )
    emit(args.json, row, shipment_lines(row))


def _return(ctx, args) -> None:
    lines = [ReturnLine(sku, qty, serials) for sku, qty, serials in args.line]
    result = shipping.return_shipment(
        ctx, args.shipment, lines, to=args.to, quarantine=args.quarantine, reason=args.reason, key=args.key
    )
    emit(args.json, posting_json(result), posting_lines(result))


def _shipment(ctx, args) -> None:
    row = shipping.get_shipment(ctx, args.id)
    emit(args.json, row, shipment_lines(row))
