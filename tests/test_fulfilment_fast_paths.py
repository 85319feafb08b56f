"""The short cuts order fulfilment takes must not change what it answers or guarantees.

Confirming and shipping build their results from what they read and wrote instead of reading the
order again; guarded writes that take stock from several rows go in one batch, and a batch that
falls short is done again row by row so the refusal names the right row; the number of statements
an order costs does not grow with its lines.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event

from stockdesk.domain.errors import InsufficientStock
from stockdesk.domain.postings import MovementDraft
from stockdesk.domain.quantities import CUSTOMER_CODE, Bucket, Kind, Leg
from stockdesk.services import catalog, resolve, stock
from stockdesk.services.packing import pack_scan
from stockdesk.services.picking import pick_list
from stockdesk.services.posting import Plan, post
from stockdesk.services.reconcile import reconcile
from stockdesk.services.sales_orders import SoLineInput, confirm_order, create_order, get_order
from stockdesk.services.shipping import get_shipment, ship_order, shipments_of
from tests.builders import as_user, freeze, level, refused


@pytest.fixture
def stocked(world):
    """Tees in two bins, milk in two lots with different expiry, three phones."""
    freeze(world)
    stock.receive(world, "TEE-M", 3, to="WH1-A-01")
    stock.receive(world, "TEE-M", 4, to="WH1-B-01")
    stock.receive(world, "MILK-1L", 2, to="WH1-A-02", lot="L-SOON", expiry="2030-06-15")
    stock.receive(world, "MILK-1L", 5, to="WH1-A-01", lot="L-LATE", expiry="2030-07-01")
    stock.receive(world, "PHONE-X", 3, to="WH1-A-01", serials=["SN-1", "SN-2", "SN-3"])
    return world


def order(ctx, *lines: tuple[str, int]) -> int:
    return create_order(ctx, "Ada", [SoLineInput(sku, qty) for sku, qty in lines]).id


def test_a_confirmation_answers_the_order_as_it_is_then_read(stocked):
    order_id = order(stocked, ("TEE-M", 5), ("MILK-1L", 3), ("PHONE-X", 4))

    first = confirm_order(stocked, order_id, site="WH1")

    assert first.order == get_order(stocked, order_id)
    assert [(s.sku, s.wanted, s.reserved) for s in first.shortages] == [("PHONE-X", 4, 3)]
    pack_scan(stocked, order_id, "SN-2")
    stock.receive(stocked, "PHONE-X", 1, to="WH1-A-02", serials=["SN-4"])

    again = confirm_order(stocked, order_id, site="WH1")

    assert again.order == get_order(stocked, order_id)
    assert again.order.packed_serials == ("SN-2",)
    assert [(line.sku, line.reserved, line.packed) for line in again.order.lines] == [
        ("TEE-M", 5, 0),
        ("MILK-1L", 3, 0),
        ("PHONE-X", 4, 1),
    ]
    assert (again.order.status, again.order.site, again.shortages) == ("confirmed", "WH1", ())


def test_a_new_shipment_answers_as_it_is_read_back(stocked):
    order_id = order(stocked, ("TEE-M", 5), ("MILK-1L", 3), ("PHONE-X", 2))
    confirm_order(stocked, order_id, site="WH1")
    pack_scan(stocked, order_id, "SN-3")
    manager = as_user(stocked, "mia", role="manager")

    shipped = ship_order(manager, order_id, carrier="DHL", tracking="JD7", override_note="half packed")

    assert shipped == get_shipment(stocked, shipped.id) == shipments_of(stocked, order_id)[0]
    assert [(line.sku, line.lot, line.qty, line.serials) for line in shipped.lines] == [
        ("MILK-1L", "L-SOON", 2, ()),
        ("MILK-1L", "L-LATE", 1, ()),
        ("PHONE-X", None, 2, ("SN-1", "SN-3")),
        ("TEE-M", None, 5, ()),
    ]
    assert (shipped.shipped_by, shipped.override_by, shipped.returned) == ("mia", "mia", ())
    assert reconcile(stocked).clean


def _selling(takes: list[tuple[str, int]]):
    """A plan selling TEE-M from these (bin, qty) parts, as a stale read of the shelves would."""

    def plan(uow) -> Plan:
        item = resolve.variant(uow, "TEE-M")
        customer = Leg(resolve.virtual(uow, CUSTOMER_CODE))
        return Plan(
            [
                MovementDraft(Kind.SELL, item.id, qty, Leg(resolve.location(uow, place).id), customer)
                for place, qty in takes
            ]
        )

    return plan


def test_a_batch_that_falls_short_is_refused_naming_the_row_that_held_too_little(stocked):
    # WH1-A-01 could give its 2 (leaving 1, itself less than 2); WH1-B-01 holds 4, not 6.
    takes = [("WH1-A-01", 2), ("WH1-B-01", 6)]

    with refused(stocked, InsufficientStock, r"Only 4 of TEE-M available at WH1-B-01 .*6 needed"):
        post(stocked, kind=Kind.SELL, key=None, request={"takes": takes}, plan=_selling(takes))

    assert level(stocked, "TEE-M", "WH1-A-01") == (3, 0, 0)


def test_a_batch_that_fell_short_of_a_stale_plan_is_planned_again(stocked):
    plans = iter([[("WH1-A-01", 2), ("WH1-B-01", 6)], [("WH1-A-01", 2), ("WH1-B-01", 4)]])

    result = post(stocked, kind=Kind.SELL, key=None, request={}, plan=lambda uow: _selling(next(plans))(uow))

    assert [m.qty for m in result.movements] == [2, 4]
    assert (level(stocked, "TEE-M", "WH1-A-01"), level(stocked, "TEE-M", "WH1-B-01")) == ((1, 0, 0), (0, 0, 0))
    assert reconcile(stocked).clean


def test_a_batch_of_reservation_takes_that_falls_short_names_the_reservation(stocked):
    stock.reserve(stocked, "TEE-M", 2, at="WH1-A-01", ref="ORD-9")
    stock.reserve(stocked, "TEE-M", 1, at="WH1-B-01", ref="ORD-9")

    def plan(uow) -> Plan:
        item = resolve.variant(uow, "TEE-M")
        customer = Leg(resolve.virtual(uow, CUSTOMER_CODE))
        parts = [("WH1-A-01", 2), ("WH1-B-01", 3)]
        return Plan(
            [
                MovementDraft(Kind.SHIP, item.id, qty, Leg(resolve.location(uow, place).id, Bucket.RESERVED), customer)
                for place, qty in parts
            ],
            reference="ORD-9",
        )

    with refused(stocked, InsufficientStock, "Order ORD-9 has 1 of TEE-M reserved at WH1-B-01, not 3"):
        post(stocked, kind=Kind.SHIP, key=None, request={}, plan=plan)


def _statements(ctx, lines: list[tuple[str, int]]) -> int:
    """Statements sent to the database to confirm, list for picking and ship one order."""
    order_id = order(ctx, *lines)
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        sent.append(statement)

    event.listen(ctx.database.engine, "before_cursor_execute", count)
    try:
        confirm_order(ctx, order_id, site="WH1")
        pick_list(ctx, [order_id])
        ship_order(ctx, order_id, carrier="DHL", override_note="counting")
    finally:
        event.remove(ctx.database.engine, "before_cursor_execute", count)
    return len(sent)


def test_fulfilling_an_order_costs_the_same_statements_for_one_line_or_five(stocked):
    for sku in ("MUG", "CUP", "JUG"):
        catalog.add_product(stocked, catalog.NewProduct(sku, sku.title(), price="5"))
        stock.receive(stocked, sku, 5, to="WH1-A-02")
    _statements(stocked, [("TEE-M", 1), ("MUG", 1), ("CUP", 1), ("JUG", 1), ("MILK-1L", 1)])  # names now known

    one = _statements(stocked, [("TEE-M", 1)])
    five = _statements(stocked, [("TEE-M", 1), ("MUG", 1), ("CUP", 1), ("JUG", 1), ("MILK-1L", 2)])

    assert one == five
    assert one <= 28
