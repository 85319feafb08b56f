"""Stock in and out: receive, reserve, release, ship, sell, return, quarantine, scrap; FEFO and expiry."""

from __future__ import annotations

from datetime import date

import pytest

from stockdesk.domain.errors import ExpiredLot, InsufficientStock, InvalidInput, NotFound, SerialConflict
from stockdesk.services import queries, stock
from stockdesk.services.reconcile import reconcile
from tests.builders import freeze, level, refused

# -- receive ---------------------------------------------------------------------------------


def test_free_receipt_comes_from_the_supplier(world):
    result = stock.receive(world, "TEE-M", 10, to="WH1-A-01", ref="DELIVERY-1")

    [move] = result.movements
    assert (move.kind, move.qty, move.from_location, move.to_location, move.to_bucket) == (
        "receive",
        10,
        "@SUPPLIER",
        "WH1-A-01",
        "A",
    )
    assert result.reference == "DELIVERY-1"
    assert level(world, "TEE-M", "WH1-A-01") == (10, 0, 0)
    assert reconcile(world).clean


def test_a_barcode_scan_finds_the_item(world):
    stock.receive(world, "4006381333931", 2, to="WH1-A-01")
    assert level(world, "TEE-M", "WH1-A-01") == (2, 0, 0)


def test_lot_receipt_records_the_lot_and_its_expiry(world):
    freeze(world)
    stock.receive(world, "MILK-1L", 12, to="WH1-A-01", lot="L-100", expiry="2030-06-20", supplier="Dairy Co")

    [row] = queries.stock(world, "MILK-1L")
    assert (row.lot, row.expires_on, row.on_hand) == ("L-100", date(2030, 6, 20), 12)


def test_serial_receipt_puts_each_unit_on_the_shelf(world):
    stock.receive(world, "PHONE-X", 2, to="WH1-A-01", serials=["SN-1", "SN-2"])

    assert level(world, "PHONE-X", "WH1-A-01") == (2, 0, 0)
    assert [m.serial for m in queries.history(world, serial="SN-1")] == ["SN-1"]


def test_receipt_into_quarantine_is_on_hand_but_not_available(world):
    stock.receive(world, "TEE-M", 5, to="WH1-A-01", quarantine=True)

    [row] = queries.stock(world, "TEE-M")
    assert (row.on_hand, row.quarantined, row.available) == (5, 5, 0)


@pytest.mark.parametrize(
    ("qty", "match"),
    [(0, "greater than zero"), (-3, "greater than zero"), ("ten", "whole number"), (1.5, "whole number")],
)
def test_receipt_of_a_bad_quantity_is_refused(world, qty, match):
    with refused(world, InvalidInput, match):
        stock.receive(world, "TEE-M", qty, to="WH1-A-01")


def test_receipt_of_an_unknown_sku_is_refused(world):
    with refused(world, NotFound, "No item has the SKU or barcode 'NOPE'"):
        stock.receive(world, "NOPE", 1, to="WH1-A-01")


def test_receipt_into_an_unknown_location_is_refused(world):
    with refused(world, NotFound, "no location 'WH9'"):
        stock.receive(world, "TEE-M", 1, to="WH9")


def test_receipt_of_a_lot_item_needs_the_lot_number(world):
    with refused(world, InvalidInput, "tracked by lot: give the lot number"):
        stock.receive(world, "MILK-1L", 5, to="WH1-A-01")


def test_receipt_of_serial_items_needs_one_serial_per_unit(world):
    with refused(world, InvalidInput, r"one serial per unit \(2 needed, 1 given\)"):
        stock.receive(world, "PHONE-X", 2, to="WH1-A-01", serials=["SN-1"])


def test_the_same_serial_twice_in_one_receipt_is_refused(world):
    with refused(world, InvalidInput, "The same serial number was given twice"):
        stock.receive(world, "PHONE-X", 2, to="WH1-A-01", serials=["SN-1", " SN-1"])


