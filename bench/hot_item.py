"""One hot item: many clients reserve 1 unit of the SAME item at the same bin until it runs out.

    .venv/bin/python bench/hot_item.py [--backend sqlite|postgresql] [--rows N] [--units 2000] [--quick]

PostgreSQL: 8 and 32 client threads; StockDesk with LockMode.CONDITIONAL and LockMode.OPTIMISTIC
(retries per reserved unit, and whether the item was switched to row locks) vs a raw
single-statement conditional UPDATE. SQLite: 4 client processes, same variants.

Every variant gets its own fresh item with exactly `--units` units received, and is checked
afterwards: exactly `--units` reserved (no oversell, no lost unit), the level row, the ledger and
the reservation rows agree. ops/s = reserved units per second of wall time.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
import time
import traceback

import benchlib
from benchlib import Result, log, raw_connect, report
from rawledger import OutOfStock, RawLedger
from stockdesk.db.uow import Database, LockMode
from stockdesk.domain.contention import ContentionTracker
from stockdesk.domain.errors import InsufficientStock
from stockdesk.services import catalog, stock
from stockdesk.services.context import open_context

BIN = "S1-B001"


class CountingTracker(ContentionTracker):
    """The app's tracker, also counting every retry for the report."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0
        self.retries = 0

    def record(self, key, retries: int) -> None:
        with self._lock:
            self.writes += 1
            self.retries += retries
        super().record(key, retries)


def _prepare_item(url: str, sku: str, units: int) -> None:
    db = Database(url)
    try:
        ctx = open_context(db)
        catalog.add_product(ctx, catalog.NewProduct(sku, f"Hot item {sku}"))
        stock.receive(ctx, sku, units, to=BIN)
    finally:
        db.dispose()


def _verify(url: str, sku: str, units: int, reserved_calls: int) -> str:
    conn = raw_connect(url)
    try:
        (vid,) = conn.execute(benchlib.q(conn, "SELECT id FROM variants WHERE sku = ?"), (sku,)).fetchone()
        level = conn.execute(
            benchlib.q(conn, "SELECT sum(on_hand), sum(reserved) FROM levels WHERE variant_id = ?"), (vid,)
        ).fetchone()
        ledger = conn.execute(
            benchlib.q(conn, "SELECT count(*), sum(qty) FROM movements WHERE variant_id = ? AND to_bucket = 'R'"),
            (vid,),
        ).fetchone()
        held = conn.execute(
            benchlib.q(conn, "SELECT count(*), sum(qty) FROM reservations WHERE variant_id = ?"), (vid,)
        ).fetchone()
    finally:
        conn.close()
    ok = level == (units, units) and ledger == (units, units) and held == (units, units) and reserved_calls == units
    if not ok:
        raise SystemExit(
            f"{sku}: OVERSOLD OR LOST UNITS: level {level}, ledger {ledger}, reservations {held}, "
            f"successful calls {reserved_calls}, expected {units}"
        )
    return f"verified {units}/{units} reserved"


# -- PostgreSQL: threads ------------------------------------------------------------------------


def _threads(n: int, work) -> tuple[float, int, list[str]]:
    """Run work(i) -> reserved count in n threads started together; (seconds, reserved, errors)."""
    barrier = threading.Barrier(n + 1)
    counts = [0] * n
    errors: list[str] = []

    def client(i: int) -> None:
        barrier.wait()
        try:
            counts[i] = work(i)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - start, sum(counts), errors


def _sd_work(ctx, sku: str):
    def work(i: int) -> int:
        done = 0
        while True:
            try:
                stock.reserve(ctx, sku, 1, at=BIN, ref=f"HOT-{sku}-{i}-{done}")
            except InsufficientStock:
                return done
            done += 1

    return work


def _raw_work(url: str, sku: str):
    def work(i: int) -> int:
        raw = RawLedger(url)
        done = 0
        try:
            while True:
                try:
                    raw.reserve(sku, 1, at=BIN, ref=f"HOT-{sku}-{i}-{done}")
                except OutOfStock:
                    return done
                done += 1
        finally:
            raw.close()

    return work


