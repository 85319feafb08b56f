"""Read-only questions: the stock picture, balances in the past, histories, lot traces, reconciliation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from stockdesk.db.records import ReconciliationRecord
from stockdesk.domain.catalog import GroupBy
from stockdesk.domain.errors import InvalidInput, NotFound, PermissionDenied
from stockdesk.services import queries, stock, transfers
from stockdesk.services.reconcile import reconcile
from tests.builders import as_user, freeze, level, refused, snapshot


@pytest.fixture
def spread(world):
    """TEE-M on three shelves in two sites."""
    stock.receive(world, "TEE-M", 10, to="WH1-A-01")
    stock.receive(world, "TEE-M", 5, to="WH1-B-01")
    stock.receive(world, "TEE-M", 4, to="SHOP-FRONT")
    stock.reserve(world, "TEE-M", 2, at="SHOP-FRONT", ref="ORD-1")
    return world


def picture(rows) -> dict:
    return {r.location: (r.on_hand, r.reserved, r.available) for r in rows}


# -- the stock picture -----------------------------------------------------------------------


def test_stock_by_location(spread):
    assert picture(queries.stock(spread, "TEE-M")) == {
        "WH1-A-01": (10, 0, 10),
        "WH1-B-01": (5, 0, 5),
        "SHOP-FRONT": (4, 2, 2),
    }


def test_stock_by_site(spread):
    assert picture(queries.stock(spread, "TEE-M", group_by=GroupBy.SITE)) == {"WH1": (15, 0, 15), "SHOP": (4, 2, 2)}


def test_stock_by_variant_is_one_total_line(spread):
    stock.receive(spread, "MILK-1L", 3, to="WH1-A-01", lot="L-1")

    rows = queries.stock(spread, group_by=GroupBy.VARIANT)

    assert [(r.sku, r.location, r.on_hand, r.reserved) for r in rows] == [
        ("MILK-1L", None, 3, 0),
        ("TEE-M", None, 19, 2),
    ]


@pytest.mark.parametrize(
    ("at", "expected"),
    [("WH1", {"WH1-A-01", "WH1-B-01"}), ("WH1-B-01", {"WH1-B-01"}), ("SHOP-BACK", set())],
)
def test_stock_at_a_place_covers_its_subtree(spread, at, expected):
    assert {r.location for r in queries.stock(spread, "TEE-M", at=at)} == expected


def test_stock_of_an_unknown_item_or_place_is_refused(spread):
    with refused(spread, NotFound, "No item has the SKU or barcode 'NOPE'"):
        queries.stock(spread, "NOPE")
    with refused(spread, NotFound, "There is no location '@CUSTOMER'"):
        queries.stock(spread, "TEE-M", at="@CUSTOMER")


def test_in_transit_is_shown_at_the_destination(spread):
    transfer = transfers.request_transfer(spread, [("TEE-M", 6)], source="WH1-A-01", dest="SHOP-BACK")
    transfers.approve_transfer(spread, transfer.id)
    transfers.pick_transfer(spread, transfer.id)

    [row] = queries.stock(spread, "TEE-M", at="SHOP-BACK")
    assert (row.on_hand, row.in_transit) == (0, 6)
    assert {r.location: r.in_transit for r in queries.stock(spread, "TEE-M", group_by=GroupBy.SITE)} == {
        "WH1": 0,
        "SHOP": 6,
    }
    assert level(spread, "TEE-M", "WH1-A-01") == (4, 0, 0)


# -- the past --------------------------------------------------------------------------------


def test_balance_as_of_a_past_moment_comes_from_the_ledger(world):
    clock = freeze(world)
    stock.receive(world, "TEE-M", 10, to="WH1-A-01")
    monday = clock.advance(days=1)
    stock.sell(world, "TEE-M", 3, source="WH1-A-01")
    clock.advance(days=1)
    stock.receive(world, "TEE-M", 2, to="SHOP-FRONT")

    assert queries.balance_as_of(world, "TEE-M", monday - timedelta(seconds=1)) == {"WH1-A-01": 10}
    assert queries.balance_as_of(world, "TEE-M", monday) == {"WH1-A-01": 7}
    assert queries.balance_as_of(world, "TEE-M", clock.now) == {"SHOP-FRONT": 2, "WH1-A-01": 7}
    assert queries.balance_as_of(world, "TEE-M", clock.now, at="SHOP") == {"SHOP-FRONT": 2}
    assert queries.balance_as_of(world, "TEE-M", clock.now - timedelta(days=3)) == {}


def test_the_history_of_a_serial_unit(world):
    stock.receive(world, "PHONE-X", 2, to="WH1-A-01", serials=["SN-1", "SN-2"], ref="PO-1")
    stock.sell(world, "PHONE-X", 1, source="WH1-A-01", ref="ORD-1", serials=["SN-1"])
    stock.return_goods(world, "PHONE-X", 1, to="WH1-A-02", ref="ORD-1", serials=["SN-1"], quarantine=True)

    steps = [(m.kind, m.from_location, m.to_location, m.reference) for m in queries.history(world, serial="SN-1")]

    assert steps == [
        ("receive", "@SUPPLIER", "WH1-A-01", "PO-1"),
        ("sell", "WH1-A-01", "@CUSTOMER", "ORD-1"),
        ("return", "@CUSTOMER", "WH1-A-02", "ORD-1"),
    ]


def test_a_history_needs_something_to_show(world):
    with refused(world, InvalidInput, "Say which item, serial, lot or location"):
        queries.history(world)
    with refused(world, NotFound, "No unit has the serial number 'SN-404'"):
        queries.history(world, serial="SN-404")


def test_a_lot_is_traced_forward_to_orders_and_back_to_its_receipt(world):
    clock = freeze(world)
    stock.receive(world, "MILK-1L", 10, to="WH1-A-01", lot="L-7", expiry="2030-06-20", ref="PO-42")
    stock.receive(world, "MILK-1L", 10, to="WH1-A-01", lot="L-8", expiry="2030-06-25", ref="PO-43")
    stock.reserve(world, "MILK-1L", 3, at="WH1-A-01", ref="ORD-1")
    clock.advance(hours=1)
    stock.ship(world, "MILK-1L", 3, source="WH1-A-01", ref="ORD-1")
    clock.advance(hours=1)
    stock.sell(world, "MILK-1L", 2, source="WH1-A-01", ref="ORD-2")
    clock.advance(hours=1)
    stock.scrap(world, "MILK-1L", 1, at="WH1-A-01", lot="L-7")

    trace = queries.trace_lot(world, "L-7")

    assert [(r.reference, r.qty, r.location) for r in trace.receipts] == [("PO-42", 10, "WH1-A-01")]
    assert [(d.location, d.reference, d.qty) for d in trace.destinations] == [
        ("@CUSTOMER", "ORD-1", 3),
        ("@CUSTOMER", "ORD-2", 2),
        ("@SCRAP", None, 1),
    ]
    assert [(r.location, r.on_hand) for r in trace.in_stock] == [("WH1-A-01", 4)]


# -- reconciliation --------------------------------------------------------------------------


def tamper(ctx, sql: str) -> None:
    with ctx.database.engine.begin() as conn:
        conn.execute(text(sql))


def reconciliation_rows(ctx) -> list:
    with ctx.reading() as uow:
        return uow.connection.execute(select(ReconciliationRecord.__table__)).all()


def test_reconciliation_reports_drift_without_touching_it(spread):
    assert reconcile(spread).clean
    tamper(spread, "UPDATE levels SET on_hand = on_hand + 5 WHERE reserved > 0")
    before = snapshot(spread)

    report = reconcile(spread)

    [drift] = report.drifts
    assert (drift.what, drift.sku, drift.location) == ("level", "TEE-M", "SHOP-FRONT")
    assert (drift.stored, drift.ledger) == (
        "on hand 9, reserved 2, quarantined 0",
        "on hand 4, reserved 2, quarantined 0",
    )
    assert (report.repaired, report.run_id) == (False, None)
    assert snapshot(spread) == before


def test_reconciliation_repairs_only_when_asked_and_records_the_run(spread):
    tamper(spread, "UPDATE levels SET on_hand = on_hand + 5 WHERE reserved > 0")
    tamper(spread, "UPDATE reservations SET qty = 1")

    report = reconcile(spread, repair=True)

    assert sorted(d.what for d in report.drifts) == ["level", "reservation"]
    assert report.repaired
    [run] = reconciliation_rows(spread)
    assert (run.id, run.drift_rows, run.repaired, run.user_id) == (report.run_id, 2, True, spread.user.id)
    assert reconcile(spread).clean
    assert level(spread, "TEE-M", "SHOP-FRONT") == (4, 2, 0)


def test_a_serial_out_of_place_is_reported(world):
    stock.receive(world, "PHONE-X", 1, to="WH1-A-01", serials=["SN-1"])
    tamper(world, "UPDATE serials SET location_id = (SELECT id FROM locations WHERE code = 'SHOP-FRONT')")

    [drift] = reconcile(world).drifts
    assert (drift.what, drift.sku, drift.location) == ("serial", "PHONE-X", "SHOP-FRONT")
    assert (drift.stored, drift.ledger) == ("serial SN-1 at SHOP-FRONT", "serial SN-1 at WH1-A-01")
    reconcile(world, repair=True)
    assert reconcile(world).clean


def test_staff_may_check_but_not_repair(spread):
    tamper(spread, "UPDATE levels SET on_hand = on_hand + 5 WHERE reserved > 0")
    clerk = as_user(spread, "sam", role="staff")

    assert not reconcile(clerk).clean
    with refused(spread, PermissionDenied, "sam is signed in as staff and may not repair stock levels"):
        reconcile(clerk, repair=True)
