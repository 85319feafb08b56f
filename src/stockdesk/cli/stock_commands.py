"""Stock movements from the terminal: receive, reserve, release, ship, sell, return, hold, adjust."""

from __future__ import annotations

from ..services import stock
from .common import json_parent, key_parent
from .output import emit, posting_json, posting_lines


def register(commands) -> None:
    common = json_parent()
    keyed = key_parent()

    def command(name: str, handler, help_text: str, qty_name: str = "qty"):
        cmd = commands.add_parser(name, parents=[common, keyed], help=help_text)
        cmd.add_argument("sku")
        cmd.add_argument(qty_name)
        cmd.set_defaults(run=handler)
        return cmd

    cmd = command("receive", _receive, "receive goods from a supplier")
    cmd.add_argument("--to", required=True, metavar="LOC")
    cmd.add_argument("--lot")
    cmd.add_argument("--expiry", metavar="YYYY-MM-DD")
    cmd.add_argument("--serial", nargs="+", action="extend", default=[], metavar="S")
    cmd.add_argument("--ref")
    cmd.add_argument("--supplier")
    cmd.add_argument("--quarantine", action="store_true", help="receive into quarantine (inspection)")

    cmd = command("reserve", _reserve, "reserve stock for an order")
    cmd.add_argument("--at", required=True, metavar="LOC")
    cmd.add_argument("--ref", required=True, metavar="ORDER")
    cmd.add_argument("--lot")

    cmd = command("release", _release, "give an order's reserved units back")
    cmd.add_argument("--at", required=True, metavar="LOC")
    cmd.add_argument("--ref", required=True, metavar="ORDER")

    cmd = command("ship", _ship, "ship an order (reserved units first)")
    cmd.add_argument("--from", dest="source", required=True, metavar="LOC")
    cmd.add_argument("--ref", required=True, metavar="ORDER")
    cmd.add_argument("--serial", nargs="+", action="extend", default=[], metavar="S")

    cmd = command("sell", _sell, "sell at the counter without a reservation")
    cmd.add_argument("--from", dest="source", required=True, metavar="LOC")
    cmd.add_argument("--ref")
    cmd.add_argument("--lot")
    cmd.add_argument("--serial", nargs="+", action="extend", default=[], metavar="S")

    cmd = command("return", _return, "take goods back from a customer")
    cmd.add_argument("--to", required=True, metavar="LOC")
    cmd.add_argument("--ref", required=True, metavar="ORDER")
    cmd.add_argument("--quarantine", action="store_true")
    cmd.add_argument("--serial", nargs="+", action="extend", default=[], metavar="S")
    cmd.add_argument("--reason")

    for name, handler, text in (
        ("quarantine", _quarantine, "put stock on hold"),
        ("unquarantine", _unquarantine, "release stock from hold"),
    ):
        cmd = command(name, handler, text)
        cmd.add_argument("--at", required=True, metavar="LOC")
        cmd.add_argument("--lot")
        cmd.add_argument("--serial", nargs="+", action="extend", default=[], metavar="S")
        cmd.add_argument("--note")

    cmd = command("adjust", _adjust, "correct stock with a reason code", qty_name="delta")
    cmd.add_argument("--at", required=True, metavar="LOC")
    cmd.add_argument("--reason", required=True, metavar="CODE")
    cmd.add_argument("--note")
    cmd.add_argument("--lot")
    cmd.add_argument("--serial", nargs="+", action="extend", default=[], metavar="S")

    cmd = command("scrap", _scrap, "scrap stock (from quarantine with --quarantined)")
    cmd.add_argument("--at", required=True, metavar="LOC")
    cmd.add_argument("--quarantined", action="store_true")
    cmd.add_argument("--lot")
    cmd.add_argument("--serial", nargs="+", action="extend", default=[], metavar="S")
    cmd.add_argument("--note")

    cmd = commands.add_parser("reverse", parents=[common, keyed], help="undo a movement with a reversing movement")
    cmd.add_argument("movement", type=int)
    cmd.add_argument("--note")
    cmd.set_defaults(run=_reverse)


def _show(args, result) -> None:
    emit(args.json, posting_json(result), posting_lines(result))


def _receive(ctx, args) -> None:
    _show(
        args,
        stock.receive(
            ctx,
            args.sku,
            args.qty,
            to=args.to,
            lot=args.lot,
            expiry=args.expiry,
            serials=args.serial,
            ref=args.ref,
            supplier=args.supplier,
            key=args.key,
            quarantine=args.quarantine,
        ),
    )


def _reserve(ctx, args) -> None:
    _show(args, stock.reserve(ctx, args.sku, args.qty, at=args.at, ref=args.ref, lot=args.lot, key=args.key))


def _release(ctx, args) -> None:
    _show(args, stock.release(ctx, args.sku, args.qty, at=args.at, ref=args.ref, key=args.key))


def _ship(ctx, args) -> None:
    _show(
        args, stock.ship(ctx, args.sku, args.qty, source=args.source, ref=args.ref, serials=args.serial, key=args.key)
    )


def _sell(ctx, args) -> None:
    _show(
        args,
        stock.sell(
            ctx, args.sku, args.qty, source=args.source, ref=args.ref, lot=args.lot, serials=args.serial, key=args.key
        ),
    )


def _return(ctx, args) -> None:
    _show(
        args,
        stock.return_goods(
            ctx,
            args.sku,
            args.qty,
            to=args.to,
            ref=args.ref,
            quarantine=args.quarantine,
            serials=args.serial,
            reason=args.reason,
            key=args.key,
        ),
    )


def _quarantine(ctx, args) -> None:
    _show(
        args,
        stock.quarantine(
            ctx, args.sku, args.qty, at=args.at, lot=args.lot, serials=args.serial, note=args.note, key=args.key
        ),
    )


def _unquarantine(ctx, args) -> None:
    _show(
        args,
        stock.release_quarantine(
            ctx, args.sku, args.qty, at=args.at, lot=args.lot, serials=args.serial, note=args.note, key=args.key
        ),
    )


def _adjust(ctx, args) -> None:
    _show(
        args,
        stock.adjust(
            ctx,
            args.sku,
            args.delta,
            at=args.at,
            reason=args.reason,
            note=args.note,
            lot=args.lot,
            serials=args.serial,
            key=args.key,
        ),
    )


def _scrap(ctx, args) -> None:
    _show(
        args,
        stock.scrap(
            ctx,
            args.sku,
            args.qty,
            at=args.at,
            from_quarantine=args.quarantined,
            lot=args.lot,
            serials=args.serial,
            note=args.note,
            key=args.key,
        ),
    )


def _reverse(ctx, args) -> None:
    _show(args, stock.reverse(ctx, args.movement, note=args.note, key=args.key))