def run_pg(url: str, rows: int, units: int, clients: list[int]) -> list[Result]:
    results = []
    for n in clients:
        rates: dict[str, float] = {}
        notes: dict[str, str] = {}
        for variant in ("raw", "conditional", "optimistic"):
            sku = f"HOT-{variant.upper()}-{n}"
            _prepare_item(url, sku, units)
            if variant == "raw":
                seconds, done, errors = _threads(n, _raw_work(url, sku))
                note = ""
            else:
                db = Database(url, LockMode(variant))
                tracker = db.contention = CountingTracker()
                ctx = open_context(db)
                try:
                    seconds, done, errors = _threads(n, _sd_work(ctx, sku))
                finally:
                    db.dispose()
                note = ""
                if variant == "optimistic":
                    hot = any(tracker.is_hot(k) for k in list(tracker._history))
                    note = f"{tracker.retries / max(done, 1):.2f} retries/unit, row locks: {'yes' if hot else 'no'}"
            if errors:
                raise SystemExit(f"{variant} x{n}: {len(errors)} errors, first: {errors[0]}")
            check = _verify(url, sku, units, done)
            rates[variant] = done / seconds
            notes[variant] = note
            log(f"  {variant:11s} x{n:2d} threads: {rates[variant]:,.0f} units/s; {note} {check}")
        for variant in ("conditional", "optimistic"):
            results.append(
                Result(
                    "hot_item",
                    f"hot item reserve, {n} threads, {variant}",
                    "postgresql",
                    rows,
                    rates[variant],
                    rates["raw"],
                    "",
                    note=(notes[variant] + "; " if notes[variant] else "") + "no oversell",
                )
            )
    return results


# -- SQLite: processes --------------------------------------------------------------------------


def _process_client(url: str, sku: str, variant: str, i: int, start, out) -> None:
    try:
        if variant == "raw":
            raw = RawLedger(url)
            start.wait()
            done = 0
            while True:
                try:
                    raw.reserve(sku, 1, at=BIN, ref=f"HOT-{sku}-{i}-{done}")
                except OutOfStock:
                    break
                done += 1
            raw.close()
        else:
            db = Database(url, LockMode(variant))
            ctx = open_context(db)
            start.wait()
            done = _sd_work(ctx, sku)(i)
            db.dispose()
        out.put((i, done, None))
    except Exception:
        out.put((i, 0, traceback.format_exc()))


def run_sqlite(url: str, rows: int, units: int, processes: int) -> list[Result]:
    spawn = mp.get_context("spawn")
    rates = {}
    for variant in ("raw", "conditional", "optimistic"):
        sku = f"HOT-{variant.upper()}-P{processes}"
        _prepare_item(url, sku, units)
        start, out = spawn.Event(), spawn.Queue()
        procs = [
            spawn.Process(target=_process_client, args=(url, sku, variant, i, start, out)) for i in range(processes)
        ]
        for p in procs:
            p.start()
        time.sleep(3)  # let every client import and connect before the start signal
        began = time.perf_counter()
        start.set()
        got = [out.get() for _ in procs]
        seconds = time.perf_counter() - began
        for p in procs:
            p.join()
        failures = [err for _, _, err in got if err]
        if failures:
            raise SystemExit(f"{variant}: client failed:\n{failures[0]}")
        done = sum(n for _, n, _ in got)
        check = _verify(url, sku, units, done)
        rates[variant] = done / seconds
        log(f"  {variant:11s} x{processes} processes: {rates[variant]:,.0f} units/s, {check}")
    return [
        Result(
            "hot_item",
            f"hot item reserve, {processes} processes, {variant}",
            "sqlite",
            rows,
            rates[variant],
            rates["raw"],
            "",
            note="no oversell",
        )
        for variant in ("conditional", "optimistic")
    ]


def main() -> None:
    p = benchlib.parser(__doc__)
    p.add_argument("--units", type=int, default=2000)
    args = p.parse_args()
    backends, sizes = benchlib.selected(args)
    units = 400 if args.quick else args.units
    results = []
    for rows in sizes:
        for backend in backends:
            with benchlib.working_db(backend, rows, reseed=args.reseed) as url:
                size = benchlib.ledger_rows(url)
                log(f"hot item: {backend}, {size:,} ledger rows, {units} units")
                if backend == "postgresql":
                    results += run_pg(url, size, units, [8, 32])
                else:
                    results += run_sqlite(url, size, units, 4)
    report(results, args.json)


if __name__ == "__main__":
    main()
