"""`po receive`: a delivery against a purchase order, said option by option (per SKU: sound and
damaged units, lot, expiry, serials, and what to do with an item the order does not have).

A step of the `po` command (cli/purchase_commands.py registers it), kept apart because turning the
options into receipt lines is most of its work.
"""

from __future__ import annotations

import argparse

from ..domain.errors import InvalidInput
from ..domain.receiving import WRONG_ITEM_POLICIES as POLICIES
from ..services import po_receiving
from .output import emit, plain, posting_json, posting_lines
from .purchase_output import discrepancy_line, po_json


class _WrongItemFor(argparse.Action):
    """--wrong-item-for SKU POLICY, repeatable; a policy that is not one of them is a usage error."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        policy = values[1]
        if policy not in POLICIES:
            raise argparse.ArgumentError(self, f"invalid choice: '{policy}' (choose from {', '.join(POLICIES)})")
        setattr(namespace, self.dest, [*getattr(namespace, self.dest), values])


def register(po, common, keyed) -> None:
    cmd = po.add_parser("receive", parents=[common, keyed], help="book a delivery against an order")
    cmd.add_argument("id", type=int)
    pair = {"nargs": 2, "action": "append", "default": []}
    cmd.add_argument("--line", metavar=("SKU", "QTY"), help="units that arrived sound (repeatable)", **pair)
    cmd.add_argument("--damaged", metavar=("SKU", "N"), help="units that arrived damaged, into quarantine", **pair)
    cmd.add_argument("--lot", metavar=("SKU", "LOT"), help="the lot number of a SKU's units", **pair)
    cmd.add_argument("--expiry", metavar=("SKU", "DATE"), help="the expiry date of a SKU's lot", **pair)
    cmd.add_argument("--serial", metavar=("SKU", "S"), help="a sound unit's serial number (repeatable)", **pair)
    cmd.add_argument("--damaged-serial", metavar=("SKU", "S"), help="a damaged unit's serial number", **pair)
    cmd.add_argument(
        "--delivery", metavar="REF", required=True, help="the delivery note's number: the same delivery is booked once"
    )
    wrong = cmd.add_mutually_exclusive_group()
    wrong.add_argument(
        "--wrong-item", choices=list(POLICIES), default="refuse", help="for every item the order does not have"
    )
    wrong.add_argument(
        "--wrong-item-for",
        nargs=2,
        action=_WrongItemFor,
        default=[],
        metavar=("SKU", "POLICY"),
        help="for one item the order does not have (repeatable; items not named are refused)",
    )
    cmd.set_defaults(run=_receive)


def _on_receipt(pairs: list[list[str]], option: str, skus: list[str]) -> None:
    for sku, _ in pairs:
        if sku not in skus:
            raise InvalidInput(f"{option} names {sku}, which has no --line or --damaged on this receipt.")


def _per_sku(pairs: list[list[str]], option: str, skus: list[str]) -> dict[str, str]:
    _on_receipt(pairs, option, skus)
    found: dict[str, str] = {}
    for sku, value in pairs:
        if sku in found:
            raise InvalidInput(f"{option} is given twice for {sku}; give it once per SKU.")
        found[sku] = value
    return found


def _skus(args) -> list[str]:
    """The receipt's items, in the order first named."""
    return list(dict.fromkeys(sku for sku, _ in args.line + args.damaged))


def _receipt_lines(args, skus: list[str]) -> list[po_receiving.PoReceiptLine]:
    sound = _per_sku(args.line, "--line", skus)
    damaged = _per_sku(args.damaged, "--damaged", skus)
    lots = _per_sku(args.lot, "--lot", skus)
    expiries = _per_sku(args.expiry, "--expiry", skus)
    _on_receipt(args.serial, "--serial", skus)
    _on_receipt(args.damaged_serial, "--damaged-serial", skus)
    return [
        po_receiving.PoReceiptLine(
            sku,
            sound.get(sku, 0),
            damaged.get(sku, 0),
            lot=lots.get(sku),
            expiry=expiries.get(sku),
            serials=tuple(s for owner, s in args.serial if owner == sku),
            damaged_serials=tuple(s for owner, s in args.damaged_serial if owner == sku),
        )
        for sku in skus
    ]


def _receive(ctx, args) -> None:
    skus = _skus(args)
    lines = _receipt_lines(args, skus)
    answers = _per_sku(args.wrong_item_for, "--wrong-item-for", skus) if args.wrong_item_for else args.wrong_item
    result = po_receiving.receive_po(ctx, args.id, lines, delivery_ref=args.delivery, wrong_item=answers, key=args.key)
    data = {
        "receipt_id": result.receipt_id,
        "posting": posting_json(result.posting),
        "po": po_json(result.po),
        "discrepancies": plain(result.discrepancies),
    }
    text = posting_lines(result.posting)
    text += [discrepancy_line(d) for d in result.discrepancies]
    text.append(f"{result.po.number} is now {result.po.status}.")
    emit(args.json, data, text)
