"""Pick lists in walking order (batched), the packing bench's scan and weight checks, shipping."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import distinct, func, select

from stockdesk.db.records import movements
from stockdesk.db.sales import SalesRepository
from stockdesk.domain.errors import (
    InvalidInput,
    InvalidState,
    NotFound,
    PermissionDenied,
    SerialConflict,
    StockDeskError,
)
from stockdesk.services import catalog, queries, stock
from stockdesk.services.packing import check_weight, pack_scan, reset_packing
from stockdesk.services.picking import PickLine, pick_list
from stockdesk.services.reconcile import reconcile
from stockdesk.services.sales_orders import SoLineInput, cancel_order, confirm_order, create_order, get_order
from stockdesk.services.shipping import ShipmentLine, ship_order, shipments_of
from tests.builders import as_user, freeze, level, refused
from tests.race_workers import race_threads
from tests.test_queries import tamper


@pytest.fixture
def stocked(world):
    """WH1 with a dock that comes first on the walk, lots of milk and three phones."""
    freeze(world)
    catalog.add_location(world, "WH1-DOCK", parent="WH1", sort_key="0-DOCK")
    catalog.add_product(world, catalog.NewProduct("MUG", "Mug", price="5"))
    stock.receive(world, "TEE-M", 3, to="WH1-DOCK")
    stock.receive(world, "TEE-M", 10, to="WH1-B-01")
    stock.receive(world, "MILK-1L", 2, to="WH1-A-02", lot="L-SOON", expiry="2030-06-15")
    stock.receive(world, "MILK-1L", 5, to="WH1-A-01", lot="L-LATE", expiry="2030-07-01")
    stock.receive(world, "PHONE-X", 3, to="WH1-A-01", serials=["SN-1", "SN-2", "SN-3"])
    return world


def confirmed(ctx, *lines: tuple[str, int]) -> int:
    order_id = create_order(ctx, "Ada", [SoLineInput(sku, qty) for sku, qty in lines]).id
    confirm_order(ctx, order_id, site="WH1")
    return order_id


def ship_postings(ctx) -> int:
    with ctx.reading() as uow:
        query = select(func.count(distinct(movements.c.posting_id))).where(movements.c.kind == "ship")
        return uow.connection.execute(query).scalar_one()


def pack(ctx, order_id: int, *codes: str) -> None:
    for code in codes:
        pack_scan(ctx, order_id, code)


def test_a_batched_pick_list_walks_the_building_once(stocked):
    first = confirmed(stocked, ("TEE-M", 4), ("MILK-1L", 3), ("PHONE-X", 1))
    second = confirmed(stocked, ("TEE-M", 2), ("PHONE-X", 1))
    a, b = f"SO-{first}", f"SO-{second}"

    lines = pick_list(stocked, [first, second])

    assert [(p.location, p.sku, p.lot, p.qty, p.orders) for p in lines] == [
        ("WH1-DOCK", "TEE-M", None, 3, ((a, 3),)),
        ("WH1-A-01", "MILK-1L", "L-LATE", 1, ((a, 1),)),
        ("WH1-A-01", "PHONE-X", None, 2, ((a, 1), (b, 1))),
        ("WH1-A-02", "MILK-1L", "L-SOON", 2, ((a, 2),)),
        ("WH1-B-01", "TEE-M", None, 3, ((a, 1), (b, 2))),
    ]
    assert lines[2].serials == ("SN-1", "SN-2", "SN-3")
    assert lines[3].expires_on.isoformat() == "2030-06-15"
    assert lines[0] == PickLine("WH1-DOCK", "TEE-M", "T-shirt, M, blue", None, None, 3, (), ((a, 3),))
    assert [(p.location, p.sku, p.qty) for p in pick_list(stocked, [second])] == [
        ("WH1-A-01", "PHONE-X", 1),
        ("WH1-B-01", "TEE-M", 2),
    ]


def test_a_pick_list_needs_reserved_orders(stocked):
    draft = create_order(stocked, "Bob", [SoLineInput("TEE-M", 1)]).id
    ready = confirmed(stocked, ("TEE-M", 1))

    with pytest.raises(InvalidState, match=f"SO-{draft} has nothing reserved to pick; confirm the order"):
        pick_list(stocked, [ready, draft])
    with pytest.raises(NotFound, match="There is no sales order SO-999"):
        pick_list(stocked, [999])
    cancel_order(stocked, draft)
    with pytest.raises(InvalidState, match=f"Order SO-{draft} is cancelled; there is nothing to pick"):
        pick_list(stocked, [draft])
    with pytest.raises(InvalidInput, match="Choose at least one order"):
        pick_list(stocked, [])


def test_packing_verifies_every_unit_and_refuses_a_wrong_item_at_once(stocked):
    order_id = confirmed(stocked, ("TEE-M", 2), ("PHONE-X", 1))

    scan = pack_scan(stocked, order_id, "4006381333931")
    assert (scan.sku, scan.packed, scan.expected, scan.complete) == ("TEE-M", 1, 2, False)
    with refused(stocked, InvalidInput, f"MUG \\(Mug\\) is not on order SO-{order_id}: set it aside"):
        pack_scan(stocked, order_id, "MUG")
    with refused(stocked, InvalidInput, "PHONE-X is tracked by serial number: scan the serial number"):
        pack_scan(stocked, order_id, "PHONE-X")
    with refused(stocked, NotFound, "No item or serial number matches 'XYZ-1'"):
        pack_scan(stocked, order_id, "XYZ-1")
    pack(stocked, order_id, "TEE-M")
    with refused(stocked, InvalidInput, "has 2 x TEE-M to pack and all of them are packed already"):
        pack_scan(stocked, order_id, "TEE-M")

    scan = pack_scan(stocked, order_id, "SN-3")

    assert (scan.sku, scan.complete, scan.order.status) == ("PHONE-X", True, "packed")
    assert scan.order.packed_serials == ("SN-3",)
    assert scan.order.verified


def test_a_serial_unit_is_packed_once_and_only_from_a_reserved_place(stocked):
    stock.receive(stocked, "PHONE-X", 1, to="SHOP-FRONT", serials=["SN-SHOP"])
    first = confirmed(stocked, ("PHONE-X", 1))
    second = confirmed(stocked, ("PHONE-X", 2))
    pack(stocked, first, "SN-1")

    with refused(stocked, SerialConflict, f"Serial SN-1 is packed for order SO-{first}"):
        pack_scan(stocked, second, "SN-1")
    with refused(stocked, SerialConflict, "Serial SN-SHOP is at SHOP-FRONT \\(not reserved for this order\\)"):
        pack_scan(stocked, second, "SN-SHOP")
    pack(stocked, second, "SN-2")
    with refused(stocked, InvalidInput, "Serial SN-2 is already packed for this order"):
        pack_scan(stocked, second, "SN-2")
    with refused(stocked, InvalidInput, "has 1 x PHONE-X to pack and all of them are packed already"):
        pack_scan(stocked, first, "SN-3")


def test_packing_can_start_over_and_a_draft_cannot_be_packed(stocked):
    order_id = confirmed(stocked, ("TEE-M", 1), ("PHONE-X", 1))
    pack(stocked, order_id, "TEE-M", "SN-2")

    order = reset_packing(stocked, order_id)

    assert ([line.packed for line in order.lines], order.packed_serials, order.status) == ([0, 0], (), "confirmed")
    draft = create_order(stocked, "Bob", [SoLineInput("TEE-M", 1)]).id
    with refused(stocked, InvalidState, f"Order SO-{draft} is still a draft; confirm it at a site first"):
        pack_scan(stocked, draft, "TEE-M")


def test_the_parcel_weight_is_checked_against_the_packed_units(stocked):
    catalog.edit_variant(stocked, "TEE-M", weight_grams=200)
    catalog.edit_variant(stocked, "MILK-1L", weight_grams="1030")
    order_id = confirmed(stocked, ("TEE-M", 2), ("MILK-1L", 1), ("PHONE-X", 1))
    with refused(stocked, InvalidState, "Nothing of order .* is packed yet; scan the items before weighing"):
        check_weight(stocked, order_id, 100)

    pack(stocked, order_id, "TEE-M")
    assert check_weight(stocked, order_id, 215) == (light := check_weight(stocked, order_id, "215"))
    assert (light.expected_grams, light.tolerance_grams, light.ok) == (200, 20, True)
    assert not check_weight(stocked, order_id, 221).ok
    pack(stocked, order_id, "TEE-M", "MILK-1L")
    heavy = check_weight(stocked, order_id, 1501)
    assert (heavy.expected_grams, heavy.tolerance_grams, heavy.ok) == (1430, 72, True)
    assert not check_weight(stocked, order_id, 1503).ok
    pack(stocked, order_id, "SN-1")
    unknown = check_weight(stocked, order_id, 5000)
    assert (unknown.expected_grams, unknown.ok) == (None, True)
    with pytest.raises(InvalidInput, match="Measured weight must be a whole number"):
        check_weight(stocked, order_id, "heavy")
    with refused(stocked, InvalidInput, "Weight in grams must be greater than zero"):
        catalog.edit_variant(stocked, "TEE-M", weight_grams=0)


def test_an_order_that_is_not_verified_cannot_ship(stocked):
    order_id = confirmed(stocked, ("TEE-M", 2))
    pack(stocked, order_id, "TEE-M")

    with refused(stocked, InvalidState, "is not verified: scan the items at the packing bench first"):
        ship_order(stocked, order_id, carrier="DHL")
    with refused(stocked, InvalidInput, "Carrier cannot be empty"):
        ship_order(stocked, order_id, carrier=" ")
    draft = create_order(stocked, "Bob", [SoLineInput("TEE-M", 1)]).id
    with refused(stocked, InvalidState, "is still a draft"):
        ship_order(stocked, draft, carrier="DHL")


def test_a_manager_may_ship_unverified_with_a_recorded_override_but_staff_may_not(stocked):
    order_id = confirmed(stocked, ("TEE-M", 2), ("PHONE-X", 1))
    pack(stocked, order_id, "TEE-M")
    clerk = as_user(stocked, "sam", role="staff")
    manager = as_user(stocked, "mia", role="manager")

    with refused(stocked, PermissionDenied, "sam is signed in as staff and may not ship an order that has not"):
        ship_order(clerk, order_id, carrier="DHL", override_note="customer is waiting")
    shipment = ship_order(manager, order_id, carrier="DHL", tracking="JD01", override_note="customer is waiting")

    assert (shipment.override_by, shipment.override_note, shipment.shipped_by) == ("mia", "customer is waiting", "mia")
    assert shipment.lines == (
        ShipmentLine("PHONE-X", "Phone X", 1, None, ("SN-1",)),
        ShipmentLine("TEE-M", "T-shirt, M, blue", 2, None, ()),
    )
    assert get_order(stocked, order_id).status == "shipped"


def test_shipping_consumes_the_reservation_and_the_stock_in_one_posting(stocked):
    order_id = confirmed(stocked, ("TEE-M", 4), ("MILK-1L", 3), ("PHONE-X", 1))
    pack(stocked, order_id, *["TEE-M"] * 4, *["MILK-1L"] * 3, "SN-2")
    clerk = as_user(stocked, "sam", role="staff")

    shipment = ship_order(clerk, order_id, carrier="DHL", tracking="JD0002")

    assert (shipment.order_number, shipment.carrier, shipment.tracking) == (f"SO-{order_id}", "DHL", "JD0002")
    assert (shipment.shipped_by, shipment.override_by, shipment.returned) == ("sam", None, ())
    assert [(line.sku, line.lot, line.qty, line.serials) for line in shipment.lines] == [
        ("MILK-1L", "L-SOON", 2, ()),
        ("MILK-1L", "L-LATE", 1, ()),
        ("PHONE-X", None, 1, ("SN-2",)),
        ("TEE-M", None, 4, ()),
    ]
    ships = [m for sku in ("TEE-M", "MILK-1L", "PHONE-X") for m in queries.history(stocked, sku) if m.kind == "ship"]
    assert {(m.from_bucket, m.to_location, m.reference) for m in ships} == {("R", "@CUSTOMER", f"SO-{order_id}")}
    assert len(ships) == 5  # one movement per place and lot, one per serial unit
    assert ship_postings(stocked) == 1
    assert level(stocked, "TEE-M", "WH1-DOCK") == (0, 0, 0)
    assert level(stocked, "TEE-M", "WH1-B-01") == (9, 0, 0)
    assert queries.history(stocked, serial="SN-2")[-1].to_location == "@CUSTOMER"
    order = get_order(stocked, order_id)
    assert order.status == "shipped"
    assert [(line.reserved, line.packed, line.shipped) for line in order.lines] == [(0, 0, 4), (0, 0, 3), (0, 0, 1)]
    assert order.packed_serials == ()
    assert reconcile(stocked).clean
    with refused(stocked, InvalidState, "is shipped; it cannot be cancelled any more"):
        cancel_order(stocked, order_id)


def test_a_partial_shipment_leaves_the_rest_open_until_it_ships_too(stocked):
    order_id = confirmed(stocked, ("TEE-M", 15))
    pack(stocked, order_id, *["TEE-M"] * 13)

    first = ship_order(stocked, order_id, carrier="DHL")
    assert get_order(stocked, order_id).status == "partial"
    with refused(stocked, InvalidState, "has already shipped in part; it cannot be cancelled"):
        cancel_order(stocked, order_id)
    with refused(stocked, InvalidState, "Nothing of order .* is reserved to ship"):
        ship_order(stocked, order_id, carrier="DHL")
    stock.receive(stocked, "TEE-M", 5, to="WH1-A-02")
    assert confirm_order(stocked, order_id, site="WH1").order.status == "confirmed"
    pack(stocked, order_id, "TEE-M", "TEE-M")
    second = ship_order(stocked, order_id, carrier="UPS")

    assert [s.id for s in shipments_of(stocked, order_id)] == [first.id, second.id]
    assert [line.qty for line in second.lines] == [2]
    order = get_order(stocked, order_id)
    assert (order.status, order.lines[0].shipped) == ("shipped", 15)
    assert level(stocked, "TEE-M", "WH1-A-02") == (3, 0, 0)
    assert reconcile(stocked).clean


def test_shipping_again_with_the_same_key_replays_the_first_shipment(stocked):
    order_id = confirmed(stocked, ("TEE-M", 2))
    pack(stocked, order_id, "TEE-M", "TEE-M")
    first = ship_order(stocked, order_id, carrier="DHL", key=f"SO-{order_id}:shipment:1")

    again = ship_order(stocked, order_id, carrier="DHL", key=f"SO-{order_id}:shipment:1")

    assert again == first
    assert len(shipments_of(stocked, order_id)) == 1
    assert level(stocked, "TEE-M", "WH1-DOCK") == (1, 0, 0)


def test_a_double_click_on_ship_from_two_threads_ships_once(stocked):
    order_id = confirmed(stocked, ("TEE-M", 2))
    pack(stocked, order_id, "TEE-M", "TEE-M")
    barrier = threading.Barrier(4)

    def click(_: int):
        barrier.wait()
        try:
            return ship_order(stocked, order_id, carrier="DHL").id
        except StockDeskError as refusal:  # a click that came after the first had committed
            assert "is shipped; it cannot be shipped any more" in str(refusal)
            return None

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(click, range(4)))

    [shipment] = shipments_of(stocked, order_id)
    assert {o for o in outcomes if o is not None} == {shipment.id}
    assert ship_postings(stocked) == 1
    assert level(stocked, "TEE-M", "WH1-DOCK") == (1, 0, 0)
    assert reconcile(stocked).clean


def test_a_packed_serial_sold_since_the_scan_is_not_swapped_for_another_unit(stocked):
    order_id = confirmed(stocked, ("PHONE-X", 1))
    pack(stocked, order_id, "SN-1")
    stock.sell(stocked, "PHONE-X", 1, source="WH1-A-01", serials=["SN-1"])

    with refused(stocked, SerialConflict, "Serial SN-1 packed for order .* reset the packing and scan"):
        ship_order(stocked, order_id, carrier="DHL")
    reset_packing(stocked, order_id)
    pack(stocked, order_id, "SN-2")
    [sent] = ship_order(stocked, order_id, carrier="DHL").lines
    assert sent.serials == ("SN-2",)
    assert reconcile(stocked).clean


def test_an_order_whose_reservations_differ_from_its_lines_does_not_ship(stocked):
    order_id = confirmed(stocked, ("TEE-M", 3))
    tamper(stocked, "UPDATE sales_order_lines SET qty_reserved = 2 WHERE qty_ordered = 3")

    with refused(stocked, InvalidState, f"SO-{order_id}'s reservations no longer match its lines \\(TEE-M: 2 on the"):
        ship_order(stocked, order_id, carrier="DHL", override_note="drift")


def test_two_benches_packing_the_same_serial_at_once_get_a_clear_refusal(stocked, monkeypatch):
    """Both check the unit before either writes (the sleep): the second must not crash on the unique key."""
    orders = [confirmed(stocked, ("PHONE-X", 1)) for _ in range(2)]
    looked_up = SalesRepository.packed_by

    def slow_lookup(self, serial_id):
        found = looked_up(self, serial_id)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(SalesRepository, "packed_by", slow_lookup)

    def bench(i: int):
        try:
            return pack_scan(stocked, orders[i], "SN-1").complete
        except SerialConflict as refusal:
            return str(refusal)

    outcomes = race_threads(2, bench)

    assert outcomes.count(True) == 1
    assert any("Serial SN-1 is packed for order SO-" in str(o) for o in outcomes)
