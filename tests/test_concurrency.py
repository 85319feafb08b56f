"""DOMAIN.md invariant 7: racing clients never oversell and never post one key twice.

PostgreSQL: 16 threads, each with its own pooled connection, in both locking modes.
SQLite: 4 processes on one file (the single-writer lock is per file, not per connection).
"""

from __future__ import annotations

import pytest

from stockdesk.db.uow import Database, LockMode
from stockdesk.domain.errors import InsufficientStock, InvalidInput
from stockdesk.services import queries, stock
from stockdesk.services.context import open_context
from stockdesk.services.reconcile import reconcile
from tests.builders import build_world
from tests.race_workers import race_processes, race_threads, receive_with_key, reserve_one

THREADS = 16
PROCESSES = 4


@pytest.mark.parametrize("mode", list(LockMode))
def test_sixteen_threads_reserving_the_last_units_on_postgresql(templates, mode):
    database = Database(templates.pg_url(), mode)
    ctx = open_context(database)
    build_world(ctx)
    stock.receive(ctx, "TEE-M", 5, to="WH1-A-01")

    def reserve(i: int) -> str:
        try:
            stock.reserve(ctx, "TEE-M", 1, at="WH1-A-01", ref=f"ORD-{i}")
            return "reserved"
        except InsufficientStock:
            return "refused"

    outcomes = race_threads(THREADS, reserve)

    assert outcomes.count("reserved") == 5
    assert outcomes.count("refused") == THREADS - 5
    [row] = queries.stock(ctx, "TEE-M")
    assert (row.on_hand, row.reserved, row.available) == (5, 5, 0)
    assert reconcile(ctx).clean
    database.dispose()


def test_same_key_from_sixteen_threads_posts_once_on_postgresql(templates):
    database = Database(templates.pg_url())
    ctx = open_context(database)
    build_world(ctx)

    results = race_threads(THREADS, lambda i: stock.receive(ctx, "TEE-M", 5, to="WH1-A-01", key="DELIVERY-42"))

    assert len({r.posting_id for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1
    [row] = queries.stock(ctx, "TEE-M")
    assert row.on_hand == 5
    database.dispose()


def test_four_processes_reserving_the_last_units_on_sqlite(templates):
    url = templates.sqlite_url()
    database = Database(url)
    ctx = open_context(database)
    build_world(ctx)
    stock.receive(ctx, "TEE-M", 3, to="WH1-A-01")

    outcomes = race_processes(reserve_one, url, [f"ORD-{i}" for i in range(PROCESSES)])

    assert sorted(outcomes) == ["refused"] + ["reserved"] * 3
    [row] = queries.stock(ctx, "TEE-M")
    assert (row.reserved, row.available) == (3, 0)
    assert reconcile(ctx).clean
    database.dispose()


def test_same_key_from_four_processes_posts_once_on_sqlite(templates):
    url = templates.sqlite_url()
    database = Database(url)
    ctx = open_context(database)
    build_world(ctx)

    posting_ids = race_processes(receive_with_key, url, ["DELIVERY-7"] * PROCESSES)

    assert len(set(posting_ids)) == 1
    [row] = queries.stock(ctx, "TEE-M")
    assert row.on_hand == 5
    database.dispose()


def test_one_delivery_with_a_new_lot_received_by_eight_clients_posts_once_on_postgresql(templates):
    """Each client creates the lot in its own transaction; the losers see the winner's and replay."""
    database = Database(templates.pg_url())
    ctx = open_context(database)
    build_world(ctx)

    results = race_threads(8, lambda i: stock.receive(ctx, "MILK-1L", 5, to="WH1-A-01", lot="NEW-1", key="DELIVERY-9"))

    assert len({r.posting_id for r in results}) == 1
    [row] = queries.stock(ctx, "MILK-1L")
    assert (row.lot, row.on_hand) == ("NEW-1", 5)
    database.dispose()


def test_eight_clients_reversing_one_movement_reverse_it_once_on_postgresql(templates):
    database = Database(templates.pg_url())
    ctx = open_context(database)
    build_world(ctx)
    receipt = stock.receive(ctx, "TEE-M", 5, to="WH1-A-01")

    def reverse(i: int) -> str:
        try:
            stock.reverse(ctx, receipt.movements[0].id)
            return "reversed"
        except InvalidInput as refused:
            assert "already been reversed" in str(refused)
            return "refused"

    outcomes = race_threads(8, reverse)

    assert sorted(outcomes) == ["refused"] * 7 + ["reversed"]
    assert queries.stock(ctx, "TEE-M") == []
    assert reconcile(ctx).clean
    database.dispose()
