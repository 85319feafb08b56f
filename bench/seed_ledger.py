"""Fill a freshly migrated database with a year of realistic, consistent stock ledger, fast.

    .venv/bin/python bench/seed_ledger.py [--backend sqlite|postgresql] [--rows N] [--reseed]

The catalogue: 5,000 variants (2,500 products x 2), 3 sites x 50 bins; each variant lives in one
bin per site. The ledger (`--rows` movements, one movement per posting, as the services write
single-SKU operations) spans the last 365 days in increasing time and id order:

- order lines: 55% reserve (A->R on the bin, ref ORD-n) followed 1-48 h later by a ship (R->@CUSTOMER),
  40% counter sales (A->@CUSTOMER), 5% transfers to another site (bin->@TRANSIT, 1-3 days later
  @TRANSIT->bin, with their transfer document and line);
- replenishment: every 4 weeks, at the start of the period, one receipt (@SUPPLIER->bin) per
  (variant, bin) that sells in the period, covering that period's outflow plus a buffer, so no
  level is ever negative at any moment.

Postings, movements, levels (with version = number of writes), reservations (one row per order
line, shipped ones left at 0 as the services leave them) and transfers are generated together,
so reconciliation reports zero drift. Rows are bulk-loaded with COPY (PostgreSQL) / executemany
(SQLite), with the ledger's secondary indexes dropped during the load and rebuilt from their
exact migrated definitions afterwards. Open orders and transfers still in transit at the end
stay open, as in a real shop.
"""

from __future__ import annotations

import heapq
import random
import sqlite3
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import psycopg

import benchlib
from benchlib import SEED_MARK, log, pg_admin, pg_url, sa_url, seed_location

VARIANTS = 5_000
SITES = 3
BINS_PER_SITE = 50
PERIODS = 13
DAYS = 365
SUPPLIER, CUSTOMER, TRANSIT = 1, 2, 5  # ids the first migration gives the virtual places
FIRST_LOCATION = 6
OWNER = 1
LEVELLESS = {SUPPLIER, CUSTOMER, 3, 4}


