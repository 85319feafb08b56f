"""Transfers and cycle counts from the terminal."""

from __future__ import annotations

from ..domain.errors import InvalidInput
from ..services import counts, transfers
from .common import json_parent
from .output import emit, posting_json, posting_lines


def register(commands) -> None:
    common = json_parent()
    transfer = commands.add_parser("transfer", help="move stock between sites").add_subparsers(
        dest="step", required=True, metavar="STEP"
    )
    cmd = transfer.add_parser("request", parents=[common], help="request a transfer (prints its id)")
    cmd.add_argument("sku")
    cmd.add_argument("qty")
    cmd.add_argument("--from", dest="source", required=True, metavar="LOC")
    cmd.add_argument("--to", dest="dest", required=True, metavar="LOC")
    cmd.add_argument(
        "--line",
        nargs=2,
        action="append",
        default=[],
        metavar=("SKU", "QTY"),
        help="a further line of the same transfer",
    )
    cmd.add_argument("--note")
    cmd.set_defaults(run=_request)
    for step, handler in (("approve", _approve), ("pick", _pick), ("cancel", _cancel), ("show", _show_transfer)):
        cmd = transfer.add_parser(step, parents=[common], help=f"{step} a transfer")
        cmd.add_argument("id", type=int)
        cmd.set_defaults(run=handler)
    cmd = transfer.add_parser("receive", parents=[common], help="receive a picked transfer")
    cmd.add_argument("id", type=int)
    cmd.add_argument("--received", metavar="QTY", help="units that arrived sound (default: all picked)")
    cmd.add_argument("--damaged", metavar="QTY", default=0, help="units that arrived damaged (into quarantine)")
    cmd.add_argument("--sku", help="the line these quantities are for (default: the only line)")
    cmd.set_defaults(run=_receive)
    cmd = transfer.add_parser("list", parents=[common], help="transfers, optionally by status")
    cmd.add_argument("--status", choices=["requested", "approved", "picked", "received", "cancelled"])
    cmd.set_defaults(run=_list)

    count = commands.add_parser("count", help="cycle counts").add_subparsers(dest="step", required=True, metavar="STEP")
    cmd = count.add_parser("start", parents=[common], help="start a blind count of a location")
    cmd.add_argument("--at", required=True, metavar="LOC")
    cmd.add_argument("--due", action="store_true", help="only items due for counting by their ABC class")
    cmd.set_defaults(run=_start)
    cmd = count.add_parser("enter", parents=[common], help="enter a counted quantity")
    cmd.add_argument("id", type=int)
    cmd.add_argument("sku")
    cmd.add_argument("qty")
    cmd.add_argument("--at", metavar="LOC")
    cmd.add_argument("--lot")
    cmd.set_defaults(run=_enter)
    cmd = count.add_parser("review", parents=[common], help="variances for a manager")
    cmd.add_argument("id", type=int)
    cmd.set_defaults(run=_review)
    cmd = count.add_parser("post", parents=[common], help="post the accepted variances")
    cmd.add_argument("id", type=int)
    cmd.set_defaults(run=_post)


def _transfer_lines(row: transfers.TransferRow) -> list[str]:
    lines = [f"Transfer {row.id}: {row.from_location} -> {row.to_location}, {row.status}"]
    lines += [
        f"  {line.sku}: requested {line.requested}, picked {line.picked}, received {line.received}, "
        f"damaged {line.damaged}, short {line.short}"
        for line in row.lines
    ]
    return lines


def _request(ctx, args) -> None:
    row = transfers.request_transfer(
        ctx, [(args.sku, args.qty), *map(tuple, args.line)], source=args.source, dest=args.dest, note=args.note
    )
    emit(args.json, row, [str(row.id)])


def _approve(ctx, args) -> None:
    row = transfers.approve_transfer(ctx, args.id)
    emit(args.json, row, _transfer_lines(row))


def _cancel(ctx, args) -> None:
    row = transfers.cancel_transfer(ctx, args.id)
    emit(args.json, row, _transfer_lines(row))


def _show_transfer(ctx, args) -> None:
    row = transfers.get_transfer(ctx, args.id)
    emit(args.json, row, _transfer_lines(row))


def _list(ctx, args) -> None:
    rows = transfers.list_transfers(ctx, args.status)
    emit(args.json, {"transfers": rows}, [line for row in rows for line in _transfer_lines(row)] or ["No transfers."])


def _pick(ctx, args) -> None:
    result = transfers.pick_transfer(ctx, args.id)
    emit(args.json, posting_json(result), posting_lines(result))


def _receive(ctx, args) -> None:
    receipts = []
    if args.received is not None or args.damaged:
        sku = args.sku or _only_line(ctx, args.id)
        receipts.append(transfers.LineReceipt(sku, args.received, args.damaged))
    result = transfers.receive_transfer(ctx, args.id, receipts)
    emit(args.json, posting_json(result), posting_lines(result))


def _only_line(ctx, transfer_id: int) -> str:
    row = transfers.get_transfer(ctx, transfer_id)
    if len(row.lines) != 1:
        raise InvalidInput(f"Transfer {transfer_id} has {len(row.lines)} lines; say which with --sku.")
    return row.lines[0].sku


def _sheet_lines(sheet: counts.CountSheet, *, review: bool = False) -> list[str]:
    lines = [f"Count {sheet.session_id} of {sheet.location} ({sheet.status})"]
    for line in sheet.lines:
        text = f"  {line.location:<14} {line.sku:<16} {line.lot or '-':<12} [{line.abc_class or '-'}] "
        text += "counted " + ("-" if line.counted is None else str(line.counted))
        if review:
            text += f", books {'-' if line.book is None else line.book}, variance {line.variance}, value {line.value}"
        lines.append(text)
    return lines


def _start(ctx, args) -> None:
    sheet = counts.start_count(ctx, args.at, only_due=args.due)
    emit(args.json, sheet, _sheet_lines(sheet))


def _enter(ctx, args) -> None:
    row = counts.enter_count(ctx, args.id, args.sku, args.qty, at=args.at, lot=args.lot)
    emit(args.json, row, [f"Counted {row.counted} x {row.sku} at {row.location}"])


def _review(ctx, args) -> None:
    sheet = counts.count_variances(ctx, args.id)
    emit(args.json, sheet, _sheet_lines(sheet, review=True))


def _post(ctx, args) -> None:
    result = counts.post_count(ctx, args.id)
    emit(args.json, posting_json(result), posting_lines(result))
