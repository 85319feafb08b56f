"""Receiving a delivery against a purchase order: one RECEIVE posting (ref PO-{id}) whose `after`
hook books the receipt, its discrepancies, the line counters, what is still on order and the
order's status in the same transaction.

Two clerks booking the same delivery: the plan locks the order row before it reads the lines, so
the second waits, then checks the tolerance against the first one's numbers. The supplier's delivery
note is required because it makes them one booking: both use the key it gives, so the second finds
the first's posting and gets it back (or, with other numbers, a refusal naming the first receipt).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..domain import validate
from ..domain.catalog import VariantRow
from ..domain.errors import DuplicateKey, InvalidInput, InvalidState
from ..domain.postings import PostingResult, Topic
from ..domain.quantities import Kind
from ..domain.receiving import WrongItem, answer_for, answers_to_wrong_items, delivery_note
from . import resolve
from .context import Context
from .po_rows import RECEIVABLE, DiscrepancyRow, PurchaseOrderRow, discrepancy_row, header, po_row, reference
from .posting import Plan, post
from .stock.receipts import CheckedLine, ReceiptLine, check_line, line_errors, receipt_drafts

PURCHASING = frozenset({Topic.PURCHASING})


@dataclass(frozen=True)
class PoReceiptLine:
    sku: str
    qty: int | str = 0
    """Units that arrived sound, into available stock."""
    damaged: int | str = 0
    """Units that arrived damaged, into quarantine."""
    lot: str | None = None
    expiry: date | str | None = None
    serials: Sequence[str] = ()
    """The sound units' serial numbers."""
    damaged_serials: Sequence[str] = ()


@dataclass(frozen=True)
class PoReceiptResult:
    receipt_id: int
    posting: PostingResult
    po: PurchaseOrderRow
    discrepancies: tuple[DiscrepancyRow, ...]
    """This receipt's: over, damaged, wrong item."""


@dataclass(frozen=True)
class _Arrival:
    """One line of the delivery with its shape checked: the sound and damaged parts as receipt lines."""

    number: int
    sku: str
    sound: int
    damaged: int
    parts: tuple[CheckedLine, ...]

    def request(self) -> list:
        return [self.sku.strip(), *(sorted(part.request().items()) for part in self.parts)]


@dataclass
class _Tally:
    """What this delivery brings of one item, and the order line it lands on (None: a new wrong item)."""

    item: VariantRow
    line: object | None
    sound: int = 0
    damaged: int = 0

    @property
    def units(self) -> int:
        return self.sound + self.damaged


def receive_po(
    ctx: Context,
    po_id: int,
    lines: Sequence[PoReceiptLine],
    *,
    delivery_ref: str | None = None,
    wrong_item: WrongItem = "refuse",
    key: str | None = None,
) -> PoReceiptResult:
    """One delivery as one posting. `wrong_item` says what happens to an item the order does not have:
    "refuse" (the whole receipt), "keep" or "return", for all such items or per SKU ({sku: policy})."""
    policies = answers_to_wrong_items(wrong_item)
    delivery_ref = delivery_note(delivery_ref)
    if not lines:
        raise InvalidInput("Nothing to receive: scan or add the items that arrived first.")
    with ctx.reading() as uow:
        deliver_to = header(uow, po_id).deliver_to
    named = len(lines) > 1
    arrivals = [_arrival(number, line, deliver_to, named) for number, line in enumerate(lines, start=1)]
    key = key or f"{reference(po_id)}:delivery:{delivery_ref}"
    request = {
        "po": po_id,
        "delivery": delivery_ref,
        "wrong_item": policies,
        "lines": sorted((a.request() for a in arrivals), key=str),
    }

    def plan(uow) -> Plan:
        return _plan(ctx, uow, po_id, arrivals, policies, delivery_ref, key, named)

    try:
        posting = post(ctx, kind=Kind.RECEIVE, key=key, request=request, plan=plan)
    except DuplicateKey:
        with ctx.reading() as uow:
            booked = uow.purchasing.receipt_by_delivery(po_id, delivery_ref)
        if booked is None:
            raise  # the caller's own key, reused for another delivery
        raise _booked_before(po_id, delivery_ref, booked) from None
    with ctx.reading() as uow:
        receipt_id = uow.purchasing.receipt_of_posting(posting.posting_id)
        found = uow.purchasing.discrepancies([po_id], receipt_id=receipt_id)
        return PoReceiptResult(receipt_id, posting, po_row(uow, po_id), tuple(discrepancy_row(d) for d in found))


