"""Reconciliation checks each sales order line's reserved count against the order's reservations,
reports a difference like any drift, and leaves it to a person (a repair cannot tell which is right)."""

from __future__ import annotations

import pytest

from stockdesk.services import stock
from stockdesk.services.reconcile import reconcile
from stockdesk.services.sales_orders import SoLineInput, confirm_order, create_order
from tests.builders import freeze
from tests.test_cli import Cli
from tests.test_queries import tamper


@pytest.fixture
def reserved(world):
    """Order SO-n for 3 tees and 2 milk, confirmed at WH1 where the milk comes from two lots."""
    freeze(world)
    stock.receive(world, "TEE-M", 5, to="WH1-A-01")
    stock.receive(world, "MILK-1L", 1, to="WH1-A-01", lot="L1", expiry="2030-07-01")
    stock.receive(world, "MILK-1L", 4, to="WH1-A-02", lot="L2", expiry="2030-08-01")
    world.order_id = create_order(world, "Ada", [SoLineInput("TEE-M", 3), SoLineInput("MILK-1L", 2)]).id
    confirm_order(world, world.order_id, site="WH1")
    return world


def test_a_confirmed_order_reconciles(reserved):
    assert reconcile(reserved).clean


def test_a_line_that_disagrees_with_the_orders_reservations_is_reported_not_repaired(reserved):
    number = f"SO-{reserved.order_id}"
    tamper(reserved, "UPDATE sales_order_lines SET qty_reserved = 1 WHERE qty_ordered = 3")

    [drift] = reconcile(reserved).drifts
    found = (drift.what, drift.sku, drift.location, drift.lot, drift.repairable)
    assert found == ("order line", "TEE-M", "WH1", None, False)
    assert (drift.stored, drift.ledger) == (
        f"{number} line: reserved 1",
        f"{number} reservations: 3 (not repaired: check the order)",
    )

    report = reconcile(reserved, repair=True)
    assert report.repaired and not report.settled
    assert [d.what for d in reconcile(reserved).drifts] == ["order line"], "the line is left as it was"


def test_a_reservation_repaired_from_the_ledger_settles_the_line_too(reserved):
    tamper(reserved, "UPDATE reservations SET qty = qty + 2 WHERE lot_id = (SELECT id FROM lots WHERE number = 'L2')")

    assert sorted(d.what for d in reconcile(reserved).drifts) == ["order line", "reservation"]
    assert not reconcile(reserved, repair=True).settled
    assert reconcile(reserved).clean


def test_the_cli_reports_the_line_and_exits_1_after_a_repair(reserved, db_url):
    tamper(reserved, "UPDATE sales_order_lines SET qty_reserved = 0 WHERE qty_ordered = 2")

    done = Cli(db_url).run("reconcile", "--repair", code=1)

    assert f"SO-{reserved.order_id} reservations: 2 (not repaired: check the order)" in done.stdout
