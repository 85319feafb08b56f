"""Manual corrections: adjustments with reason codes, and reversals that point at the original."""

from __future__ import annotations

import pytest

from stockdesk.domain.errors import InsufficientStock, InvalidInput, NotFound, PermissionDenied
from stockdesk.services import queries, stock, transfers
from stockdesk.services.reconcile import reconcile
from tests.builders import as_user, freeze, level, refused


@pytest.fixture
def tees(world):
    stock.receive(world, "TEE-M", 10, to="WH1-A-01")
    return world


# -- adjust ----------------------------------------------------------------------------------


def test_an_adjustment_records_reason_note_who_and_before_and_after(tees):
    result = stock.adjust(tees, "TEE-M", -3, at="WH1-A-01", reason="damaged", note="water leak")

    [move] = result.movements
    assert (move.kind, move.qty, move.from_location, move.to_location) == ("adjust", 3, "WH1-A-01", "@ADJUSTMENT")
    assert (move.before_qty, move.after_qty) == (10, 7)
    assert (move.reason, move.note, move.user) == ("DAMAGED", "water leak", "owner")
    assert level(tees, "TEE-M", "WH1-A-01") == (7, 0, 0)
    assert reconcile(tees).clean


def test_found_stock_comes_in_from_the_adjustment_account(tees):
    [move] = stock.adjust(tees, "TEE-M", "+2", at="WH1-A-02", reason="FOUND").movements

    assert (move.from_location, move.to_location, move.before_qty, move.after_qty) == (
        "@ADJUSTMENT",
        "WH1-A-02",
        0,
        2,
    )


def test_a_found_serial_unit_is_booked_in_with_its_number(world):
    stock.adjust(world, "PHONE-X", 1, at="WH1-A-01", reason="FOUND", serials=["SN-9"])

    assert [m.kind for m in queries.history(world, serial="SN-9")] == ["adjust"]
    assert reconcile(world).clean


def test_each_serial_of_one_adjustment_records_its_own_before_and_after(world):
    stock.receive(world, "PHONE-X", 1, to="WH1-A-01", serials=["SN-1"])

    found = stock.adjust(world, "PHONE-X", 2, at="WH1-A-01", reason="FOUND", serials=["SN-2", "SN-3"])

    assert [(m.before_qty, m.after_qty) for m in found.movements] == [(1, 2), (2, 3)]


@pytest.mark.parametrize("reason", ["", "   ", "BROKEN"])
def test_an_adjustment_needs_a_valid_reason_code(tees, reason):
    with refused(tees, InvalidInput, r"is not a reason code\. Use one of: .*DAMAGED.*FOUND"):
        stock.adjust(tees, "TEE-M", -1, at="WH1-A-01", reason=reason)


def test_a_system_reason_code_cannot_be_chosen_by_hand(tees):
    with refused(tees, InvalidInput, "'COUNT' is not a reason code"):
        stock.adjust(tees, "TEE-M", -1, at="WH1-A-01", reason="COUNT")


@pytest.mark.parametrize(
    ("delta", "reason", "match"),
    [(2, "DAMAGED", "only removes stock"), (-2, "FOUND", "only adds stock"), (3, "THEFT", "only removes stock")],
)
def test_a_reason_code_only_goes_its_own_way(tees, delta, reason, match):
    with refused(tees, InvalidInput, f"{match}; check the sign of the change"):
        stock.adjust(tees, "TEE-M", delta, at="WH1-A-01", reason=reason)


@pytest.mark.parametrize(("delta", "match"), [(0, "greater than zero"), ("a few", "whole number")])
def test_an_adjustment_needs_a_non_zero_whole_number(tees, delta, match):
    with refused(tees, InvalidInput, match):
        stock.adjust(tees, "TEE-M", delta, at="WH1-A-01", reason="DATA_ENTRY")


def test_adjusting_out_more_than_available_is_refused(tees):
    with refused(tees, InsufficientStock, "Only 10 of TEE-M available at WH1-A-01"):
        stock.adjust(tees, "TEE-M", -11, at="WH1-A-01", reason="LOST")


def test_an_expired_lot_is_written_off_with_the_expired_reason(world):
    clock = freeze(world)
    stock.receive(world, "MILK-1L", 4, to="WH1-A-01", lot="L-1", expiry="2030-06-05")
    clock.advance(days=7)

    [move] = stock.adjust(world, "MILK-1L", -4, at="WH1-A-01", reason="EXPIRED", lot="L-1").movements

    assert (move.lot, move.before_qty, move.after_qty, move.reason) == ("L-1", 4, 0, "EXPIRED")
    assert reconcile(world).clean


