"""Stock that a document owns moves only with the document's own steps.

A sales order's reservations, shipments and returns are mirrored on its lines, and a purchase
order's receipts on its lines and what is still on order. The per-item commands (reserve, release,
ship, return with a reference) and a reversal of one movement know nothing of those counters, so
they refuse a sales order's number and the postings of those documents, and say what to do instead.
"""

from __future__ import annotations

from ...db.owners import posting_owner
from ...domain import validate
from ...domain.errors import InvalidInput
from ...domain.quantities import Kind
from ...domain.sales import order_reference, sales_order_of
from ..po_rows import reference as po_reference

_ORDER_STEPS = {
    Kind.RESERVE: ("reservation", "confirm the order to reserve its stock (`so confirm {id} --site SITE`"),
    Kind.RELEASE: ("release", "cancel the order to release its stock (`so cancel {id}`"),
    Kind.SHIP: ("shipment", "pack and ship the order (`so ship {id} --carrier CARRIER`"),
    Kind.RETURN: ("return", "take the goods back against its shipment (`so return SHIPMENT_ID`"),
}
"""Per movement kind: what an order calls it, and the order's step that does it."""
_UNDOING = {Kind.RESERVE: Kind.RELEASE, Kind.RELEASE: Kind.RESERVE, Kind.SHIP: Kind.RETURN}
_ADJUST_INSTEAD = "correct the stock with an adjustment (reason DATA_ENTRY, say) instead"


def _order_step(kind: Kind, order_id: int) -> str:
    return _ORDER_STEPS[kind][1].format(id=order_id) + ", or the Orders screen)"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def free_reference(ref: str | None, kind: Kind) -> str:
    """The order reference of a per-item reserve, release, ship or return; a sales order's number is
    refused, naming the order's step that does the same."""
    ref = validate.code(ref or "", what="Order reference")
    order_id = sales_order_of(ref)
    if order_id is not None:
        raise InvalidInput(
            f"{ref} is a sales order: its stock moves only with the order's own steps. "
            f"{_capital(_order_step(kind, order_id))}."
        )
    return ref


def refuse_reversing_owned(uow, movement) -> None:
    """Refuse to reverse a movement whose posting a purchase receipt, a shipment, a return or a sales
    order's reservation owns (transfers are refused by their kind, in corrections.reverse)."""
    said = f"Movement {movement.id} belongs to"
    owner = posting_owner(uow.connection, movement.posting_id)
    if owner is not None and owner.kind == "receipt":
        raise InvalidInput(
            f"{said} {po_reference(owner.order_id)}'s receipt {owner.document_id}; reversing it would leave the "
            f"order's received quantities wrong: {_ADJUST_INSTEAD}."
        )
    if owner is not None and owner.kind == "shipment":
        raise InvalidInput(
            f"{said} {order_reference(owner.order_id)}'s shipment {owner.document_id}; "
            f"take the goods back against it instead (`so return {owner.document_id}`, or the Orders screen)."
        )
    if owner is not None:
        raise InvalidInput(
            f"{said} a return against {order_reference(owner.order_id)}'s shipment {owner.document_id}; "
            f"{_ADJUST_INSTEAD}."
        )
    order_id = sales_order_of(movement.reference)
    if order_id is None:
        return
    kind = Kind(movement.kind)
    what = _ORDER_STEPS[kind][0] if kind in _ORDER_STEPS else "stock"
    undo = f"{_order_step(_UNDOING[kind], order_id)} instead" if kind in _UNDOING else _ADJUST_INSTEAD
    raise InvalidInput(f"{said} {movement.reference}'s {what}; {undo}.")