def test_a_serial_already_in_stock_cannot_be_received_again(world):
    stock.receive(world, "PHONE-X", 1, to="WH1-A-01", serials=["SN-1"])

    with refused(world, SerialConflict, "SN-1 is already on the books at WH1-A-01"):
        stock.receive(world, "PHONE-X", 2, to="WH1-A-02", serials=["SN-2", "SN-1"])


def test_a_shipped_serial_comes_back_only_as_a_return(world):
    stock.receive(world, "PHONE-X", 1, to="WH1-A-01", serials=["SN-1"])
    stock.sell(world, "PHONE-X", 1, source="WH1-A-01", ref="ORD-1", serials=["SN-1"])

    with refused(world, SerialConflict, "book it as a return"):
        stock.receive(world, "PHONE-X", 1, to="WH1-A-01", serials=["SN-1"])


def test_an_expired_lot_cannot_be_received(world):
    freeze(world)
    with refused(world, ExpiredLot, "Lot L-OLD expired on 2030-05-01"):
        stock.receive(world, "MILK-1L", 5, to="WH1-A-01", lot="L-OLD", expiry="2030-05-01")


def test_more_of_a_lot_that_has_since_expired_cannot_be_received(world):
    clock = freeze(world)
    stock.receive(world, "MILK-1L", 5, to="WH1-A-01", lot="L-1", expiry="2030-06-05")
    clock.advance(days=10)

    with refused(world, ExpiredLot, "L-1 expired on 2030-06-05"):
        stock.receive(world, "MILK-1L", 5, to="WH1-A-01", lot="L-1")


def test_a_lot_received_again_with_another_expiry_is_refused(world):
    freeze(world)
    stock.receive(world, "MILK-1L", 5, to="WH1-A-01", lot="L-1", expiry="2030-06-20")

    with refused(world, InvalidInput, "already on the books expiring 2030-06-20, not 2030-07-01"):
        stock.receive(world, "MILK-1L", 5, to="WH1-A-01", lot="L-1", expiry="2030-07-01")


# -- reserve, release, ship ------------------------------------------------------------------


@pytest.fixture
def tees(world):
    stock.receive(world, "TEE-M", 10, to="WH1-A-01")
    return world


def test_a_reservation_keeps_units_on_hand_but_not_available(tees):
    stock.reserve(tees, "TEE-M", 3, at="WH1-A-01", ref="ORD-1")

    [row] = queries.stock(tees, "TEE-M")
    assert (row.on_hand, row.reserved, row.available) == (10, 3, 7)
    assert reconcile(tees).clean


def test_reserving_more_than_available_is_refused(tees):
    stock.reserve(tees, "TEE-M", 8, at="WH1-A-01", ref="ORD-1")

    with refused(tees, InsufficientStock, r"Only 2 of TEE-M available at WH1-A-01 .*3 needed"):
        stock.reserve(tees, "TEE-M", 3, at="WH1-A-01", ref="ORD-2")


def test_a_reservation_needs_an_order_reference(tees):
    with refused(tees, InvalidInput, "Order reference cannot be empty"):
        stock.reserve(tees, "TEE-M", 1, at="WH1-A-01", ref="  ")


def test_release_gives_reserved_units_back(tees):
    stock.reserve(tees, "TEE-M", 3, at="WH1-A-01", ref="ORD-1")
    stock.release(tees, "TEE-M", 2, at="WH1-A-01", ref="ORD-1")

    assert level(tees, "TEE-M", "WH1-A-01") == (10, 1, 0)


def test_releasing_more_than_the_order_reserved_is_refused(tees):
    stock.reserve(tees, "TEE-M", 3, at="WH1-A-01", ref="ORD-1")
    stock.reserve(tees, "TEE-M", 3, at="WH1-A-01", ref="ORD-2")

    with refused(tees, InsufficientStock, "Order ORD-1 has only 3 .* reserved here; 4 cannot be released"):
        stock.release(tees, "TEE-M", 4, at="WH1-A-01", ref="ORD-1")


