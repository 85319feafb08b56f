"""Shared plumbing for the benchmark scripts: seeded databases, working copies, raw connections, timing, tables.

The seeded ledgers are cached (SQLite files under /tmp/stockdesk-bench/, PostgreSQL databases named
stockdesk_bench_seed_<rows>); every benchmark run works on a throw-away copy of one, so runs never
grow the cached ledger and never see each other's rows.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from stockdesk.db.engine import make_engine  # noqa: E402 - after the path set-up above
from stockdesk.db.migrate import upgrade_to_head  # noqa: E402

CACHE_DIR = Path(os.environ.get("STOCKDESK_BENCH_DIR", "/tmp/stockdesk-bench"))
PG_ADMIN = os.environ.get("STOCKDESK_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
SIZES = (10_000, 5_500_000)
SEED_PREFIX = "stockdesk_bench_seed_"
WORK_PREFIX = "stockdesk_bench_work_"
SEED_MARK = "stockdesk-bench seeded ledger"


# -- command line -------------------------------------------------------------------------------


def parser(doc: str, *, backends: tuple[str, ...] = ("sqlite", "postgresql")) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    p.add_argument("--backend", choices=backends, action="append", help="repeatable; default: all")
    p.add_argument("--rows", type=int, action="append", help=f"ledger size(s); default: {', '.join(map(str, SIZES))}")
    p.add_argument("--reseed", action="store_true", help="rebuild the cached seeded ledger first")
    p.add_argument("--json", type=Path, help="append result rows to this JSON-lines file (used by run_all.py)")
    p.add_argument("--quick", action="store_true", help="fewer iterations (a smoke run)")
    return p


def selected(args, backends: tuple[str, ...] = ("sqlite", "postgresql")) -> tuple[list[str], list[int]]:
    return list(args.backend or backends), list(args.rows or SIZES)


# -- databases ----------------------------------------------------------------------------------


def pg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def sa_url(backend: str, where: str) -> str:
    """SQLAlchemy URL for a SQLite file path or a PostgreSQL database name."""
    return (
        f"sqlite:///{where}" if backend == "sqlite" else pg_url(where).replace("postgresql://", "postgresql+psycopg://")
    )


def pg_admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def pg_exists(name: str) -> bool:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def seed_location(backend: str, rows: int) -> str:
    """Where the cached seeded ledger of `rows` movements lives (file path or database name)."""
    return str(CACHE_DIR / f"ledger-{rows}.db") if backend == "sqlite" else f"{SEED_PREFIX}{rows}"


def seed_ready(backend: str, rows: int) -> bool:
    where = seed_location(backend, rows)
    if backend == "sqlite":
        return Path(where).exists() and Path(where + ".ok").exists()
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (where,)
        ).fetchone()
    return row is not None and (row[0] or "").startswith(SEED_MARK)


def ensure_seeded(backend: str, rows: int, *, reseed: bool = False) -> str:
    if reseed or not seed_ready(backend, rows):
        from seed_ledger import seed

        seed(backend, rows)
    return seed_location(backend, rows)


def fresh_schema(backend: str, where: str) -> None:
    """Throw away what a cache entry held (file or database) and create it empty at the current schema."""
    if backend == "sqlite":
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", ".ok"):
            Path(f"{where}{suffix}").unlink(missing_ok=True)
    else:
        pg_admin(f'DROP DATABASE IF EXISTS "{where}" WITH (FORCE)')
        pg_admin(f'CREATE DATABASE "{where}"')
    engine = make_engine(sa_url(backend, where))
    upgrade_to_head(engine)
    engine.dispose()


def _upgraded(url: str) -> str:
    """The app upgrades its database at start-up; a cached seed may predate the newest migration."""
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    return url


@contextmanager
def working_db(backend: str, rows: int, *, reseed: bool = False) -> Iterator[str]:
    """A throw-away copy of the seeded ledger (upgraded to head); yields its URL and drops it afterwards."""
    seed = ensure_seeded(backend, rows, reseed=reseed)
    with working_copy(backend, seed, f"{rows}_{os.getpid()}") as url:
        yield url


@contextmanager
def working_copy(backend: str, seed: str, tag: str) -> Iterator[str]:
    """A throw-away copy of a cached seed (a file path or a database name), upgraded to head."""
    if backend == "sqlite":
        path = CACHE_DIR / f"work-{tag}.db"
        shutil.copyfile(seed, path)
        try:
            yield _upgraded(sa_url(backend, str(path)))
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        name = f"{WORK_PREFIX}{tag}"
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{seed}" STRATEGY FILE_COPY')
        try:
            yield _upgraded(sa_url(backend, name))
        finally:
            pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def raw_connect(url: str):
    """A DB-API connection for the raw implementations, set up as a careful application would."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))


