"""Every commit says what changed: to this process's subscribers, and on PostgreSQL to other desktops."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, text

from stockdesk.db import notify
from stockdesk.db.uow import Database
from stockdesk.domain.postings import ChangeSet, Topic
from stockdesk.services import catalog, stock, transfers
from stockdesk.services.lookup import identify


def test_a_posting_tells_subscribers_exactly_what_it_touched(world):
    heard: list[ChangeSet] = []
    world.database.subscribe(heard.append)

    result = stock.receive(world, "TEE-M", 3, to="WH1-A-01")

    assert heard == [result.changes]
    assert result.changes.variant_ids == {catalog.find_variant(world, "TEE-M").id}
    assert result.changes.location_ids >= {identify(world, "WH1-A-01").location.id}


def test_a_refused_write_tells_nobody(world):
    heard: list[ChangeSet] = []
    world.database.subscribe(heard.append)
    with pytest.raises(Exception, match="available"):
        stock.sell(world, "TEE-M", 1, source="WH1-A-01")
    assert heard == []


def test_document_steps_name_their_topic(world):
    heard: list[ChangeSet] = []
    world.database.subscribe(heard.append)
    transfers.request_transfer(world, [("TEE-M", 1)], source="WH1", dest="SHOP")
    assert heard and heard[-1].mentions(Topic.TRANSFERS) and not heard[-1].touches_stock()


def test_a_payload_too_large_for_notify_becomes_everything():
    huge = ChangeSet(variant_ids=frozenset(range(5_000)), topics=frozenset({Topic.CATALOG}))
    payload = notify.encode(huge, "me")
    assert len(payload) <= notify.MAX_PAYLOAD
    origin, decoded = notify.decode(payload)
    assert origin == "me" and decoded.everything and decoded.topics == {Topic.CATALOG}


def test_a_small_payload_round_trips():
    changes = ChangeSet(frozenset({1, 2}), frozenset({7}), frozenset({0}), frozenset({Topic.COUNTS}))
    assert notify.decode(notify.encode(changes, "desk-1")) == ("desk-1", changes)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_another_desktop_hears_a_commit_and_not_its_own(world):
    other = Database(world.database.url)
    heard_there: list[ChangeSet] = []
    heard_here: list[ChangeSet] = []
    stop = threading.Event()
    listeners = [
        threading.Thread(target=other.listen_to_others, args=(heard_there.append, stop), daemon=True),
        threading.Thread(target=world.database.listen_to_others, args=(heard_here.append, stop), daemon=True),
    ]
    try:
        for listener in listeners:
            listener.start()
        _wait_listening(world.database.url, 2)
        result = stock.receive(world, "TEE-M", 2, to="WH1-A-01")
        _eventually(lambda: heard_there)
        assert heard_there == [result.changes]
        assert heard_here == []
    finally:
        stop.set()
        for listener in listeners:
            listener.join(timeout=5)
        other.dispose()


def _eventually(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("nothing arrived in time")
        time.sleep(0.05)


LISTENERS = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'")


def _wait_listening(url: str, count: int) -> None:
    """Until `count` connections are listening (their last statement was LISTEN)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            _eventually(lambda: conn.execute(LISTENERS).scalar_one() >= count)
    finally:
        engine.dispose()