def _booked_before(po_id: int, delivery_ref: str, booked) -> DuplicateKey:
    return DuplicateKey(
        f"Delivery {delivery_ref} was already booked on {reference(po_id)} (receipt {booked.id} by "
        f"{booked.username or 'someone'} at {booked.received_at:%Y-%m-%d %H:%M}); if this is another delivery, "
        "give its own note number, and if the booked numbers were wrong, correct the stock with an adjustment."
    )


def _arrival(number: int, line: PoReceiptLine, deliver_to: str, named: bool) -> _Arrival:
    with line_errors(number, line.sku, named):
        sound = validate.quantity(line.qty, what="Sound quantity", allow_zero=True)
        damaged = validate.quantity(line.damaged, what="Damaged quantity", allow_zero=True)
        if sound + damaged == 0:
            raise InvalidInput("Nothing received on this line: give the sound or the damaged quantity.")
        for units, numbers, what in ((sound, line.serials, "sound"), (damaged, line.damaged_serials, "damaged")):
            if numbers and not units:
                raise InvalidInput(f"{len(numbers)} serial numbers given for 0 {what} units; give the quantity too.")
        twice = {s.strip() for s in line.serials} & {s.strip() for s in line.damaged_serials}
        if twice:
            raise InvalidInput(f"Serial {min(twice)} is listed as sound and as damaged; a unit is one or the other.")
        parts = []
        if sound:
            parts.append(ReceiptLine(line.sku, sound, line.lot, line.expiry, tuple(line.serials), to=deliver_to))
        if damaged:
            held = tuple(line.damaged_serials)
            parts.append(ReceiptLine(line.sku, damaged, line.lot, line.expiry, held, to=deliver_to, quarantine=True))
        return _Arrival(number, line.sku, sound, damaged, tuple(check_line(number, part, None) for part in parts))


def _plan(ctx, uow, po_id: int, arrivals, policies, delivery_ref, key, named: bool) -> Plan:
    po = header(uow, po_id, lock=True)
    if uow.ledger.posting_by_key(key) is not None:
        # Another clerk booked this delivery while we waited for the order: `post` hands theirs back.
        return Plan(())
    booked = uow.purchasing.receipt_by_delivery(po_id, delivery_ref)
    if booked is not None:  # booked under another key (a caller's own)
        raise _booked_before(po_id, delivery_ref, booked)
    if po.status not in RECEIVABLE:
        raise InvalidState(f"{reference(po_id)} is {po.status}; only a sent or partly received order can be received.")
    lines = uow.purchasing.lines([po_id])
    planned = {line.variant_id: line for line in lines if not line.unplanned}
    unplanned = {line.variant_id: line for line in lines if line.unplanned}
    kept: dict[int, _Tally] = {}
    returned: dict[int, _Tally] = {}
    receiving: list[CheckedLine] = []
    for arrival in arrivals:
        with line_errors(arrival.number, arrival.sku, named):
            item = resolve.variant(uow, arrival.sku)
        policy = None if item.id in planned else answer_for(policies, item.sku, item.barcode)
        if policy == "refuse":
            raise InvalidInput(
                f"{item.sku} ({item.name}) is not on {reference(po_id)}. Send it back, or receive it as a wrong "
                "item that is kept or returned."
            )
        into = returned if policy == "return" else kept
        tally = into.setdefault(item.id, _Tally(item, planned.get(item.id) or unplanned.get(item.id)))
        tally.sound += arrival.sound
        tally.damaged += arrival.damaged
        if into is kept:
            receiving += arrival.parts
    for tally in kept.values():
        if tally.item.id in planned:
            _within_tolerance(po, tally)
    drafts = receipt_drafts(uow, ctx, receiving, named, po.supplier_name)

    def after(uow, posting_id: int) -> None:
        _book(ctx, uow, po, posting_id, delivery_ref, kept, returned, planned)

    return Plan(drafts, reference=reference(po_id), after=after, topics=PURCHASING)


