"""What the race tests share: starting clients at the same moment, as threads (PostgreSQL, one pooled
connection each) or as spawned processes (SQLite, whose write lock is per file), and the workers those
processes run (spawned, so they live in an importable module)."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from stockdesk.db.uow import Database
from stockdesk.domain.errors import InsufficientStock
from stockdesk.services import stock
from stockdesk.services.context import open_context


def race_threads(n: int, job: Callable[[int], Any]) -> list[Any]:
    """`job(0)` ... `job(n - 1)` in `n` threads let go at once by a barrier; their results in that order."""
    barrier = threading.Barrier(n)

    def run(i: int) -> Any:
        barrier.wait()
        return job(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def race_processes(worker: Callable[[str, float, Any], Any], url: str, args: Sequence[Any]) -> list[Any]:
    """`worker(url, start_at, arg)` in one spawned process per arg; each waits until `start_at`, two
    seconds on (time enough to spawn them all), so they hit the database together."""
    start_at = time.time() + 2.0
    with multiprocessing.get_context("spawn").Pool(len(args)) as pool:
        return pool.starmap(worker, [(url, start_at, arg) for arg in args])


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