def test_staff_may_not_adjust(tees):
    clerk = as_user(tees, "sam", role="staff")

    with refused(tees, PermissionDenied, "sam is signed in as staff and may not make adjustments"):
        stock.adjust(clerk, "TEE-M", -1, at="WH1-A-01", reason="DAMAGED")


def test_staff_may_not_scrap(tees):
    clerk = as_user(tees, "sam", role="staff")

    with refused(tees, PermissionDenied, "may not make adjustments; ask a manager or the owner"):
        stock.scrap(clerk, "TEE-M", 1, at="WH1-A-01")


def test_a_manager_may_adjust(tees):
    manager = as_user(tees, "max", role="manager")

    [move] = stock.adjust(manager, "TEE-M", -1, at="WH1-A-01", reason="THEFT").movements
    assert move.user == "max"


# -- reverse ---------------------------------------------------------------------------------


def test_a_reversal_is_a_new_movement_pointing_at_the_original(tees):
    [sale] = stock.sell(tees, "TEE-M", 4, source="WH1-A-01", ref="ORD-1").movements

    [undo] = stock.reverse(tees, sale.id, note="rang up twice").movements

    assert undo.id != sale.id
    assert (undo.kind, undo.reverses_id, undo.qty) == ("reversal", sale.id, 4)
    assert (undo.from_location, undo.to_location) == ("@CUSTOMER", "WH1-A-01")
    assert (undo.reason, undo.note, undo.reference) == ("REVERSAL", "rang up twice", "ORD-1")
    assert level(tees, "TEE-M", "WH1-A-01") == (10, 0, 0)
    assert [m.kind for m in queries.history(tees, "TEE-M")] == ["receive", "sell", "reversal"]
    assert reconcile(tees).clean


def test_reversing_a_reservation_releases_it_for_the_order(tees):
    [hold] = stock.reserve(tees, "TEE-M", 3, at="WH1-A-01", ref="ORD-1").movements

    stock.reverse(tees, hold.id)

    assert level(tees, "TEE-M", "WH1-A-01") == (10, 0, 0)
    assert reconcile(tees).clean


def test_reversing_a_serial_sale_puts_the_unit_back(world):
    stock.receive(world, "PHONE-X", 1, to="WH1-A-01", serials=["SN-1"])
    [sale] = stock.sell(world, "PHONE-X", 1, source="WH1-A-01", serials=["SN-1"]).movements

    stock.reverse(world, sale.id)

    assert queries.history(world, serial="SN-1")[-1].to_location == "WH1-A-01"
    assert reconcile(world).clean


def test_a_movement_can_be_reversed_only_once(tees):
    [sale] = stock.sell(tees, "TEE-M", 4, source="WH1-A-01").movements
    stock.reverse(tees, sale.id)

    with refused(tees, InvalidInput, f"Movement {sale.id} has already been reversed"):
        stock.reverse(tees, sale.id)


def test_a_reversal_is_not_itself_reversed(tees):
    [sale] = stock.sell(tees, "TEE-M", 4, source="WH1-A-01").movements
    [undo] = stock.reverse(tees, sale.id).movements

    with refused(tees, InvalidInput, "is itself a reversal; post the operation again instead"):
        stock.reverse(tees, undo.id)


def test_a_receipt_whose_stock_is_gone_cannot_be_reversed(tees):
    receipt = queries.history(tees, "TEE-M")[0]
    stock.sell(tees, "TEE-M", 8, source="WH1-A-01")

    with refused(tees, InsufficientStock, "Only 2 of TEE-M available at WH1-A-01"):
        stock.reverse(tees, receipt.id)


def test_a_transfer_movement_is_not_reversed_by_hand(tees):
    transfer = transfers.request_transfer(tees, [("TEE-M", 2)], source="WH1-A-01", dest="SHOP-FRONT")
    transfers.approve_transfer(tees, transfer.id)
    [pick] = transfers.pick_transfer(tees, transfer.id).movements

    with refused(tees, InvalidInput, "belongs to a transfer; cancel or receive the transfer instead"):
        stock.reverse(tees, pick.id)


def test_reversing_an_unknown_movement_is_refused(tees):
    with refused(tees, NotFound, "There is no movement number 9999"):
        stock.reverse(tees, 9999)


def test_staff_may_not_reverse(tees):
    [sale] = stock.sell(tees, "TEE-M", 1, source="WH1-A-01").movements
    clerk = as_user(tees, "sam", role="staff")

    with refused(tees, PermissionDenied, "sam is signed in as staff"):
        stock.reverse(clerk, sale.id)