def _within_tolerance(po, tally: _Tally) -> None:
    line = tally.line
    before = line.qty_received + line.qty_damaged
    total = before + tally.units
    limit = line.qty_ordered + line.qty_ordered * po.over_receipt_pct // 100
    if total > limit:
        raise InvalidInput(
            f"{tally.item.sku}: {tally.units} more would make {total} received against {line.qty_ordered} ordered; "
            f"{po.supplier_code} may deliver at most {limit} ({po.over_receipt_pct}% over). "
            f"Receive at most {max(limit - before, 0)} and send the rest back."
        )


def _book(ctx, uow, po, posting_id: int, delivery_ref, kept, returned, planned) -> None:
    """The receipt, line counters, on order, discrepancies and status, in the posting's transaction."""
    now = ctx.now()
    repo = uow.purchasing
    receipt_id = repo.add_receipt(
        po_id=po.id, posting_id=posting_id, delivery_ref=delivery_ref, received_by=ctx.user.id, received_at=now
    )

    def record(tally: _Tally, line_id: int | None, kind: str, qty: int, note: str, *, on_books: bool = True) -> None:
        repo.add_discrepancy(
            po_id=po.id,
            po_line_id=line_id,
            receipt_id=receipt_id,
            variant_id=tally.item.id,
            kind=kind,
            qty=qty,
            kept=on_books,
            note=note,
            recorded_by=ctx.user.id,
            recorded_at=now,
        )

    for tally in kept.values():
        line = tally.line
        if line is None:
            line_id = repo.add_line(
                po_id=po.id,
                variant_id=tally.item.id,
                qty_ordered=0,
                unit_cost=tally.item.unit_cost,
                qty_received=tally.sound,
                qty_damaged=tally.damaged,
                unplanned=True,
            )
        else:
            line_id = line.id
            received, damaged = line.qty_received + tally.sound, line.qty_damaged + tally.damaged
            repo.set_line(
                line_id,
                qty_received=received,
                qty_damaged=damaged,
                qty_on_order=max(line.qty_ordered - received - damaged, 0),
            )
        if tally.item.id in planned:
            before = line.qty_received + line.qty_damaged
            over = before + tally.units - max(line.qty_ordered, before)
            if over > 0:
                note = f"{over} over the {line.qty_ordered} ordered (tolerance {po.over_receipt_pct}%)"
                record(tally, line_id, "over", over, note)
        else:
            record(tally, line_id, "wrong_item", tally.units, "not on the order; kept as an unplanned line")
        if tally.damaged:
            record(tally, line_id, "damaged", tally.damaged, f"received into quarantine at {po.deliver_to}")
    for tally in returned.values():
        record(tally, None, "wrong_item", tally.units, "not on the order; sent back to the supplier", on_books=False)
    repo.set_po(po.id, now, status=_status(po.status, repo.lines([po.id])))


def _status(current: str, lines) -> str:
    planned = [line for line in lines if not line.unplanned]
    if all(line.qty_received + line.qty_damaged >= line.qty_ordered for line in planned):
        return "received"
    if any(line.qty_received or line.qty_damaged for line in lines):
        return "partial"
    return current