class Catalogue:
    def __init__(self) -> None:
        self.locations: list[tuple] = []
        self.site_ids: list[int] = []
        self.bins: list[list[int]] = []
        next_id = FIRST_LOCATION
        for s in range(SITES):
            site_id = next_id
            next_id += 1
            code = f"SITE-{s + 1}"
            self.locations.append((site_id, code, f"Site {s + 1}", "site", None, site_id, f"/{site_id}/", code))
            self.site_ids.append(site_id)
            bins = []
            for b in range(BINS_PER_SITE):
                bin_id = next_id
                next_id += 1
                bcode = f"S{s + 1}-B{b + 1:03d}"
                self.locations.append(
                    (bin_id, bcode, f"Bin {bcode}", "bin", site_id, site_id, f"/{site_id}/{bin_id}/", bcode)
                )
                bins.append(bin_id)
            self.bins.append(bins)
        self.products = [(p, f"Product {p}", f"Category {p % 40}", "each", "none") for p in range(1, VARIANTS // 2 + 1)]
        self.variants = [
            (
                v,
                (v - 1) // 2 + 1,
                f"SKU-{v:05d}",
                f"2{v:011d}",
                f"Product {(v - 1) // 2 + 1} {'ML'[v % 2]}",
                "{}",
                f"{1 + v % 50}.5000",
                f"{3 + v % 70}.9900",
                5,
                True,
            )
            for v in range(1, VARIANTS + 1)
        ]

    def bin_of(self, variant: int, site: int) -> int:
        return self.bins[site][(variant * 7 + site * 13) % BINS_PER_SITE]


def _ts(dt: datetime) -> str:
    return dt.isoformat(" ", "microseconds")


class Ledger:
    """Generates the ledger period by period, keeping the projections it implies."""

    def __init__(self, rows: int, cat: Catalogue, rnd: random.Random) -> None:
        self.rows = rows
        self.cat = cat
        self.rnd = rnd
        self.next_id = 1
        self.next_order = 1
        self.next_transfer = 1
        self.levels: dict[tuple[int, int], list[int]] = {}
        self.reservations: dict[tuple[str, int, int], int] = defaultdict(int)
        self.transfers: dict[int, list] = {}
        self.pending: list[tuple] = []  # heap of follow-ups: (ts, seq, event)
        self.seq = 0
        today = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
        self.start = today - timedelta(days=DAYS + 1)

    # one event = (ts, kind, variant, from_loc, from_bucket, to_loc, to_bucket, qty, ref, key)

    def _apply(self, ev) -> tuple[tuple, tuple]:
        ts, kind, v, f, fb, t, tb, qty, ref, key = ev
        pid = self.next_id
        self.next_id += 1
        for loc, bucket, sign in ((f, fb, -1), (t, tb, 1)):
            if loc in LEVELLESS:
                continue
            lv = self.levels.get((v, loc))
            if lv is None:
                lv = self.levels[(v, loc)] = [0, 0, 0, -1]
            lv[0] += sign * qty
            if bucket == "R":
                lv[1] += sign * qty
                self.reservations[(ref, v, loc)] += sign * qty
            lv[3] += 1
            if lv[0] < 0 or lv[1] < 0 or lv[1] > lv[0]:
                raise AssertionError(f"seed generator produced an invalid level {lv} for {(v, loc)} at {ev}")
        stamp = _ts(ts)
        key = key or f"{kind}-{int(ts.timestamp() * 1e9):016x}-{pid:012x}"
        posting = (pid, key, f"{pid:064x}", kind, ref, OWNER, None, None, stamp)
        movement = (pid, pid, kind, v, 0, None, qty, f, fb, t, tb, None, None, None, stamp)
        return posting, movement

    def _follow_up(self, ev) -> None:
        self.seq += 1
        heapq.heappush(self.pending, (ev[0], self.seq, ev))

    def periods(self):
        """Yield (postings, movements) per period, in time and id order."""
        emitted = 0
        span = timedelta(days=DAYS) / PERIODS
        rnd, cat = self.rnd, self.cat
        for p in range(PERIODS):
            p_start = self.start + span * p
            budget = (self.rows - emitted) // (PERIODS - p)
            lines_from = p_start + timedelta(hours=1)
            lines_span = (span - timedelta(hours=1)).total_seconds()
            ordered: list[tuple] = []
            while self.pending and self.pending[0][0] < p_start:  # follow-ups left from the last period
                ordered.append(heapq.heappop(self.pending)[2])
            used = len(ordered)
            lines: list[tuple] = []
            outflow: dict[tuple[int, int], int] = defaultdict(int)
            while used < budget:
                ts = lines_from + timedelta(seconds=lines_span * used / budget)
                while self.pending and self.pending[0][0] <= ts:
                    lines.append(heapq.heappop(self.pending)[2])
                    used += 1
                v = 1 + min(int(VARIANTS * rnd.random() ** 2), VARIANTS - 1)
                site = rnd.randrange(SITES)
                bin_id = cat.bin_of(v, site)
                qty = 1 + min(int(rnd.expovariate(0.9)), 9)
                if (v, bin_id) not in outflow:
                    used += 1  # its replenishment receipt
                outflow[(v, bin_id)] += qty
                kind = rnd.random()
                if kind < 0.55:
                    ref = f"ORD-{self.next_order:08d}"
                    self.next_order += 1
                    lines.append((ts, "reserve", v, bin_id, "A", bin_id, "R", qty, ref, None))
                    ship_at = ts + timedelta(hours=rnd.uniform(1, 48))
                    self._follow_up((ship_at, "ship", v, bin_id, "R", CUSTOMER, "A", qty, ref, None))
                    used += 1  # the ship counts when it is emitted
                elif kind < 0.95:
                    lines.append((ts, "sell", v, bin_id, "A", CUSTOMER, "A", qty, None, None))
                    used += 1
                else:
                    dest_site = (site + 1 + rnd.randrange(SITES - 1)) % SITES
                    dest = cat.bin_of(v, dest_site)
                    tid = self.next_transfer
                    self.next_transfer += 1
                    ref = f"TRANSFER-{tid}"
                    lines.append((ts, "transfer-pick", v, bin_id, "A", TRANSIT, "A", qty, ref, f"{ref}:pick"))
                    arrive = ts + timedelta(days=rnd.uniform(1, 3))
                    self._follow_up(
                        (arrive, "transfer-receive", v, TRANSIT, "A", dest, "A", qty, ref, f"{ref}:receive")
                    )
                    self.transfers[tid] = [bin_id, dest, v, qty, ts, ts, False]
                    used += 1
            receipts = [
                (p_start + timedelta(milliseconds=i), "receive", v, SUPPLIER, "A", b, "A", n + rnd.randint(5, 30),
                 f"PO-{p + 1:02d}-{v:05d}", None)
                for i, ((v, b), n) in enumerate(sorted(outflow.items()))
            ]  # fmt: skip
            postings, movements = [], []
            for ev in (*ordered, *receipts, *lines):
                posting, movement = self._apply(ev)
                postings.append(posting)
                movements.append(movement)
                if ev[1] == "transfer-receive":
                    doc = self.transfers[int(ev[8].split("-")[1])]
                    doc[5], doc[6] = ev[0], True
            emitted += len(movements)
            yield postings, movements

    def level_rows(self) -> list[tuple]:
        return [(v, loc, 0, oh, r, q, n) for (v, loc), (oh, r, q, n) in sorted(self.levels.items())]

    def reservation_rows(self) -> list[tuple]:
        return [(ref, v, loc, 0, n) for (ref, v, loc), n in sorted(self.reservations.items())]

    def transfer_rows(self) -> tuple[list[tuple], list[tuple]]:
        heads, lines = [], []
        for tid, (src, dst, v, qty, created, updated, received) in sorted(self.transfers.items()):
            status = "received" if received else "picked"
            heads.append((tid, status, src, dst, OWNER, OWNER, _ts(created), _ts(updated), None))
            lines.append((tid, tid, v, qty, qty, qty if received else 0, 0, 0))
        return heads, lines


COLUMNS = {
    "locations": "id, code, name, kind, parent_id, site_id, path, sort_key, is_virtual, keeps_levels",
    "products": "id, name, category, unit, tracking",
    "variants": "id, product_id, sku, barcode, name, attributes, unit_cost, price, reorder_point, active",
    "postings": "id, idempotency_key, fingerprint, kind, reference, user_id, reason_code, note, posted_at",
    "movements": "id, posting_id, kind, variant_id, lot_id, serial_id, qty, from_location_id, from_bucket, "
    "to_location_id, to_bucket, before_qty, after_qty, reverses_id, posted_at",
    "levels": "variant_id, location_id, lot_id, on_hand, reserved, quarantined, version",
    "reservations": "order_ref, variant_id, location_id, lot_id, qty",
    "transfers": "id, status, from_location_id, to_location_id, requested_by, approved_by, created_at, updated_at, "
    "note",
    "transfer_lines": "id, transfer_id, variant_id, qty_requested, qty_picked, qty_received, qty_damaged, qty_short",
}
LEDGER_TABLES = ("postings", "movements")


def _locations_rows(cat: Catalogue) -> list[tuple]:
    return [(*row[:7], row[7], False, True) for row in cat.locations]


class SqliteLoader:
    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = OFF")
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.execute("PRAGMA cache_size = -1000000")
        self.conn.execute("BEGIN")
        self.indexes = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (?, ?)",
            LEDGER_TABLES,
        ).fetchall()
        for name, _ in self.indexes:
            self.conn.execute(f'DROP INDEX "{name}"')

    def load(self, table: str, rows: list[tuple]) -> None:
        cols = COLUMNS[table]
        marks = ", ".join("?" * len(cols.split(",")))
        self.conn.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)

    def finish(self) -> None:
        log("rebuilding ledger indexes")
        for _, sql in self.indexes:
            self.conn.execute(sql)
        self.conn.execute("COMMIT")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.close()


