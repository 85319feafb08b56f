"""Transfers between sites: request -> approve -> pick (into transit) -> receive; cancel before pick.

Pick and receive post with keys derived from the transfer, so a second desktop pressing the same
button gets the first result back instead of moving the goods twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..domain import validate
from ..domain.errors import InvalidInput, InvalidState, NotFound
from ..domain.postings import ChangeSet, MovementDraft, PostingResult, Topic
from ..domain.quantities import ADJUSTMENT_CODE, TRANSIT_CODE, Bucket, Kind, Leg, Tracking
from ..domain.users import Action
from . import resolve
from .context import Context
from .posting import Plan, post


@dataclass(frozen=True)
class TransferLineRow:
    id: int
    sku: str
    requested: int
    picked: int
    received: int
    damaged: int
    short: int


@dataclass(frozen=True)
class TransferRow:
    id: int
    status: str
    from_location: str
    to_location: str
    lines: tuple[TransferLineRow, ...]


@dataclass(frozen=True)
class LineReceipt:
    """What arrived of one line: `received` sound, `damaged` into quarantine, the rest short."""

    sku: str
    received: int | None = None
    damaged: int = 0


TRANSFER_TOPIC = frozenset({Topic.TRANSFERS})


def reference(transfer_id: int) -> str:
    return f"TRANSFER-{transfer_id}"


def request_transfer(
    ctx: Context, lines: Sequence[tuple[str, int]], *, source: str, dest: str, note: str | None = None
) -> TransferRow:
    with ctx.writing() as uow:
        row = add_transfer_request(uow, ctx, lines, source=source, dest=dest, note=note)
        uow.commit(ChangeSet.of(Topic.TRANSFERS))
    return row


def add_transfer_request(
    uow, ctx: Context, lines: Sequence[tuple[str, int]], *, source: str, dest: str, note: str | None = None
) -> TransferRow:
    """A requested transfer written in the caller's transaction, which commits it (reorder drafts its
    transfers and purchase orders in one)."""
    if not lines:
        raise InvalidInput("A transfer needs at least one line.")
    skus = [sku.strip() for sku, _ in lines]
    repeated = sorted({sku for sku in skus if skus.count(sku) > 1})
    if repeated:
        raise InvalidInput(f"{', '.join(repeated)} appears on more than one line; put each item on one line.")
    src = resolve.location(uow, source)
    dst = resolve.location(uow, dest)
    if src.site_id == dst.site_id:
        site = resolve.site_of(uow, src).code
        raise InvalidInput(
            f"{src.code} and {dst.code} are both in site {site}; a transfer moves stock between "
            "sites. Move it within the site with a putaway instead."
        )
    transfer_id = uow.documents.add_transfer(
        from_id=src.id, to_id=dst.id, user_id=ctx.user.id, now=ctx.now(), note=note
    )
    for sku, qty in lines:
        uow.documents.add_transfer_line(transfer_id, resolve.variant(uow, sku).id, validate.quantity(qty))
    return _row(uow, transfer_id)


def approve_transfer(ctx: Context, transfer_id: int) -> TransferRow:
    ctx.user.require(Action.APPROVE_TRANSFER)
    return _advance(ctx, transfer_id, "requested", "approved")


def cancel_transfer(ctx: Context, transfer_id: int) -> TransferRow:
    with ctx.writing() as uow:
        current = _transfer(uow, transfer_id)
        if current.status not in ("requested", "approved"):
            raise InvalidState(
                f"Transfer {transfer_id} is {current.status}; only a transfer not yet picked can be cancelled."
                + (" Receive it, recording short or damaged units." if current.status == "picked" else "")
            )
        uow.documents.set_transfer_status(transfer_id, current.status, "cancelled", ctx.now())
        row = _row(uow, transfer_id)
        uow.commit(ChangeSet.of(Topic.TRANSFERS))
    return row


def _advance(ctx: Context, transfer_id: int, expected: str, status: str) -> TransferRow:
    with ctx.writing() as uow:
        current = _transfer(uow, transfer_id)
        if not uow.documents.set_transfer_status(transfer_id, expected, status, ctx.now(), approved_by=ctx.user.id):
            raise InvalidState(f"Transfer {transfer_id} is {current.status}, not {expected}.")
        row = _row(uow, transfer_id)
        uow.commit(ChangeSet.of(Topic.TRANSFERS))
    return row


def pick_transfer(ctx: Context, transfer_id: int) -> PostingResult:
    """Source on hand down, in transit up: first expiring lots first, then in walking order."""

    def plan(uow) -> Plan:
        current = _transfer(uow, transfer_id, lock=True)
        if current.status != "approved":
            raise InvalidState(f"Transfer {transfer_id} is {current.status}; it must be approved before picking.")
        source = uow.catalog.location(current.from_location_id)
        transit = Leg(resolve.virtual(uow, TRANSIT_CODE))
        drafts = []
        for line in uow.documents.transfer_lines(transfer_id):
            item = uow.catalog.variant(line.variant_id)
            drafts += [
                MovementDraft(Kind.TRANSFER_PICK, item.id, n, Leg(location_id), transit, lot, serial_id=serial)
                for location_id, lot, n, serial in resolve.pick_within(
                    uow, item, source, line.qty_requested, ctx.today()
                )
            ]
            uow.documents.record_line(line.id, qty_picked=line.qty_requested)

        def after(uow, _posting_id: int) -> None:
            uow.documents.set_transfer_status(transfer_id, "approved", "picked", ctx.now())

        return Plan(drafts, reference=reference(transfer_id), after=after, topics=TRANSFER_TOPIC)

    return post(
        ctx, kind=Kind.TRANSFER_PICK, key=f"{reference(transfer_id)}:pick", request={"transfer": transfer_id}, plan=plan
    )


def receive_transfer(ctx: Context, transfer_id: int, receipts: Sequence[LineReceipt] = ()) -> PostingResult:
    """In transit down; destination up by what arrived sound, into quarantine for the damaged, the rest short."""
    by_sku = {r.sku: r for r in receipts}
    if len(by_sku) != len(receipts):
        raise InvalidInput("Give each line's received and damaged quantities once.")

    def plan(uow) -> Plan:
        current = _transfer(uow, transfer_id, lock=True)
        if current.status != "picked":
            raise InvalidState(f"Transfer {transfer_id} is {current.status}; only a picked transfer can be received.")
        transit_id = resolve.virtual(uow, TRANSIT_CODE)
        loss = Leg(resolve.virtual(uow, ADJUSTMENT_CODE))
        dest = current.to_location_id
        lines = uow.documents.transfer_lines(transfer_id)
        unknown = set(by_sku) - {line.sku for line in lines}
        if unknown:
            raise InvalidInput(f"Transfer {transfer_id} has no line for {', '.join(sorted(unknown))}.")
        drafts = []
        for line in lines:
            got = by_sku.get(line.sku, LineReceipt(line.sku))
            received = (
                line.qty_picked
                if got.received is None
                else validate.quantity(got.received, what="Received quantity", allow_zero=True)
            )
            damaged = validate.quantity(got.damaged, what="Damaged quantity", allow_zero=True)
            short = line.qty_picked - received - damaged
            if short < 0:
                raise InvalidInput(
                    f"{line.sku}: {received} received and {damaged} damaged is more than the "
                    f"{line.qty_picked} picked. Receive the extra units as a separate receipt."
                )
            outcome = [(Leg(dest), received), (Leg(dest, Bucket.QUARANTINED), damaged), (loss, short)]
            drafts += _settle(uow, transfer_id, line, transit_id, outcome)
            uow.documents.record_line(line.id, qty_received=received, qty_damaged=damaged, qty_short=short)

        def after(uow, _posting_id: int) -> None:
            uow.documents.set_transfer_status(transfer_id, "picked", "received", ctx.now())

        return Plan(
            drafts,
            reference=reference(transfer_id),
            reason_code="TRANSFER_SHORT" if any(d.dest == loss for d in drafts) else None,
            after=after,
            topics=TRANSFER_TOPIC,
        )

    request = {
        "transfer": transfer_id,
        "lines": sorted(((r.sku, r.received, r.damaged) for r in receipts), key=lambda line: line[0]),
    }
    return post(ctx, kind=Kind.TRANSFER_RECEIVE, key=f"{reference(transfer_id)}:receive", request=request, plan=plan)


def _settle(uow, transfer_id: int, line, transit_id: int, outcome) -> list[MovementDraft]:
    """Split what is in transit for a line over the outcomes, lot by lot (or unit by unit)."""
    item = uow.catalog.variant(line.variant_id)
    if item.tracking is Tracking.SERIAL:
        units = [
            (lot, 1, serial)
            for lot, serial in uow.documents.transit_serials(reference(transfer_id), item.id, transit_id)
        ]
    else:
        units = [(lot, n, None) for lot, n in uow.documents.transit_lots(reference(transfer_id), item.id, transit_id)]
    drafts = []
    pending = [(leg, n) for leg, n in outcome if n > 0]
    for lot, available, serial in units:
        while available and pending:
            leg, wanted = pending[0]
            take = min(available, wanted)
            drafts.append(
                MovementDraft(Kind.TRANSFER_RECEIVE, item.id, take, Leg(transit_id), leg, lot, serial_id=serial)
            )
            available -= take
            pending[0] = (leg, wanted - take)
            if pending[0][1] == 0:
                pending.pop(0)
    return drafts


def _transfer(uow, transfer_id: int, *, lock: bool = False):
    current = uow.documents.transfer(transfer_id, lock=lock)
    if current is None:
        raise NotFound(f"There is no transfer number {transfer_id}.")
    return current


def _row(uow, transfer_id: int) -> TransferRow:
    current = uow.documents.transfer(transfer_id)
    return TransferRow(
        id=transfer_id,
        status=current.status,
        from_location=uow.catalog.location(current.from_location_id).code,
        to_location=uow.catalog.location(current.to_location_id).code,
        lines=tuple(
            TransferLineRow(
                line.id,
                line.sku,
                line.qty_requested,
                line.qty_picked,
                line.qty_received,
                line.qty_damaged,
                line.qty_short,
            )
            for line in uow.documents.transfer_lines(transfer_id)
        ),
    )


def get_transfer(ctx: Context, transfer_id: int) -> TransferRow:
    with ctx.reading() as uow:
        _transfer(uow, transfer_id)
        return _row(uow, transfer_id)


def list_transfers(ctx: Context, status: str | None = None) -> list[TransferRow]:
    with ctx.reading() as uow:
        return [_row(uow, t.id) for t in uow.documents.transfers_by_status(status)]
