"""Every write carries an idempotency key: the same key twice posts once and returns the first result."""

from __future__ import annotations

from sqlalchemy import func, select

from stockdesk.db.records import MovementRecord, PostingRecord
from stockdesk.domain.errors import DuplicateKey, InsufficientStock
from stockdesk.services import stock
from tests.builders import level, refused, snapshot


def count_rows(ctx, record) -> int:
    with ctx.reading() as uow:
        return uow.connection.execute(select(func.count()).select_from(record)).scalar_one()


def test_the_same_key_twice_posts_once(world):
    first = stock.receive(world, "TEE-M", 10, to="WH1-A-01", key="PO-7:line-1")

    again = stock.receive(world, "TEE-M", 10, to="WH1-A-01", key="PO-7:line-1")

    assert (first.replayed, again.replayed) == (False, True)
    assert (again.posting_id, again.key, again.movements) == (first.posting_id, first.key, first.movements)
    assert level(world, "TEE-M", "WH1-A-01") == (10, 0, 0)
    assert (count_rows(world, PostingRecord), count_rows(world, MovementRecord)) == (1, 1)


def test_a_replay_writes_nothing(world):
    stock.receive(world, "TEE-M", 10, to="WH1-A-01")
    stock.sell(world, "TEE-M", 2, source="WH1-A-01", ref="TILL-1", key="TILL-1:1")

    before = snapshot(world)

    assert stock.sell(world, "TEE-M", 2, source="WH1-A-01", ref="TILL-1", key="TILL-1:1").replayed
    assert snapshot(world) == before


def test_the_same_key_for_a_different_request_is_refused(world):
    stock.receive(world, "TEE-M", 10, to="WH1-A-01", key="PO-7:line-1")

    with refused(world, DuplicateKey, "'PO-7:line-1' was already used for a different request; use a new key"):
        stock.receive(world, "TEE-M", 12, to="WH1-A-01", key="PO-7:line-1")


def test_a_key_cannot_be_reused_by_another_kind_of_operation(world):
    stock.receive(world, "TEE-M", 10, to="WH1-A-01", key="K-1")

    with refused(world, DuplicateKey, "already used for a different request"):
        stock.sell(world, "TEE-M", 1, source="WH1-A-01", key="K-1")


def test_a_replay_returns_the_first_result_even_when_the_request_would_now_be_refused(world):
    stock.receive(world, "TEE-M", 5, to="WH1-A-01")
    first = stock.sell(world, "TEE-M", 5, source="WH1-A-01", key="TILL-9:1")
    with refused(world, InsufficientStock, "Only 0 of TEE-M available"):
        stock.sell(world, "TEE-M", 5, source="WH1-A-01")

    again = stock.sell(world, "TEE-M", 5, source="WH1-A-01", key="TILL-9:1")

    assert (again.replayed, again.posting_id) == (True, first.posting_id)
    assert level(world, "TEE-M", "WH1-A-01") == (0, 0, 0)


def test_a_refused_request_leaves_its_key_free(world):
    with refused(world, InsufficientStock, "Only 0 of TEE-M available"):
        stock.sell(world, "TEE-M", 1, source="WH1-A-01", key="TILL-2:1")

    stock.receive(world, "TEE-M", 1, to="WH1-A-01")
    assert stock.sell(world, "TEE-M", 1, source="WH1-A-01", key="TILL-2:1").replayed is False


def test_a_replayed_serial_receipt_does_not_trip_over_its_own_serials(world):
    first = stock.receive(world, "PHONE-X", 2, to="WH1-A-01", serials=["SN-1", "SN-2"], key="PO-8:1")

    again = stock.receive(world, "PHONE-X", 2, to="WH1-A-01", serials=["SN-1", "SN-2"], key="PO-8:1")

    assert (again.replayed, again.posting_id) == (True, first.posting_id)
    assert level(world, "PHONE-X", "WH1-A-01") == (2, 0, 0)
