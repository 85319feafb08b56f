"""Worker processes for the SQLite race tests (spawned, so they live in an importable module)."""

from __future__ import annotations

import time

from stockdesk.db.uow import Database
from stockdesk.domain.errors import InsufficientStock
from stockdesk.services import stock
from stockdesk.services.context import open_context


def reserve_one(url: str, start_at: float, order: str) -> str:
    database = Database(url)
    ctx = open_context(database)
    time.sleep(max(0.0, start_at - time.time()))
    try:
        stock.reserve(ctx, "TEE-M", 1, at="WH1-A-01", ref=order)
        return "reserved"
    except InsufficientStock:
        return "refused"
    finally:
        database.dispose()


def receive_with_key(url: str, start_at: float, key: str) -> int:
    database = Database(url)
    ctx = open_context(database)
    time.sleep(max(0.0, start_at - time.time()))
    try:
        return stock.receive(ctx, "TEE-M", 5, to="WH1-A-01", key=key).posting_id
    finally:
        database.dispose()