def is_sqlite(conn) -> bool:
    return isinstance(conn, sqlite3.Connection)


def q(conn, sql: str) -> str:
    """Write SQL with '?' placeholders; psycopg wants '%s'."""
    return sql if is_sqlite(conn) else sql.replace("?", "%s")


def begin_write(conn) -> None:
    if is_sqlite(conn):
        conn.execute("BEGIN IMMEDIATE")


def ledger_rows(url: str) -> int:
    conn = raw_connect(url)
    try:
        return conn.execute("SELECT count(*) FROM movements").fetchone()[0]
    finally:
        conn.close()


def seeded_sample(url: str, n: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """(sku, bin code, site code) of `n` seeded level rows that hold stock, in a fixed pseudo-random order."""
    conn = raw_connect(url)
    try:
        rows = conn.execute(
            "SELECT v.sku, b.code, s.code FROM levels l JOIN variants v ON v.id = l.variant_id "
            "JOIN locations b ON b.id = l.location_id JOIN locations s ON s.id = b.site_id "
            "WHERE b.kind = 'bin' AND l.on_hand - l.reserved - l.quarantined >= 5 ORDER BY v.sku, b.code"
        ).fetchall()
    finally:
        conn.close()
    import random

    rnd = random.Random(seed)
    return [rows[rnd.randrange(len(rows))] for _ in range(n)]


# -- timing and results ---------------------------------------------------------------------------


def rate(fn: Callable[[], int | None], *, ops: int | None = None) -> float:
    """Operations per second of one call of fn (which returns how many operations it did, or uses `ops`)."""
    start = time.perf_counter()
    done = fn()
    elapsed = time.perf_counter() - start
    return (ops if ops is not None else done) / elapsed


def best_of(rounds: list[tuple[float, float]]) -> tuple[float, float]:
    """Median over interleaved rounds of (stockdesk, raw) rates."""
    return statistics.median(r[0] for r in rounds), statistics.median(r[1] for r in rounds)


@dataclass
class Result:
    bench: str
    operation: str
    backend: str
    rows: int
    stockdesk: float
    raw: float | None
    target: str
    unit: str = "ops/s"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """StockDesk throughput as a fraction of raw (1.0 = as fast)."""
        return self.stockdesk / self.raw if self.raw else None

    def verdict(self) -> str:
        r = self.ratio
        if r is None or not self.target:
            return "-"
        kind, value = self.target.split(":")
        if kind == "min_ratio":  # stockdesk >= value x raw
            return "PASS" if r >= float(value) else "FAIL"
        if kind == "max_slowdown":  # stockdesk time <= value x raw time
            return "PASS" if 1 / r <= float(value) else "FAIL"
        return "-"

    def target_text(self) -> str:
        if not self.target:
            return "-"
        kind, value = self.target.split(":")
        return f">= {float(value):.0%} of raw" if kind == "min_ratio" else f"<= {value}x raw time"


def fmt_rate(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}"


def fmt_ratio(r: Result) -> str:
    ratio = r.ratio
    if ratio is None:
        return "-"
    return f"{ratio:.2f} ({1 / ratio:.2f}x time)"


HEADER = ("operation", "backend", "ledger", "stockdesk ops/s", "raw ops/s", "sd/raw", "target", "result", "note")


def table_rows(results: list[Result]) -> list[tuple[str, ...]]:
    return [
        (
            r.operation,
            r.backend,
            f"{r.rows:,}",
            fmt_rate(r.stockdesk),
            fmt_rate(r.raw),
            fmt_ratio(r),
            r.target_text(),
            r.verdict(),
            r.note,
        )
        for r in results
    ]


def print_table(results: list[Result]) -> None:
    rows = [HEADER, *table_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def report(results: list[Result], json_path: Path | None) -> None:
    print()
    print_table(results)
    if json_path:
        with json_path.open("a") as out:
            for r in results:
                out.write(json.dumps(asdict(r)) + "\n")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)
