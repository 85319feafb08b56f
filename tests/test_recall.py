"""A lot's file and its recall: where it still sits, one posting that holds every free unit, and the
refusals (staff, nothing left to hold, an unknown lot) that write nothing."""

from __future__ import annotations

import pytest

from stockdesk.domain.errors import InvalidInput, InvalidState, NotFound, PermissionDenied
from stockdesk.services import catalog, stock, transfers
from stockdesk.services.lookup import ScanKind
from stockdesk.services.lot_files import Expiry, find_tracked, lot_file, serial_file
from stockdesk.services.recall import lot_places, recall_lot
from tests.builders import as_user, freeze, refused


def lot_level(ctx, lot: str, at: str) -> tuple[int, int, int]:
    """(on hand, reserved, quarantined) of one MILK-1L lot at one place, read through the lot's file."""
    found = [p for p in lot_places(ctx, "MILK-1L", lot) if p.location == at]
    return (found[0].on_hand, found[0].reserved, found[0].quarantined) if found else (0, 0, 0)


@pytest.fixture
def milk(world):
    """Lot L1 on two shelves, partly reserved and partly in transit; lot L2 beside it."""
    freeze(world)
    stock.receive(world, "MILK-1L", 10, to="WH1-A-01", lot="L1", expiry="2030-06-20", ref="PO-1", supplier="Dairy Co")
    stock.receive(world, "MILK-1L", 5, to="SHOP-FRONT", lot="L1", ref="PO-1")
    stock.receive(world, "MILK-1L", 7, to="WH1-A-01", lot="L2", expiry="2030-07-30", ref="PO-2")
    stock.reserve(world, "MILK-1L", 2, at="WH1-A-01", ref="ORD-1", lot="L1")
    moving = transfers.request_transfer(world, [("MILK-1L", 3)], source="WH1-A-01", dest="SHOP-BACK")
    transfers.approve_transfer(world, moving.id)
    transfers.pick_transfer(world, moving.id)  # first expiring first: three units of L1
    return world


def test_the_lot_is_found_on_every_shelf_and_in_transit(milk):
    places = {p.location: (p.on_hand, p.reserved, p.quarantined, p.can_hold) for p in lot_places(milk, "MILK-1L", "L1")}

    assert places == {"WH1-A-01": (7, 2, 0, 5), "SHOP-FRONT": (5, 0, 0, 5), "@TRANSIT": (3, 0, 0, 0)}


def test_a_recall_quarantines_every_free_unit_in_one_posting(milk):
    manager = as_user(milk, "maria", "manager")

    result = recall_lot(manager, "MILK-1L", "L1")

    assert result.reference == "RECALL-L1"
    assert sorted((m.from_location, m.to_bucket, m.qty) for m in result.movements) == [
        ("SHOP-FRONT", "Q", 5),
        ("WH1-A-01", "Q", 5),
    ]
    assert lot_level(milk, "L1", "WH1-A-01") == (7, 2, 5)
    assert lot_level(milk, "L1", "SHOP-FRONT") == (5, 0, 5)
    assert lot_level(milk, "L1", "@TRANSIT") == (3, 0, 0)
    assert lot_level(milk, "L2", "WH1-A-01") == (7, 0, 0), "another lot of the same item is not held"


def test_a_second_recall_has_nothing_left_to_hold_and_says_why(milk):
    recall_lot(milk, "MILK-1L", "L1")

    with refused(
        milk, InvalidState, r"Nothing of lot L1 \(MILK-1L\).*10 already quarantined, 2 reserved.*3 in transit"
    ):
        recall_lot(milk, "MILK-1L", "L1")


def test_staff_may_not_recall_a_lot(milk):
    staff = as_user(milk, "sam", "staff")

    with refused(milk, PermissionDenied, "sam is signed in as staff and may not recall a lot"):
        recall_lot(staff, "MILK-1L", "L1")


