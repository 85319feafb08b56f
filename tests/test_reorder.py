"""Reorder: rules per item and site, the below-reorder list (surplus transfers first), and drafting
the transfer requests and one purchase order per supplier."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from stockdesk.db import reorder_queries
from stockdesk.domain.errors import InvalidInput, NotFound, PermissionDenied
from stockdesk.services import catalog, stock
from stockdesk.services.purchase_orders import list_pos
from stockdesk.services.reorder import ReorderRuleRow, below_reorder, draft_reorder, set_reorder_rule
from stockdesk.services.transfers import approve_transfer, list_transfers, pick_transfer, request_transfer
from tests.builders import as_user, freeze, refused
from tests.purchasing_world import sent_po, supplier


@pytest.fixture
def shops(world):
    """20 T-shirts in the warehouse (no rule there: it spares what is above the item's reorder point 5),
    2 in the shop, whose rule wants 6 to 10."""
    freeze(world)
    supplier(world, "ACME")
    supplier(world, "ZED")
    stock.receive(world, "TEE-M", 20, to="WH1-A-01")
    stock.receive(world, "TEE-M", 2, to="SHOP-FRONT")
    set_reorder_rule(world, "TEE-M", site="SHOP", reorder_point=6, max_qty=10, supplier="ACME")
    return world


def shape(lines) -> list[tuple]:
    return [(r.site, r.sku, r.available, r.transfer_from, r.transfer_qty, r.order_qty, r.supplier) for r in lines]


def test_a_rule_is_set_per_item_and_site(world):
    supplier(world, "ACME")

    row = set_reorder_rule(world, "4006381333931", site="SHOP", reorder_point="3", max_qty=12, supplier="ACME")
    assert row == ReorderRuleRow("TEE-M", "SHOP", 3, 12, "ACME")
    assert set_reorder_rule(world, "TEE-M", site="SHOP", reorder_point=0, max_qty=4) == ReorderRuleRow(
        "TEE-M", "SHOP", 0, 4, None
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"reorder_point": 10, "max_qty": 5}, InvalidInput, r"maximum \(5\) must be at least the reorder point \(10\)"),
        ({"max_qty": 0}, InvalidInput, "Maximum must be greater than zero"),
        ({"reorder_point": -1}, InvalidInput, "Reorder point must be zero or more"),
        ({"site": "SHOP-FRONT"}, InvalidInput, "SHOP-FRONT is a bin in site SHOP; give the site instead"),
        ({"supplier": "NOPE"}, NotFound, "There is no supplier 'NOPE'"),
        ({"sku": "NOPE"}, NotFound, "No item has the SKU or barcode 'NOPE'"),
    ],
)
def test_bad_rules_are_refused(shops, kwargs, error, match):
    values = {"sku": "TEE-M", "site": "SHOP", "reorder_point": 2, "max_qty": 8, **kwargs}
    with refused(shops, error, match):
        set_reorder_rule(shops, values.pop("sku"), **values)


def test_staff_may_not_set_rules_or_draft(shops):
    clerk = as_user(shops, "sam")
    with refused(clerk, PermissionDenied, "may not manage suppliers and purchase orders"):
        set_reorder_rule(clerk, "TEE-M", site="SHOP", reorder_point=1, max_qty=2)
    with refused(clerk, PermissionDenied, "may not manage suppliers and purchase orders"):
        draft_reorder(clerk)


def test_surplus_at_another_site_is_suggested_before_buying(shops):
    assert shape(below_reorder(shops)) == [("SHOP", "TEE-M", 2, "WH1", 8, 0, "ACME")]

    set_reorder_rule(shops, "TEE-M", site="WH1", reorder_point=5, max_qty=16)

    assert shape(below_reorder(shops)) == [("SHOP", "TEE-M", 2, "WH1", 4, 4, "ACME")]
    assert below_reorder(shops, site="WH1") == []


def test_what_is_coming_counts_towards_the_position(shops):
    sent_po(shops, [("TEE-M", 3)], to="SHOP-BACK")
    [line] = below_reorder(shops)
    assert (line.available, line.in_transit, line.on_order, line.transfer_qty) == (2, 0, 3, 5)

    moving = request_transfer(shops, [("TEE-M", 1)], source="WH1-A-01", dest="SHOP-FRONT")
    approve_transfer(shops, moving.id)
    pick_transfer(shops, moving.id)

    assert below_reorder(shops) == []


def test_one_surplus_is_not_promised_twice(shops):
    catalog.add_location(shops, "MARKET")
    set_reorder_rule(shops, "TEE-M", site="MARKET", reorder_point=6, max_qty=10, supplier="ZED")

    assert shape(below_reorder(shops)) == [
        ("MARKET", "TEE-M", 0, "WH1", 10, 0, "ZED"),
        ("SHOP", "TEE-M", 2, "WH1", 5, 3, "ACME"),
    ]


def test_the_supplier_of_the_latest_order_is_the_fallback(shops):
    set_reorder_rule(shops, "TEE-M", site="WH1", reorder_point=25, max_qty=30)
    set_reorder_rule(shops, "MILK-1L", site="WH1", reorder_point=5, max_qty=10)
    sent_po(shops, [("TEE-M", 1)], vendor="ZED", to="SHOP-BACK")

    assert shape(below_reorder(shops, site="WH1")) == [
        ("WH1", "MILK-1L", 0, None, 0, 10, None),
        ("WH1", "TEE-M", 20, None, 0, 10, "ZED"),
    ]


def test_drafting_requests_transfers_and_one_order_per_supplier(shops):
    set_reorder_rule(shops, "TEE-M", site="WH1", reorder_point=5, max_qty=16)
    set_reorder_rule(shops, "MILK-1L", site="SHOP", reorder_point=2, max_qty=12, supplier="ACME")
    set_reorder_rule(shops, "PHONE-X", site="SHOP", reorder_point=1, max_qty=3, supplier="ZED")
    set_reorder_rule(shops, "MILK-1L", site="WH1", reorder_point=1, max_qty=4)

    plan = draft_reorder(shops)

    [transfer] = plan.transfers
    assert (transfer.status, transfer.from_location, transfer.to_location) == ("requested", "WH1", "SHOP")
    assert [(t.sku, t.requested) for t in transfer.lines] == [("TEE-M", 4)]
    assert {(po.supplier_code, po.deliver_to, po.status) for po in plan.orders} == {
        ("ACME", "SHOP", "draft"),
        ("ZED", "SHOP", "draft"),
    }
    acme = next(po for po in plan.orders if po.supplier_code == "ACME")
    assert sorted((ln.sku, ln.ordered) for ln in acme.lines) == [("MILK-1L", 12), ("TEE-M", 4)]
    assert [(line.site, line.sku, line.order_qty) for line in plan.unassigned] == [("WH1", "MILK-1L", 4)]

    again = draft_reorder(shops)

    assert (again.transfers, again.orders) == ((), ())
    assert len(list_transfers(shops)) == 1 and len(list_pos(shops)) == 2


def test_two_buyers_drafting_at_once_order_once(shops, monkeypatch):
    """Both read the list at the same moment if they can: a drafter that read it waits (a little) for
    the other to read it too, so without the reorder lock both would draft the same units."""
    set_reorder_rule(shops, "TEE-M", site="WH1", reorder_point=5, max_qty=16)
    both_read = threading.Barrier(2)
    read_rules = reorder_queries.rules

    def rules_then_wait(conn):
        found = read_rules(conn)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait(timeout=2)  # in vain with the lock held: the other buyer cannot read yet
        return found

    monkeypatch.setattr(reorder_queries, "rules", rules_then_wait)
    with ThreadPoolExecutor(2) as pool:
        plans = list(pool.map(lambda _: draft_reorder(shops), range(2)))

    assert sorted((len(p.transfers), len(p.orders)) for p in plans) == [(0, 0), (1, 1)]
    assert [[(t.sku, t.requested) for t in moving.lines] for moving in list_transfers(shops)] == [[("TEE-M", 4)]]
    assert [[(ln.sku, ln.ordered) for ln in po.lines] for po in list_pos(shops)] == [[("TEE-M", 4)]]


def test_a_site_filter_must_name_a_site(shops):
    with refused(shops, InvalidInput, "WH1-A-01 is a bin in site WH1"):
        below_reorder(shops, site="WH1-A-01")