class PgLoader:
    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(url)
        # No FK triggers during the load (the generator guarantees the references); superuser only.
        self.conn.execute("SET session_replication_role = replica")
        self.conn.execute("SET maintenance_work_mem = '1GB'")
        self.indexes = self.conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('postings', 'movements') "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        ).fetchall()
        for name, _ in self.indexes:
            self.conn.execute(f'DROP INDEX "{name}"')

    def load(self, table: str, rows: list[tuple]) -> None:
        with self.conn.cursor().copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def finish(self) -> None:
        log("rebuilding ledger indexes")
        for _, sql in self.indexes:
            self.conn.execute(sql)
        for table in ("locations", "products", "variants", "postings", "movements", "transfers", "transfer_lines"):
            self.conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        self.conn.commit()
        self.conn.autocommit = True
        log("VACUUM ANALYZE (what autovacuum would have done over the year)")
        self.conn.execute("VACUUM ANALYZE")
        self.conn.close()


def seed(backend: str, rows: int) -> float:
    """Create (or re-create) the cached seeded ledger; returns the seconds it took."""
    started = time.perf_counter()
    where = seed_location(backend, rows)
    log(f"seeding {backend} with {rows:,} ledger rows -> {where}")
    benchlib.fresh_schema(backend, where)

    loader = SqliteLoader(Path(where)) if backend == "sqlite" else PgLoader(pg_url(where))
    cat = Catalogue()
    loader.load("locations", _locations_rows(cat))
    loader.load("products", cat.products)
    loader.load("variants", cat.variants)
    ledger = Ledger(rows, cat, random.Random(20261128))
    total = 0
    for postings, movements in ledger.periods():
        loader.load("postings", postings)
        loader.load("movements", movements)
        total += len(movements)
        log(f"  {total:,} movements loaded")
    loader.load("levels", ledger.level_rows())
    loader.load("reservations", ledger.reservation_rows())
    heads, lines = ledger.transfer_rows()
    loader.load("transfers", heads)
    loader.load("transfer_lines", lines)
    loader.finish()
    seconds = time.perf_counter() - started
    log(f"loaded {total:,} movements in {seconds:.0f} s; checking with reconcile")
    _check_clean(backend, where)
    if backend == "sqlite":
        Path(where + ".ok").write_text(f"{total}\n")
    else:
        pg_admin(f"COMMENT ON DATABASE \"{where}\" IS '{SEED_MARK}: {total} movements'")
    seconds = time.perf_counter() - started
    log(f"seeded {backend} {rows:,} in {seconds:.0f} s (including the reconcile check)")
    return seconds


def _check_clean(backend: str, where: str) -> None:
    from stockdesk.db.uow import Database
    from stockdesk.services.context import open_context
    from stockdesk.services.reconcile import reconcile

    db = Database(sa_url(backend, where))
    try:
        started = time.perf_counter()
        report = reconcile(open_context(db))
        took = time.perf_counter() - started
    finally:
        db.dispose()
    if not report.clean:
        raise SystemExit(f"seeded ledger has {len(report.drifts)} drifting rows, e.g. {report.drifts[:3]}")
    log(f"reconcile: zero drift ({took:.1f} s)")


def main() -> None:
    args = benchlib.parser(__doc__).parse_args()
    backends, sizes = benchlib.selected(args)
    for backend in backends:
        for rows in sizes:
            if args.reseed or not benchlib.seed_ready(backend, rows):
                seed(backend, rows)
            else:
                log(f"{backend} {rows:,}: cached at {seed_location(backend, rows)} (use --reseed to rebuild)")


if __name__ == "__main__":
    main()
