"""Bulk import of 100,000 movements: `stockdesk-cli import movements` vs raw executemany.

    .venv/bin/python bench/bulk_import.py [--backend sqlite|postgresql] [--rows N] [--lines 100000] [--quick]

The CSV (StockDesk layout: date, kind, sku, qty, location) alternates a receipt of 2 and a sale
of 1 on seeded (variant, bin) pairs, timestamps increasing over the last day. StockDesk: the CLI in
its own process (wall time, interpreter start included), default batch size. Raw: one process,
one transaction per 5,000 rows like the importer: look up every SKU and bin once, skip keys
already posted, executemany the postings and their movements, then the net level change per
(variant, bin) of the batch (upsert when it adds, guarded UPDATE when it takes, refusing the
batch on a shortfall), commit.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import subprocess
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import benchlib
from benchlib import ROOT, Result, log, q, raw_connect, report

BATCH = 5_000
SUPPLIER, CUSTOMER = 1, 2


def write_csv(path: Path, keys: list[tuple[str, str, str]], lines: int) -> None:
    start = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=1)
    step = timedelta(days=1) / (lines + 1)
    with path.open("w", newline="") as out:
        w = csv.writer(out)
        w.writerow(["date", "kind", "sku", "qty", "location"])
        for i in range(lines):
            sku, bin_code, _ = keys[(i // 2) % len(keys)]
            kind, qty = ("receive", 2) if i % 2 == 0 else ("sell", 1)
            w.writerow([(start + step * i).isoformat(" ", "seconds"), kind, sku, qty, bin_code])


def raw_import(url: str, path: Path) -> int:
    conn = raw_connect(url)
    sqlite = benchlib.is_sqlite(conn)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:24]
    variants = dict(conn.execute("SELECT sku, id FROM variants").fetchall())
    places = dict(conn.execute(q(conn, "SELECT code, id FROM locations WHERE is_virtual = ?"), (False,)).fetchall())
    ins_posting = q(
        conn,
        "INSERT INTO postings (idempotency_key, fingerprint, kind, reference, user_id, posted_at) "
        "VALUES (?, ?, ?, NULL, 1, ?)",
    )
    ins_movement = q(
        conn,
        "INSERT INTO movements (posting_id, kind, variant_id, lot_id, qty, from_location_id, from_bucket, "
        "to_location_id, to_bucket, posted_at) SELECT id, ?, ?, 0, ?, ?, 'A', ?, 'A', ? FROM postings "
        "WHERE idempotency_key = ?",
    )
    upsert = q(
        conn,
        "INSERT INTO levels (variant_id, location_id, lot_id, on_hand, reserved, quarantined, version) "
        "VALUES (?, ?, 0, ?, 0, 0, 0) ON CONFLICT (variant_id, location_id, lot_id) DO UPDATE "
        "SET on_hand = levels.on_hand + excluded.on_hand, version = levels.version + 1",
    )
    take = q(
        conn,
        "UPDATE levels SET on_hand = on_hand - ?, version = version + 1 "
        "WHERE variant_id = ? AND location_id = ? AND lot_id = 0 AND on_hand - reserved - quarantined >= ?",
    )
    imported = 0

    def flush(batch: list[tuple]) -> int:
        if sqlite:
            conn.execute("BEGIN IMMEDIATE")
        keys = [b[0] for b in batch]
        seen = set()
        for i in range(0, len(keys), 900):
            part = keys[i : i + 900]
            marks = ", ".join(["?"] * len(part))
            seen |= {
                r[0]
                for r in conn.execute(
                    q(conn, f"SELECT idempotency_key FROM postings WHERE idempotency_key IN ({marks})"), part
                )
            }
        todo = [b for b in batch if b[0] not in seen]
        cur = conn.cursor()
        cur.executemany(ins_posting, [(k, fp, kind, at) for k, fp, kind, at, *_ in todo])
        cur.executemany(
            ins_movement,
            [(kind, v, n, src, dst, at, k) for k, _, kind, at, v, n, src, dst in todo],
        )
        net: dict[tuple[int, int], int] = defaultdict(int)
        for _, _, kind, _, v, n, src, dst in todo:
            if kind == "receive":
                net[(v, dst)] += n
            else:
                net[(v, src)] -= n
        adds = [(v, loc, n) for (v, loc), n in sorted(net.items()) if n >= 0]
        takes = [(-n, v, loc, -n) for (v, loc), n in sorted(net.items()) if n < 0]
        if adds:
            cur.executemany(upsert, adds)
        for t in takes:
            if cur.execute(take, t).rowcount != 1:
                conn.rollback()
                raise RuntimeError(f"shortfall at {t}")
        conn.commit()
        return len(todo)

    batch: list[tuple] = []
    with path.open(newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for number, (date, kind, sku, qty, location) in enumerate(rows, start=2):
            v, loc, n = variants[sku], places[location], int(qty)
            src, dst = (SUPPLIER, loc) if kind == "receive" else (loc, CUSTOMER)
            fp = hashlib.sha256(f"{kind}\x1f{sku}\x1f{n}\x1f{location}".encode()).hexdigest()
            stamp = datetime.fromisoformat(date)
            at = stamp.isoformat(" ", "microseconds") if sqlite else stamp
            batch.append((f"raw:{digest}:{number}", fp, kind, at, v, n, src, dst))
            if len(batch) >= BATCH:
                imported += flush(batch)
                batch = []
    if batch:
        imported += flush(batch)
    conn.close()
    return imported


def cli_import(url: str, path: Path) -> tuple[int, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [str(ROOT / ".venv/bin/stockdesk-cli"), "--db", url, "import", "movements", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"stockdesk-cli import failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    found = re.search(r"Imported (\d+) rows", done.stdout)
    if not found:
        raise SystemExit(f"unexpected CLI output:\n{done.stdout}\n{done.stderr}")
    return int(found.group(1)), took


def run(url: str, rows: int, backend: str, lines: int) -> list[Result]:
    keys = benchlib.seeded_sample(url, 2_000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "movements.csv"
        write_csv(path, keys, lines)
        before = benchlib.ledger_rows(url)
        imported, sd_seconds = cli_import(url, path)
        after_sd = benchlib.ledger_rows(url)
        started = time.perf_counter()
        raw_done = raw_import(url, path)
        raw_seconds = time.perf_counter() - started
        after_raw = benchlib.ledger_rows(url)
    if imported != lines or after_sd - before != lines or raw_done != lines or after_raw - after_sd != lines:
        raise SystemExit(
            f"import count mismatch: cli {imported}, raw {raw_done}, ledger {before}->{after_sd}->{after_raw}"
        )
    log(f"  cli {sd_seconds:.1f} s, raw {raw_seconds:.1f} s for {lines:,} rows")
    return [
        Result(
            "bulk_import",
            f"import {lines:,} movements (CSV)",
            backend,
            rows,
            lines / sd_seconds,
            lines / raw_seconds,
            "",
            unit="rows/s",
            note=f"{sd_seconds:.1f} s vs {raw_seconds:.1f} s (CLI wall time incl. start-up)",
        )
    ]


def main() -> None:
    p = benchlib.parser(__doc__)
    p.add_argument("--lines", type=int, default=100_000)
    args = p.parse_args()
    backends, sizes = benchlib.selected(args)
    lines = 10_000 if args.quick else args.lines
    results = []
    for rows in sizes:
        for backend in backends:
            with benchlib.working_db(backend, rows, reseed=args.reseed) as url:
                size = benchlib.ledger_rows(url)
                log(f"bulk import: {backend}, {size:,} ledger rows")
                results += run(url, size, backend, lines)
    report(results, args.json)


if __name__ == "__main__":
    main()
