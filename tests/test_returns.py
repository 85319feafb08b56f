"""Returns against a shipment: back to sellable stock or quarantine, never more than went out."""

from __future__ import annotations

import time

import pytest

from stockdesk.domain.errors import InvalidInput, NotFound, SerialConflict
from stockdesk.services import queries, shipping, stock
from stockdesk.services.packing import pack_scan
from stockdesk.services.reconcile import reconcile
from stockdesk.services.sales_orders import SoLineInput, confirm_order, create_order
from stockdesk.services.shipping import ReturnLine, ShipmentLine, get_shipment, return_shipment, ship_order
from tests.builders import as_user, freeze, level, refused
from tests.race_workers import race_threads


def shipped(ctx, lines: list[tuple[str, int]], scans: list[str]) -> int:
    """Order, confirm at WH1, pack `scans`, ship: the shipment's id."""
    order_id = create_order(ctx, "Ada", [SoLineInput(sku, qty) for sku, qty in lines]).id
    confirm_order(ctx, order_id, site="WH1")
    for code in scans:
        pack_scan(ctx, order_id, code)
    return ship_order(ctx, order_id, carrier="DHL").id


@pytest.fixture
def sent(world):
    """A shipment of 3 tees, 4 milk from two lots and two phones."""
    freeze(world)
    stock.receive(world, "TEE-M", 5, to="WH1-A-01")
    stock.receive(world, "MILK-1L", 2, to="WH1-A-01", lot="L-SOON", expiry="2030-06-10")
    stock.receive(world, "MILK-1L", 5, to="WH1-A-02", lot="L-LATE", expiry="2030-07-01")
    stock.receive(world, "PHONE-X", 3, to="WH1-A-01", serials=["SN-1", "SN-2", "SN-3"])
    lines = [("TEE-M", 3), ("MILK-1L", 4), ("PHONE-X", 2)]
    world.shipment_id = shipped(world, lines, ["TEE-M"] * 3 + ["MILK-1L"] * 4 + ["SN-1", "SN-2"])
    return world


def test_a_return_goes_back_to_sellable_stock_with_its_reason(sent):
    clerk = as_user(sent, "sam", role="staff")

    result = return_shipment(clerk, sent.shipment_id, [ReturnLine("TEE-M", 2)], to="SHOP-BACK", reason="wrong size")

    assert [(m.kind, m.from_location, m.to_location, m.to_bucket, m.qty) for m in result.movements] == [
        ("return", "@CUSTOMER", "SHOP-BACK", "A", 2)
    ]
    assert (result.movements[0].note, result.movements[0].user) == ("wrong size", "sam")
    assert result.reference == get_shipment(sent, sent.shipment_id).order_number
    assert level(sent, "TEE-M", "SHOP-BACK") == (2, 0, 0)
    assert get_shipment(sent, sent.shipment_id).returned == (ShipmentLine("TEE-M", "T-shirt, M, blue", 2, None, ()),)
    assert reconcile(sent).clean


def test_a_damaged_return_goes_to_quarantine_lot_by_lot_as_shipped(sent):
    result = return_shipment(
        sent, sent.shipment_id, [ReturnLine("MILK-1L", "3")], to="WH1-B-01", quarantine=True, reason="leaking"
    )

    assert [(m.lot, m.to_bucket, m.qty) for m in result.movements] == [("L-SOON", "Q", 2), ("L-LATE", "Q", 1)]
    assert level(sent, "MILK-1L", "WH1-B-01") == (3, 0, 3)
    assert [r.available for r in queries.stock(sent, "MILK-1L", at="WH1-B-01")] == [0, 0]


def test_more_than_the_shipment_sent_cannot_come_back(sent):
    return_shipment(sent, sent.shipment_id, [ReturnLine("TEE-M", 2)], to="WH1-A-01", reason="wrong size")

    with refused(sent, InvalidInput, f"Shipment {sent.shipment_id} sent 3 x TEE-M and 2 came back already; 2 more"):
        return_shipment(sent, sent.shipment_id, [ReturnLine("TEE-M", 2)], to="WH1-A-01", reason="wrong size")
    with refused(sent, InvalidInput, "sent 4 x MILK-1L and 0 came back already; 5 more cannot be returned"):
        return_shipment(sent, sent.shipment_id, [ReturnLine("MILK-1L", 5)], to="WH1-A-01", reason="spare")


def test_a_serial_that_was_never_shipped_on_the_shipment_is_refused(sent):
    with refused(sent, SerialConflict, f"Serial SN-3 was not shipped on shipment {sent.shipment_id}"):
        return_shipment(sent, sent.shipment_id, [ReturnLine("PHONE-X", 1, ["SN-3"])], to="WH1-A-01", reason="dud")
    with refused(sent, SerialConflict, f"Serial SN-404 was not shipped on shipment {sent.shipment_id}"):
        return_shipment(sent, sent.shipment_id, [ReturnLine("PHONE-X", 1, ["SN-404"])], to="WH1-A-01", reason="dud")
    with refused(sent, InvalidInput, "give one serial per unit"):
        return_shipment(sent, sent.shipment_id, [ReturnLine("PHONE-X", 1)], to="WH1-A-01", reason="dud")


