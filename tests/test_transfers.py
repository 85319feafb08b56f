"""Transfers between sites: request -> approve -> pick (into transit) -> receive; cancel before pick."""

from __future__ import annotations

import pytest

from stockdesk.domain.catalog import GroupBy
from stockdesk.domain.errors import InsufficientStock, InvalidInput, InvalidState, NotFound, PermissionDenied
from stockdesk.services import queries, stock
from stockdesk.services.reconcile import reconcile
from stockdesk.services.transfers import (
    LineReceipt,
    approve_transfer,
    cancel_transfer,
    get_transfer,
    pick_transfer,
    receive_transfer,
    request_transfer,
)
from tests.builders import as_user, freeze, level, refused


@pytest.fixture
def tees(world):
    stock.receive(world, "TEE-M", 10, to="WH1-A-01")
    return world


def approved(ctx, lines=(("TEE-M", 6),), source="WH1-A-01", dest="SHOP-FRONT") -> int:
    transfer = request_transfer(ctx, list(lines), source=source, dest=dest)
    approve_transfer(ctx, transfer.id)
    return transfer.id


def picked(ctx, lines=(("TEE-M", 6),), source="WH1-A-01", dest="SHOP-FRONT") -> int:
    transfer_id = approved(ctx, lines, source, dest)
    pick_transfer(ctx, transfer_id)
    return transfer_id


def test_the_whole_lifecycle_moves_stock_through_transit(tees):
    transfer = request_transfer(tees, [("TEE-M", 6)], source="WH1-A-01", dest="SHOP-FRONT", note="weekend")
    assert (transfer.status, transfer.from_location, transfer.to_location) == ("requested", "WH1-A-01", "SHOP-FRONT")
    assert approve_transfer(tees, transfer.id).status == "approved"

    pick = pick_transfer(tees, transfer.id)
    assert {(m.from_location, m.to_location, m.qty) for m in pick.movements} == {("WH1-A-01", "@TRANSIT", 6)}
    assert get_transfer(tees, transfer.id).status == "picked"
    assert level(tees, "TEE-M", "WH1-A-01") == (4, 0, 0)
    [in_transit] = [r for r in queries.stock(tees, "TEE-M") if r.location == "SHOP-FRONT"]
    assert (in_transit.on_hand, in_transit.in_transit) == (0, 6)

    receive_transfer(tees, transfer.id)
    done = get_transfer(tees, transfer.id)
    assert done.status == "received"
    assert (done.lines[0].picked, done.lines[0].received, done.lines[0].short) == (6, 6, 0)
    assert level(tees, "TEE-M", "SHOP-FRONT") == (6, 0, 0)
    assert all(r.in_transit == 0 for r in queries.stock(tees, "TEE-M"))
    assert reconcile(tees).clean


def test_short_and_damaged_units_are_recorded_on_receipt(tees):
    transfer_id = picked(tees)

    result = receive_transfer(tees, transfer_id, [LineReceipt("TEE-M", received=3, damaged=2)])

    assert sorted((m.to_location, m.to_bucket, m.qty) for m in result.movements) == [
        ("@ADJUSTMENT", "A", 1),
        ("SHOP-FRONT", "A", 3),
        ("SHOP-FRONT", "Q", 2),
    ]
    assert result.movements[0].reason == "TRANSFER_SHORT"
    [line] = get_transfer(tees, transfer_id).lines
    assert (line.received, line.damaged, line.short) == (3, 2, 1)
    assert level(tees, "TEE-M", "SHOP-FRONT") == (5, 0, 2)
    assert reconcile(tees).clean


def test_lots_and_serials_travel_with_the_stock(world):
    freeze(world)
    stock.receive(world, "MILK-1L", 4, to="WH1-A-01", lot="L-LATE", expiry="2030-07-01")
    stock.receive(world, "MILK-1L", 4, to="WH1-A-01", lot="L-SOON", expiry="2030-06-15")
    stock.receive(world, "PHONE-X", 2, to="WH1-A-01", serials=["SN-1", "SN-2"])

    transfer_id = picked(world, [("MILK-1L", 6), ("PHONE-X", 1)])
    receive_transfer(world, transfer_id)

    assert [(r.lot, r.on_hand) for r in queries.stock(world, "MILK-1L", at="SHOP-FRONT")] == [
        ("L-SOON", 4),
        ("L-LATE", 2),
    ]
    assert queries.history(world, serial="SN-1")[-1].to_location == "SHOP-FRONT"
    assert level(world, "PHONE-X", "WH1-A-01") == (1, 0, 0)
    assert reconcile(world).clean


def test_receiving_more_than_was_picked_is_refused(tees):
    transfer_id = picked(tees)

    with refused(tees, InvalidInput, "5 received and 2 damaged is more than the 6 picked"):
        receive_transfer(tees, transfer_id, [LineReceipt("TEE-M", received=5, damaged=2)])


def test_receiving_an_item_that_is_not_on_the_transfer_is_refused(tees):
    transfer_id = picked(tees)

    with refused(tees, InvalidInput, f"Transfer {transfer_id} has no line for MILK-1L"):
        receive_transfer(tees, transfer_id, [LineReceipt("MILK-1L", received=1)])