def test_an_unknown_or_used_up_lot_is_refused(world):
    freeze(world)
    with refused(world, NotFound, "MILK-1L has no lot 'L9'"):
        recall_lot(world, "MILK-1L", "L9")
    stock.receive(world, "MILK-1L", 2, to="WH1-A-01", lot="L3", expiry="2030-06-20")
    stock.sell(world, "MILK-1L", 2, source="WH1-A-01", ref="ORD-9", lot="L3")
    with refused(world, InvalidState, "No units of lot L3 .* are left in stock"):
        recall_lot(world, "MILK-1L", "L3")


def test_the_lot_file_has_its_trace_timeline_and_customers(milk):
    stock.sell(milk, "MILK-1L", 1, source="SHOP-FRONT", ref="TILL-5", lot="L1")

    file = lot_file(milk, "MILK-1L", "L1")

    assert (file.sku, file.lot.supplier, file.expiry) == ("MILK-1L", "Dairy Co", Expiry.FRESH)
    assert [(r.supplier, r.reference, r.qty, r.location) for r in file.receipts] == [
        ("Dairy Co", "PO-1", 10, "WH1-A-01"),
        ("Dairy Co", "PO-1", 5, "SHOP-FRONT"),
    ]
    assert [(c.reference, c.qty) for c in file.customers] == [("TILL-5", 1)]
    assert [m.kind for m in file.timeline] == ["receive", "receive", "reserve", "transfer-pick", "sell"]
    assert sum(p.on_hand for p in file.places) == 15 - 1


@pytest.mark.parametrize(("expiry", "state"), [("2030-05-31", Expiry.EXPIRED), ("2030-06-10", Expiry.SOON)])
def test_expired_and_nearly_expired_lots_are_flagged(world, expiry, state):
    clock = freeze(world)
    clock.now = clock.now.replace(year=2030, month=5, day=1)  # received while in date
    stock.receive(world, "MILK-1L", 1, to="WH1-A-01", lot="LX", expiry=expiry)
    clock.now = clock.now.replace(month=6, day=1)

    [found] = find_tracked(world, "LX")

    assert (found.kind, found.expiry) == (ScanKind.LOT, state)


def test_a_number_on_several_items_gives_every_reading(world):
    freeze(world)
    catalog.add_product(world, catalog.NewProduct("CREAM-1", "Cream", tracking="lot"))
    for sku in ("MILK-1L", "CREAM-1"):
        stock.receive(world, sku, 1, to="WH1-A-01", lot="B-77", expiry="2030-09-01")
    stock.receive(world, "PHONE-X", 1, to="WH1-A-01", serials=["B-77"])

    found = [(t.kind, t.sku) for t in find_tracked(world, "B-77")]

    assert found == [(ScanKind.LOT, "CREAM-1"), (ScanKind.LOT, "MILK-1L"), (ScanKind.SERIAL, "PHONE-X")]


def test_a_code_that_is_no_lot_or_serial_is_refused_in_the_scan_words(world):
    with refused(world, NotFound, "Nothing has the code 'ZZZ': it is not a known lot or serial number"):
        find_tracked(world, "ZZZ")
    with refused(world, InvalidInput, r"'TEE-M' is an? item; here scan a lot or serial number"):
        find_tracked(world, "TEE-M")


def test_a_serial_file_says_where_the_unit_is_now(world):
    stock.receive(world, "PHONE-X", 2, to="WH1-A-01", serials=["SN-1", "SN-2"], ref="PO-1")
    stock.sell(world, "PHONE-X", 1, source="WH1-A-01", ref="ORD-1", serials=["SN-1"])

    sold, kept = serial_file(world, "PHONE-X", "SN-1"), serial_file(world, "PHONE-X", "SN-2")

    assert (sold.location, sold.state, [m.kind for m in sold.timeline]) == (
        "@CUSTOMER",
        "with a customer",
        ["receive", "sell"],
    )
    assert (kept.location, kept.state) == ("WH1-A-01", "on the shelf, free")
