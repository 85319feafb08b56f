"""DOMAIN.md section 3 as a hypothesis state machine: random sequences of every stock operation.

A plain-Python model predicts each outcome (done or refused) and the quantities per item and
place; after every step the stored levels must equal the model, stay within their constraints,
and reconcile with the ledger.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from stockdesk.db.uow import Database
from stockdesk.domain.errors import StockDeskError
from stockdesk.services import queries, stock, transfers
from stockdesk.services.context import open_context
from stockdesk.services.reconcile import reconcile
from tests.builders import build_world

ITEMS = ["TEE-M", "MILK-1L"]
BINS = ["WH1-A-01", "WH1-B-01", "SHOP-FRONT"]
ORDERS = ["ORD-1", "ORD-2"]
qty = st.integers(min_value=1, max_value=12)


class Shelf:
    def __init__(self) -> None:
        self.on_hand = 0
        self.reserved = 0
        self.quarantined = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved - self.quarantined


class LedgerMachine(RuleBasedStateMachine):
    backend = "sqlite"
    templates = None

    @initialize()
    def open_database(self) -> None:
        url = self.templates.sqlite_url() if self.backend == "sqlite" else self.templates.pg_url()
        self.database = Database(url)
        self.ctx = open_context(self.database)
        build_world(self.ctx)
        self.shelves: dict[tuple[str, str], Shelf] = defaultdict(Shelf)
        self.orders: dict[tuple[str, str, str], int] = defaultdict(int)
        self.shipped: dict[tuple[str, str], int] = defaultdict(int)
        self.lot_counter = 0
        self.open_transfer: tuple[int, str, str, int] | None = None

    def teardown(self) -> None:
        if hasattr(self, "database"):
            self.database.dispose()

    def attempt(self, allowed: bool, call) -> bool:
        """Run a service call; it must succeed exactly when the model says the books allow it."""
        try:
            call()
        except StockDeskError as refused:
            assert not allowed, f"refused although the model allows it: {refused}"
            return False
        assert allowed, "posted although the model says it must be refused"
        return True

    @rule(sku=st.sampled_from(ITEMS), loc=st.sampled_from(BINS), n=qty)
    def receive(self, sku, loc, n):
        self.lot_counter += 1
        lot = f"L{self.lot_counter}" if sku == "MILK-1L" else None
        stock.receive(self.ctx, sku, n, to=loc, lot=lot, expiry="2099-01-01" if lot else None)
        self.shelves[sku, loc].on_hand += n

    @rule(sku=st.sampled_from(ITEMS), loc=st.sampled_from(BINS), n=qty)
    def sell(self, sku, loc, n):
        shelf = self.shelves[sku, loc]
        if self.attempt(shelf.available >= n, lambda: stock.sell(self.ctx, sku, n, source=loc, ref="COUNTER")):
            shelf.on_hand -= n
            self.shipped[sku, "COUNTER"] += n

    @rule(sku=st.sampled_from(ITEMS), loc=st.sampled_from(BINS), order=st.sampled_from(ORDERS), n=qty)
    def reserve(self, sku, loc, order, n):
        shelf = self.shelves[sku, loc]
        if self.attempt(shelf.available >= n, lambda: stock.reserve(self.ctx, sku, n, at=loc, ref=order)):
            shelf.reserved += n
            self.orders[order, sku, loc] += n

    @rule(sku=st.sampled_from(ITEMS), loc=st.sampled_from(BINS), order=st.sampled_from(ORDERS), n=qty)
    def release(self, sku, loc, order, n):
        held = self.orders[order, sku, loc]
        if self.attempt(held >= n, lambda: stock.release(self.ctx, sku, n, at=loc, ref=order)):
            self.shelves[sku, loc].reserved -= n
            self.orders[order, sku, loc] -= n

    @rule(sku=st.sampled_from(ITEMS), loc=st.sampled_from(BINS), order=st.sampled_from(ORDERS), n=qty)
    def ship(self, sku, loc, order, n):
        shelf = self.shelves[sku, loc]
        held = self.orders[order, sku, loc]
        from_reserved = min(held, n)
        allowed = shelf.available >= n - from_reserved
        if self.attempt(allowed, lambda: stock.ship(self.ctx, sku, n, source=loc, ref=order)):
            shelf.on_hand -= n
            shelf.reserved -= from_reserved
            self.orders[order, sku, loc] -= from_reserved
            self.shipped[sku, order] += n

    @rule(
        sku=st.sampled_from(ITEMS),
        loc=st.sampled_from(BINS),
        order=st.sampled_from([*ORDERS, "COUNTER"]),
        n=qty,
        hold=st.booleans(),
    )
    def give_back(self, sku, loc, order, n, hold):
        allowed = self.shipped[sku, order] >= n
        call = lambda: stock.return_goods(self.ctx, sku, n, to=loc, ref=order, quarantine=hold)  # noqa: E731
        if self.attempt(allowed, call):
            shelf = self.shelves[sku, loc]
            shelf.on_hand += n
            shelf.quarantined += n if hold else 0
            self.shipped[sku, order] -= n

    @rule(sku=st.sampled_from(ITEMS), loc=st.sampled_from(BINS), n=qty, hold=st.booleans())
    def quarantine_or_release(self, sku, loc, n, hold):
        shelf = self.shelves[sku, loc]
        if hold:
            if self.attempt(shelf.available >= n, lambda: stock.quarantine(self.ctx, sku, n, at=loc)):
                shelf.quarantined += n
        elif self.attempt(shelf.quarantined >= n, lambda: stock.release_quarantine(self.ctx, sku, n, at=loc)):
            shelf.quarantined -= n

    @rule(sku=st.sampled_from(["TEE-M"]), loc=st.sampled_from(BINS), n=st.integers(-8, 8).filter(bool))
    def adjust(self, sku, loc, n):
        shelf = self.shelves[sku, loc]
        reason = "FOUND" if n > 0 else "DAMAGED"
        if self.attempt(shelf.available >= -n, lambda: stock.adjust(self.ctx, sku, n, at=loc, reason=reason)):
            shelf.on_hand += n

    @precondition(lambda self: self.open_transfer is None)
    @rule(sku=st.sampled_from(ITEMS), n=qty)
    def transfer_out(self, sku, n):
        source, dest = "WH1-A-01", "SHOP-BACK"
        row = transfers.request_transfer(self.ctx, [(sku, n)], source=source, dest=dest)
        transfers.approve_transfer(self.ctx, row.id)
        shelf = self.shelves[sku, source]
        if self.attempt(shelf.available >= n, lambda: transfers.pick_transfer(self.ctx, row.id)):
            shelf.on_hand -= n
            self.open_transfer = (row.id, sku, dest, n)
        else:
            transfers.cancel_transfer(self.ctx, row.id)

    @precondition(lambda self: self.open_transfer is not None)
    @rule(damaged=st.integers(0, 3), short=st.integers(0, 3))
    def transfer_in(self, damaged, short):
        transfer_id, sku, dest, n = self.open_transfer
        damaged = min(damaged, n)
        short = min(short, n - damaged)
        receipt = transfers.LineReceipt(sku, n - damaged - short, damaged)
        transfers.receive_transfer(self.ctx, transfer_id, [receipt])
        shelf = self.shelves[sku, dest]
        shelf.on_hand += n - short
        shelf.quarantined += damaged
        self.open_transfer = None

    @invariant()
    def books_match_the_model_and_the_ledger(self):
        if not hasattr(self, "ctx"):
            return
        stored: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        for row in queries.stock(self.ctx):
            assert row.reserved >= 0 and row.quarantined >= 0 and row.reserved + row.quarantined <= row.on_hand
            totals = stored[row.sku, row.location]
            totals[0] += row.on_hand
            totals[1] += row.reserved
            totals[2] += row.quarantined
        for key, shelf in self.shelves.items():
            assert stored.get(key, [0, 0, 0]) == [shelf.on_hand, shelf.reserved, shelf.quarantined], key
        report = reconcile(self.ctx)
        assert report.clean, report.drifts


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_ledger_invariants_hold_under_random_operations(backend, templates):
    LedgerMachine.backend = backend
    LedgerMachine.templates = templates
    examples = 25 if backend == "sqlite" else 12
    LedgerMachine.TestCase.settings = settings(
        max_examples=examples,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    LedgerMachine.TestCase().runTest()