def test_a_transfer_can_be_cancelled_before_it_is_picked(tees):
    requested = request_transfer(tees, [("TEE-M", 6)], source="WH1-A-01", dest="SHOP-FRONT")
    transfer_id = approved(tees)

    assert cancel_transfer(tees, requested.id).status == "cancelled"
    assert cancel_transfer(tees, transfer_id).status == "cancelled"
    assert level(tees, "TEE-M", "WH1-A-01") == (10, 0, 0)
    with refused(tees, InvalidState, "is cancelled; it must be approved before picking"):
        pick_transfer(tees, transfer_id)


def test_a_picked_transfer_cannot_be_cancelled(tees):
    transfer_id = picked(tees)

    with refused(tees, InvalidState, "is picked; only a transfer not yet picked can be cancelled. Receive it"):
        cancel_transfer(tees, transfer_id)


def test_a_transfer_within_one_site_is_refused(tees):
    with refused(tees, InvalidInput, "WH1-A-01 and WH1-B-01 are both in site WH1"):
        request_transfer(tees, [("TEE-M", 1)], source="WH1-A-01", dest="WH1-B-01")


@pytest.mark.parametrize(
    ("lines", "error", "match"),
    [
        ([], InvalidInput, "at least one line"),
        ([("TEE-M", 0)], InvalidInput, "greater than zero"),
        ([("NOPE", 1)], NotFound, "No item has the SKU or barcode 'NOPE'"),
    ],
)
def test_a_bad_transfer_request_is_refused(tees, lines, error, match):
    with refused(tees, error, match):
        request_transfer(tees, lines, source="WH1-A-01", dest="SHOP-FRONT")


def test_a_transfer_must_be_approved_before_picking(tees):
    transfer = request_transfer(tees, [("TEE-M", 1)], source="WH1-A-01", dest="SHOP-FRONT")

    with refused(tees, InvalidState, "is requested; it must be approved before picking"):
        pick_transfer(tees, transfer.id)


def test_staff_may_request_but_not_approve(tees):
    clerk = as_user(tees, "sam", role="staff")
    transfer = request_transfer(clerk, [("TEE-M", 1)], source="WH1-A-01", dest="SHOP-FRONT")

    with refused(tees, PermissionDenied, "sam is signed in as staff and may not approve transfers"):
        approve_transfer(clerk, transfer.id)


def test_picking_more_than_the_source_holds_is_refused(tees):
    transfer_id = approved(tees, [("TEE-M", 11)])

    with refused(tees, InsufficientStock, "Only 10 of TEE-M free in WH1-A-01; 11 needed"):
        pick_transfer(tees, transfer_id)


def test_a_transfer_from_a_site_picks_from_its_bins_in_walking_order(tees):
    stock.receive(tees, "TEE-M", 3, to="WH1-B-01")
    transfer_id = approved(tees, [("TEE-M", 12)], source="WH1", dest="SHOP")

    pick = pick_transfer(tees, transfer_id)

    assert [(m.from_location, m.qty) for m in pick.movements] == [("WH1-A-01", 10), ("WH1-B-01", 2)]
    assert level(tees, "TEE-M", "WH1-B-01") == (1, 0, 0)
    receive_transfer(tees, transfer_id)
    assert level(tees, "TEE-M", "SHOP") == (12, 0, 0)
    assert reconcile(tees).clean


def test_an_item_on_two_lines_of_one_transfer_is_refused(tees):
    with refused(tees, InvalidInput, "TEE-M appears on more than one line"):
        request_transfer(tees, [("TEE-M", 2), ("TEE-M", 3)], source="WH1-A-01", dest="SHOP-FRONT")


def test_a_second_pick_returns_the_first_result(tees):
    transfer_id = approved(tees)
    first = pick_transfer(tees, transfer_id)
    before = level(tees, "TEE-M", "WH1-A-01")

    again = pick_transfer(tees, transfer_id)

    assert (again.replayed, again.posting_id, again.movements) == (True, first.posting_id, first.movements)
    assert level(tees, "TEE-M", "WH1-A-01") == before == (4, 0, 0)


def test_a_second_receipt_returns_the_first_result(tees):
    transfer_id = picked(tees)
    first = receive_transfer(tees, transfer_id)

    again = receive_transfer(tees, transfer_id)

    assert (again.replayed, again.posting_id) == (True, first.posting_id)
    assert level(tees, "TEE-M", "SHOP-FRONT") == (6, 0, 0)


def test_in_transit_counts_at_the_destination_site(tees):
    picked(tees)

    by_site = {r.location: (r.on_hand, r.in_transit) for r in queries.stock(tees, "TEE-M", group_by=GroupBy.SITE)}
    assert by_site == {"WH1": (4, 0), "SHOP": (0, 6)}
    [total] = queries.stock(tees, "TEE-M", group_by=GroupBy.VARIANT)
    assert total.on_hand + total.in_transit == 10


def test_each_transfer_receives_the_serial_units_it_picked(world):
    stock.receive(world, "PHONE-X", 2, to="WH1-A-01", serials=["SN-1", "SN-2"])
    stock.receive(world, "PHONE-X", 1, to="WH1-A-02", serials=["SN-3"])
    to_front = picked(world, [("PHONE-X", 1)], source="WH1-A-02", dest="SHOP-FRONT")  # SN-3
    to_back = picked(world, [("PHONE-X", 1)], source="WH1-A-01", dest="SHOP-BACK")  # SN-1

    receive_transfer(world, to_front)
    receive_transfer(world, to_back)

    assert queries.history(world, serial="SN-3")[-1].to_location == "SHOP-FRONT"
    assert queries.history(world, serial="SN-1")[-1].to_location == "SHOP-BACK"
    assert reconcile(world).clean