def test_shipping_takes_the_orders_reservation_first_then_available(tees):
    stock.reserve(tees, "TEE-M", 3, at="WH1-A-01", ref="ORD-1")
    stock.reserve(tees, "TEE-M", 2, at="WH1-A-01", ref="ORD-2")

    result = stock.ship(tees, "TEE-M", 4, source="WH1-A-01", ref="ORD-1")

    assert sorted((m.from_bucket, m.qty, m.to_location) for m in result.movements) == [
        ("A", 1, "@CUSTOMER"),
        ("R", 3, "@CUSTOMER"),
    ]
    assert level(tees, "TEE-M", "WH1-A-01") == (6, 2, 0)
    assert reconcile(tees).clean


def test_shipping_cannot_use_another_orders_reservation(tees):
    stock.reserve(tees, "TEE-M", 9, at="WH1-A-01", ref="ORD-1")

    with refused(tees, InsufficientStock, "Only 1 of TEE-M available at WH1-A-01"):
        stock.ship(tees, "TEE-M", 2, source="WH1-A-01", ref="ORD-2")


def test_shipping_a_serial_unit_moves_it_to_the_customer(world):
    stock.receive(world, "PHONE-X", 2, to="WH1-A-01", serials=["SN-1", "SN-2"])
    stock.reserve(world, "PHONE-X", 1, at="WH1-A-01", ref="ORD-1")

    stock.ship(world, "PHONE-X", 1, source="WH1-A-01", ref="ORD-1", serials=["SN-2"])

    assert queries.history(world, serial="SN-2")[-1].to_location == "@CUSTOMER"
    assert level(world, "PHONE-X", "WH1-A-01") == (1, 0, 0)
    assert reconcile(world).clean


def test_shipping_a_serial_that_is_elsewhere_is_refused(world):
    stock.receive(world, "PHONE-X", 1, to="WH1-A-02", serials=["SN-1"])
    stock.receive(world, "PHONE-X", 1, to="WH1-A-01", serials=["SN-2"])

    with refused(world, SerialConflict, r"SN-1 is at WH1-A-02 \(free\), not at WH1-A-01"):
        stock.ship(world, "PHONE-X", 1, source="WH1-A-01", ref="ORD-1", serials=["SN-1"])


# -- sell and return -------------------------------------------------------------------------


def test_a_counter_sale_takes_available_stock(tees):
    stock.sell(tees, "TEE-M", 4, source="WH1-A-01")
    assert level(tees, "TEE-M", "WH1-A-01") == (6, 0, 0)


def test_a_sale_cannot_take_reserved_or_quarantined_units(tees):
    stock.reserve(tees, "TEE-M", 5, at="WH1-A-01", ref="ORD-1")
    stock.quarantine(tees, "TEE-M", 3, at="WH1-A-01")

    with refused(tees, InsufficientStock, r"Only 2 of TEE-M available .*on hand 10, reserved 5, quarantined 3"):
        stock.sell(tees, "TEE-M", 3, source="WH1-A-01")


def test_a_return_goes_back_to_sellable_stock(tees):
    stock.sell(tees, "TEE-M", 4, source="WH1-A-01", ref="ORD-1")
    stock.return_goods(tees, "TEE-M", 1, to="WH1-A-02", ref="ORD-1")

    assert level(tees, "TEE-M", "WH1-A-02") == (1, 0, 0)
    assert reconcile(tees).clean


def test_a_damaged_return_goes_to_quarantine(tees):
    stock.sell(tees, "TEE-M", 4, source="WH1-A-01", ref="ORD-1")
    result = stock.return_goods(tees, "TEE-M", 2, to="WH1-A-01", ref="ORD-1", quarantine=True, reason="torn")

    [row] = queries.stock(tees, "TEE-M")
    assert (row.on_hand, row.quarantined, row.available) == (8, 2, 6)
    assert result.movements[0].note == "torn"