def test_a_serial_returns_to_the_location_it_is_put_and_only_once(sent):
    return_shipment(sent, sent.shipment_id, [ReturnLine("PHONE-X", 1, ["SN-2"])], to="SHOP-FRONT", reason="dud")

    assert queries.history(sent, serial="SN-2")[-1].to_location == "SHOP-FRONT"
    assert level(sent, "PHONE-X", "SHOP-FRONT") == (1, 0, 0)
    assert get_shipment(sent, sent.shipment_id).returned == (ShipmentLine("PHONE-X", "Phone X", 1, None, ("SN-2",)),)
    with refused(sent, SerialConflict, "Serial SN-2 is back at SHOP-FRONT already"):
        return_shipment(sent, sent.shipment_id, [ReturnLine("PHONE-X", 1, ["SN-2"])], to="WH1-A-01", reason="dud")
    assert reconcile(sent).clean


def test_a_serial_shipped_on_another_shipment_is_refused(sent):
    other = shipped(sent, [("PHONE-X", 1)], ["SN-3"])

    with refused(sent, SerialConflict, f"Serial SN-1 was not shipped on shipment {other}"):
        return_shipment(sent, other, [ReturnLine("PHONE-X", 1, ["SN-1"])], to="WH1-A-01", reason="dud")


@pytest.mark.parametrize(
    ("lines", "options", "error", "match"),
    [
        ([ReturnLine("TEE-M", 1)], {"reason": " "}, InvalidInput, "Say why the goods came back"),
        ([], {"reason": "x"}, InvalidInput, "at least one line"),
        ([ReturnLine("TEE-M", 0)], {"reason": "x"}, InvalidInput, "greater than zero"),
        ([ReturnLine("TEE-M", 1)], {"reason": "x", "to": "NOWHERE"}, NotFound, "There is no location 'NOWHERE'"),
        ([ReturnLine("TEE-M", 1), ReturnLine("TEE-M", 1)], {"reason": "x"}, InvalidInput, "on two lines"),
    ],
)
def test_a_bad_return_is_refused(sent, lines, options, error, match):
    with refused(sent, error, match):
        return_shipment(sent, sent.shipment_id, lines, **{"to": "WH1-A-01", **options})


def test_an_item_the_shipment_did_not_send_is_refused(world):
    stock.receive(world, "TEE-M", 1, to="WH1-A-01")
    shipment_id = shipped(world, [("TEE-M", 1)], ["TEE-M"])

    with refused(world, InvalidInput, f"Shipment {shipment_id} did not send any MILK-1L"):
        return_shipment(world, shipment_id, [ReturnLine("MILK-1L", 1)], to="WH1-A-01", reason="?")
    with refused(world, NotFound, "There is no shipment number 999"):
        return_shipment(world, 999, [ReturnLine("TEE-M", 1)], to="WH1-A-01", reason="?")


def test_the_same_return_key_posts_once(sent):
    first = return_shipment(sent, sent.shipment_id, [ReturnLine("TEE-M", 1)], to="WH1-A-01", reason="x", key="R-1")
    again = return_shipment(sent, sent.shipment_id, [ReturnLine("TEE-M", 1)], to="WH1-A-01", reason="x", key="R-1")

    assert (again.replayed, again.posting_id) == (True, first.posting_id)
    assert level(sent, "TEE-M", "WH1-A-01") == (3, 0, 0)


def test_a_serial_back_and_shipped_again_cannot_be_returned_twice_on_its_first_shipment(sent):
    return_shipment(sent, sent.shipment_id, [ReturnLine("PHONE-X", 1, ["SN-1"])], to="WH1-A-01", reason="dud")
    later = shipped(sent, [("PHONE-X", 1)], ["SN-1"])

    with refused(sent, SerialConflict, f"Serial SN-1 came back against shipment {sent.shipment_id} already"):
        return_shipment(sent, sent.shipment_id, [ReturnLine("PHONE-X", 1, ["SN-1"])], to="WH1-A-01", reason="dud")
    return_shipment(sent, later, [ReturnLine("PHONE-X", 1, ["SN-1"])], to="WH1-A-01", reason="dud")
    assert reconcile(sent).clean


@pytest.mark.parametrize(("each", "posted"), [(1, 2), (2, 1)])
def test_two_clerks_returning_at_once_both_fit_or_the_second_is_refused_with_numbers(sent, monkeypatch, each, posted):
    """Both clerks read the shipment before either writes (the sleep): neither return may vanish."""
    looked_up = shipping._shipment

    def slow_lookup(uow, shipment_id):
        found = looked_up(uow, shipment_id)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(shipping, "_shipment", slow_lookup)

    def clerk(_: int):
        try:
            line = ReturnLine("TEE-M", each)
            return return_shipment(sent, sent.shipment_id, [line], to="WH1-A-01", reason="damaged").replayed
        except InvalidInput as refusal:
            return str(refusal)

    outcomes = race_threads(2, clerk)

    assert outcomes.count(False) == posted
    assert level(sent, "TEE-M", "WH1-A-01") == (2 + each * posted, 0, 0)
    if posted == 1:
        assert any("sent 3 x TEE-M and 2 came back already; 2 more" in str(o) for o in outcomes)
    assert reconcile(sent).clean
