"""Desktops confirming orders for the last units at the same moment: together they reserve exactly
what was available, never more, on PostgreSQL (threads, both locking modes) and SQLite (processes)."""

from __future__ import annotations

import time

import pytest

from stockdesk.db.uow import Database, LockMode
from stockdesk.services import queries, stock
from stockdesk.services.context import Context, open_context
from stockdesk.services.reconcile import reconcile
from stockdesk.services.sales_orders import SoLineInput, confirm_order, create_order, get_order
from tests.builders import build_world
from tests.race_workers import race_processes, race_threads

WANTED = (("TEE-M", 5), ("MILK-1L", 4))
"""Each order's lines; the shelves hold 7 tees and 5 free milk (4 more on hold), far less than all want."""


def stock_up(ctx: Context, orders: int) -> list[int]:
    build_world(ctx)
    stock.receive(ctx, "TEE-M", 4, to="WH1-A-01")
    stock.receive(ctx, "TEE-M", 3, to="WH1-B-01")
    stock.receive(ctx, "MILK-1L", 2, to="WH1-A-02", lot="SOON", expiry="2099-01-01")
    stock.receive(ctx, "MILK-1L", 3, to="WH1-B-01", lot="LATE", expiry="2099-06-01")
    stock.receive(ctx, "MILK-1L", 4, to="WH1-A-01", lot="OLD", expiry="2099-01-01")
    stock.quarantine(ctx, "MILK-1L", 4, at="WH1-A-01", lot="OLD", note="recalled")
    stock.receive(ctx, "MILK-1L", 4, to="SHOP-FRONT", lot="SHOP", expiry="2099-01-01")
    return [create_order(ctx, f"Customer {i}", [SoLineInput(s, q) for s, q in WANTED]).id for i in range(orders)]


def assert_exactly_the_available_units_are_reserved(ctx: Context, order_ids: list[int]) -> None:
    orders = [get_order(ctx, order_id) for order_id in order_ids]
    reserved = {sku: sum(line.reserved for o in orders for line in o.lines if line.sku == sku) for sku, _ in WANTED}
    assert reserved == {"TEE-M": 7, "MILK-1L": 5}
    for sku, _ in WANTED:
        rows = [r for r in queries.stock(ctx, sku) if r.location.startswith("WH1")]
        assert all(r.available == 0 and r.reserved == r.on_hand - r.quarantined for r in rows), rows
    assert all(o.status == "confirmed" and o.site == "WH1" for o in orders)
    assert [r.reserved for r in queries.stock(ctx, "MILK-1L", at="SHOP")] == [0]
    report = reconcile(ctx)
    assert report.clean, report.drifts


@pytest.mark.parametrize("desktops", [2, 8])
@pytest.mark.parametrize("mode", list(LockMode))
def test_desktops_confirming_for_the_last_units_on_postgresql(templates, mode, desktops):
    database = Database(templates.pg_url(), mode)
    ctx = open_context(database)
    order_ids = stock_up(ctx, desktops)

    results = race_threads(desktops, lambda i: confirm_order(ctx, order_ids[i], site="WH1"))

    assert sum(line.reserved for r in results for line in r.order.lines) == 7 + 5
    assert_exactly_the_available_units_are_reserved(ctx, order_ids)
    database.dispose()


def confirm_in_a_process(url: str, start_at: float, order_id: int) -> int:
    """One desktop (a spawned process) confirming its order: the units it reserved."""
    database = Database(url)
    try:
        ctx = open_context(database)
        time.sleep(max(0.0, start_at - time.time()))
        result = confirm_order(ctx, order_id, site="WH1")
        return sum(line.reserved for line in result.order.lines)
    finally:
        database.dispose()


@pytest.mark.parametrize("desktops", [2, 4])
def test_desktops_confirming_for_the_last_units_on_sqlite(templates, desktops):
    url = templates.sqlite_url()
    database = Database(url)
    ctx = open_context(database)
    order_ids = stock_up(ctx, desktops)

    reserved = race_processes(confirm_in_a_process, url, order_ids)

    assert sum(reserved) == 7 + 5
    assert_exactly_the_available_units_are_reserved(ctx, order_ids)
    database.dispose()