def test_more_cannot_come_back_than_went_out_on_the_order(tees):
    stock.sell(tees, "TEE-M", 2, source="WH1-A-01", ref="ORD-1")
    stock.return_goods(tees, "TEE-M", 1, to="WH1-A-01", ref="ORD-1")

    with refused(tees, InvalidInput, "Order ORD-1 has 1 of TEE-M that can come back, not 2"):
        stock.return_goods(tees, "TEE-M", 2, to="WH1-A-01", ref="ORD-1")


def test_a_returned_serial_is_back_on_the_shelf(world):
    stock.receive(world, "PHONE-X", 1, to="WH1-A-01", serials=["SN-1"])
    stock.sell(world, "PHONE-X", 1, source="WH1-A-01", ref="ORD-1", serials=["SN-1"])

    stock.return_goods(world, "PHONE-X", 1, to="WH1-A-02", ref="ORD-1", serials=["SN-1"])

    assert level(world, "PHONE-X", "WH1-A-02") == (1, 0, 0)
    assert reconcile(world).clean


def test_a_serial_cannot_be_returned_against_another_order(world):
    stock.receive(world, "PHONE-X", 1, to="WH1-A-01", serials=["SN-1"])
    stock.sell(world, "PHONE-X", 1, source="WH1-A-01", ref="ORD-1", serials=["SN-1"])

    with refused(world, SerialConflict, "SN-1 was not shipped on order ORD-2"):
        stock.return_goods(world, "PHONE-X", 1, to="WH1-A-01", ref="ORD-2", serials=["SN-1"])


def test_a_serial_in_stock_cannot_be_returned(world):
    stock.receive(world, "PHONE-X", 1, to="WH1-A-01", serials=["SN-1"])

    with refused(world, SerialConflict, "SN-1 is at WH1-A-01; only a shipped unit can be returned"):
        stock.return_goods(world, "PHONE-X", 1, to="WH1-A-01", ref="ORD-1", serials=["SN-1"])


# -- quarantine and scrap --------------------------------------------------------------------


def test_quarantine_and_release_move_units_on_and_off_hold(tees):
    stock.quarantine(tees, "TEE-M", 4, at="WH1-A-01", note="inspection")
    assert level(tees, "TEE-M", "WH1-A-01") == (10, 0, 4)

    stock.release_quarantine(tees, "TEE-M", 3, at="WH1-A-01")
    assert level(tees, "TEE-M", "WH1-A-01") == (10, 0, 1)
    assert reconcile(tees).clean


def test_releasing_more_than_is_on_hold_is_refused(tees):
    stock.quarantine(tees, "TEE-M", 2, at="WH1-A-01")

    with refused(tees, InsufficientStock, "Only 2 of TEE-M quarantined at WH1-A-01; cannot release 3"):
        stock.release_quarantine(tees, "TEE-M", 3, at="WH1-A-01")


def test_a_quarantined_serial_cannot_be_sold(world):
    stock.receive(world, "PHONE-X", 1, to="WH1-A-01", serials=["SN-1"])
    stock.quarantine(world, "PHONE-X", 1, at="WH1-A-01", serials=["SN-1"])

    with refused(world, SerialConflict, r"SN-1 is at WH1-A-01 \(on hold\)"):
        stock.sell(world, "PHONE-X", 1, source="WH1-A-01", serials=["SN-1"])


def test_scrap_writes_stock_off_from_available_or_quarantine(tees):
    stock.quarantine(tees, "TEE-M", 3, at="WH1-A-01")

    stock.scrap(tees, "TEE-M", 2, at="WH1-A-01", from_quarantine=True)
    result = stock.scrap(tees, "TEE-M", 1, at="WH1-A-01")

    assert result.movements[0].to_location == "@SCRAP"
    assert level(tees, "TEE-M", "WH1-A-01") == (7, 0, 1)
    assert reconcile(tees).clean


def test_scrapping_more_than_is_quarantined_is_refused(tees):
    stock.quarantine(tees, "TEE-M", 1, at="WH1-A-01")

    with refused(tees, InsufficientStock, "Only 1 of TEE-M quarantined"):
        stock.scrap(tees, "TEE-M", 2, at="WH1-A-01", from_quarantine=True)


# -- lots: first expiring first, and expired lots ------------------------------------------------


@pytest.fixture
def milk(world):
    """Three lots at WH1-A-01, received latest-expiring first: FEFO must not follow receipt order."""
    freeze(world)
    stock.receive(world, "MILK-1L", 5, to="WH1-A-01", lot="L-LATE", expiry="2030-06-30")
    stock.receive(world, "MILK-1L", 5, to="WH1-A-01", lot="L-NONE")
    stock.receive(world, "MILK-1L", 3, to="WH1-A-01", lot="L-SOON", expiry="2030-06-10")
    return world


def test_a_sale_takes_the_first_expiring_lot_first(milk):
    result = stock.sell(milk, "MILK-1L", 4, source="WH1-A-01")
    assert [(m.lot, m.qty) for m in result.movements] == [("L-SOON", 3), ("L-LATE", 1)]


def test_a_reservation_takes_the_first_expiring_lot_first_and_the_shipment_follows_it(milk):
    stock.reserve(milk, "MILK-1L", 9, at="WH1-A-01", ref="ORD-1")
    result = stock.ship(milk, "MILK-1L", 9, source="WH1-A-01", ref="ORD-1")

    assert [(m.lot, m.qty) for m in result.movements] == [("L-SOON", 3), ("L-LATE", 5), ("L-NONE", 1)]
    assert reconcile(milk).clean


def test_a_partial_release_keeps_the_first_expiring_units_reserved(milk):
    stock.reserve(milk, "MILK-1L", 9, at="WH1-A-01", ref="ORD-1")

    released = stock.release(milk, "MILK-1L", 2, at="WH1-A-01", ref="ORD-1")
    shipped = stock.ship(milk, "MILK-1L", 7, source="WH1-A-01", ref="ORD-1")

    assert [(m.lot, m.qty) for m in released.movements] == [("L-NONE", 1), ("L-LATE", 1)]
    assert [(m.lot, m.qty) for m in shipped.movements] == [("L-SOON", 3), ("L-LATE", 4)]
    assert reconcile(milk).clean


def test_a_named_lot_is_used_as_asked(milk):
    result = stock.sell(milk, "MILK-1L", 2, source="WH1-A-01", lot="L-NONE")
    assert [(m.lot, m.qty) for m in result.movements] == [("L-NONE", 2)]


def test_expired_lots_are_never_picked_automatically(milk):
    milk.clock.advance(days=15)  # L-SOON is past its date

    result = stock.sell(milk, "MILK-1L", 6, source="WH1-A-01")
    assert [(m.lot, m.qty) for m in result.movements] == [("L-LATE", 5), ("L-NONE", 1)]
    with refused(milk, InsufficientStock, "Only 4 of MILK-1L in unexpired lots at WH1-A-01; 5 needed"):
        stock.sell(milk, "MILK-1L", 5, source="WH1-A-01")


@pytest.mark.parametrize("operation", ["sell", "reserve"])
def test_an_expired_lot_cannot_be_sold_or_reserved(milk, operation):
    milk.clock.advance(days=15)
    with refused(milk, ExpiredLot, "Lot L-SOON of MILK-1L expired on 2030-06-10"):
        if operation == "sell":
            stock.sell(milk, "MILK-1L", 1, source="WH1-A-01", lot="L-SOON")
        else:
            stock.reserve(milk, "MILK-1L", 1, at="WH1-A-01", ref="ORD-1", lot="L-SOON")


def test_an_expired_lot_can_still_be_quarantined_and_scrapped(milk):
    milk.clock.advance(days=15)

    stock.quarantine(milk, "MILK-1L", 3, at="WH1-A-01", lot="L-SOON", note="past its date")
    stock.scrap(milk, "MILK-1L", 3, at="WH1-A-01", lot="L-SOON", from_quarantine=True)

    assert [r.lot for r in queries.stock(milk, "MILK-1L")] == ["L-LATE", "L-NONE"]
    assert reconcile(milk).clean
