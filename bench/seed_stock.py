"""A wide catalogue for the desktop benchmarks: 50,000 variants stocked at 10 sites, bulk-loaded.

    .venv/bin/python bench/seed_stock.py [--backend sqlite|postgresql] [--reseed]

10,000 products x 5 sizes; names, colours and materials from small word lists, so a colour matches
1 in 12 items and a product number 1 in 10,000. Ten sites of 5 aisles x 20 bins; each variant is
kept in one bin per site (500,000 level rows). On hand 5-80, or 0-2 for 5% of the variants; 40%
have a reorder point of 20; 10% of rows have units reserved (with their reservation), 2% one unit
quarantined, 3% are sold out (received, then sold); 2,000 transfers are on the road. Every
quantity comes from its movements (a receipt, then reserve / quarantine / sale / transfer pick),
so reconciliation reports zero drift. Loaded with COPY / executemany through seed_ledger's loaders;
cached as /tmp/stockdesk-bench/stock-50000x10.db and database stockdesk_bench_stock_50000x10.
"""

from __future__ import annotations

import json
import random
import time
from datetime import datetime, timedelta
from pathlib import Path

import benchlib
from benchlib import CACHE_DIR, SEED_MARK, log, pg_admin, pg_url
from seed_ledger import CUSTOMER, FIRST_LOCATION, OWNER, SUPPLIER, TRANSIT, PgLoader, SqliteLoader, _check_clean

PRODUCTS, SIZES, SITES, AISLES, BINS = 10_000, ("XS", "S", "M", "L", "XL"), 10, 5, 20
VARIANTS = PRODUCTS * len(SIZES)
TRANSFERS = 2_000
NOUNS = (
    "tee hoodie jacket sock cap scarf glove shirt jeans shorts dress skirt boot sneaker sandal belt bag tote bottle mug"
)
ADJECTIVES = ["organic", "heavy", "light", "classic", "slim", "relaxed", "vintage", "sport", "travel", "winter"]
COLOURS = ["white", "black", "navy", "grey", "green", "red", "olive", "burgundy", "indigo", "mustard", "pink", "sky"]
MATERIALS = ["cotton", "wool", "linen", "denim", "leather", "canvas"]
NAME = f"stock-{VARIANTS}x{SITES}"


def where(backend: str) -> str:
    return str(CACHE_DIR / f"{NAME}.db") if backend == "sqlite" else f"stockdesk_bench_{NAME.replace('-', '_')}"


def ready(backend: str) -> bool:
    place = where(backend)
    if backend == "sqlite":
        return Path(place + ".ok").exists()
    return benchlib.pg_exists(place) and _pg_comment(place).startswith(SEED_MARK)


def ensure(backend: str, *, reseed: bool = False) -> str:
    """The cached seed's file path or database name, seeding it first when needed."""
    if reseed or not ready(backend):
        seed(backend)
    return where(backend)


def pg_admin_in(database: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(pg_url(database), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _pg_comment(name: str) -> str:
    import psycopg

    with psycopg.connect(benchlib.PG_ADMIN, autocommit=True) as conn:
        row = conn.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (name,))
        return (row.fetchone() or [""])[0] or ""


def catalogue() -> tuple[list, list, list, list[list[int]]]:
    """(locations, products, variants, bins per site)."""
    locations, bins, next_id = [], [], FIRST_LOCATION
    for s in range(1, SITES + 1):
        site, code = next_id, f"SITE-{s:02d}"
        locations.append((site, code, f"Store {s}", "site", None, site, f"/{site}/", code, False, True))
        next_id += 1
        bins.append([])
        for a in range(1, AISLES + 1):
            aisle, acode = next_id, f"S{s:02d}-{a}"
            locations.append((aisle, acode, f"Aisle {a}", "aisle", site, site, f"/{site}/{aisle}/", acode, False, True))
            next_id += 1
            for b in range(1, BINS + 1):
                path, bcode = f"/{site}/{aisle}/{next_id}/", f"{acode}-{b:02d}"
                locations.append((next_id, bcode, f"Bin {bcode}", "bin", aisle, site, path, bcode, False, True))
                bins[-1].append(next_id)
                next_id += 1
    nouns = NOUNS.split()
    products, variants = [], []
    rnd = random.Random(3)
    for p in range(1, PRODUCTS + 1):
        noun, adjective = nouns[p % len(nouns)], ADJECTIVES[(p // len(nouns)) % len(ADJECTIVES)]
        colour, material = COLOURS[p % len(COLOURS)], MATERIALS[p % len(MATERIALS)]
        name = f"{adjective.title()} {noun} {p:05d}, {colour}"
        products.append((p, name, noun.title(), "each", "none"))
        for i, size in enumerate(SIZES):
            v = (p - 1) * len(SIZES) + i + 1
            attributes = json.dumps({"colour": colour, "size": size, "material": material})
            reorder = 20 if rnd.random() < 0.4 else 0
            sku = f"{noun[:4].upper()}-{p:05d}-{size}"
            barcode = f"4{v:012d}"
            variants.append((v, p, sku, barcode, f"{name}, {size}", attributes, "5.0000", "12.0000", reorder, True))
    return locations, products, variants, bins


def bin_of(bins: list[list[int]], variant: int, site: int) -> int:
    return bins[site][(variant * 7 + site * 13) % len(bins[site])]


class Ledger:
    """Postings and movements that produce the levels, one posting per movement, in time order."""

    def __init__(self) -> None:
        self.postings: list[tuple] = []
        self.movements: list[tuple] = []
        self.clock = datetime.now().replace(microsecond=0) - timedelta(days=30)

    def move(self, kind: str, v: int, qty: int, source: tuple[int, str], dest: tuple[int, str], ref=None, key=None):
        n = len(self.movements) + 1
        self.clock += timedelta(seconds=4)
        stamp = self.clock.isoformat(" ", "microseconds")
        self.postings.append((n, key or f"seed-{n}", f"{n:064x}", kind, ref, OWNER, None, None, stamp))
        self.movements.append((n, n, kind, v, 0, None, qty, *source, *dest, None, None, None, stamp))


def seed(backend: str) -> float:
    started = time.perf_counter()
    place = where(backend)
    log(f"seeding {backend}: {VARIANTS:,} variants x {SITES} sites -> {place}")
    benchlib.fresh_schema(backend, place)

    rnd = random.Random(20261201)
    locations, products, variants, bins = catalogue()
    ledger, levels, reservations = Ledger(), {}, []
    picks = {}
    for t in range(1, TRANSFERS + 1):  # picked from one site's bin for another site's
        v, source_site = rnd.randrange(1, VARIANTS + 1), rnd.randrange(SITES)
        picks[t] = (v, source_site, (source_site + 1 + rnd.randrange(SITES - 1)) % SITES, rnd.randint(1, 5))
    picked_from = {}
    for v, source_site, _, qty in picks.values():
        key = (v, bin_of(bins, v, source_site))
        picked_from[key] = picked_from.get(key, 0) + qty
    for v in range(1, VARIANTS + 1):
        scarce = rnd.random() < 0.05
        for s in range(SITES):
            b = bin_of(bins, v, s)
            on_hand = rnd.randint(0, 2) if scarce else rnd.randint(5, 80)
            sold_out = on_hand == 0 or rnd.random() < 0.03
            picked = picked_from.get((v, b), 0)
            received = (rnd.randint(1, 9) if sold_out else on_hand) + picked
            ledger.move("receive", v, received, (SUPPLIER, "A"), (b, "A"), ref=f"PO-{v}")
            writes = 1
            if sold_out:
                ledger.move("sell", v, received - picked, (b, "A"), (CUSTOMER, "A"))
                on_hand, writes = 0, writes + 1
            reserved = rnd.randint(1, min(3, on_hand)) if on_hand and rnd.random() < 0.1 else 0
            quarantined = 1 if on_hand > reserved and rnd.random() < 0.02 else 0
            if reserved:
                ref = f"ORD-{v}-{s}"
                ledger.move("reserve", v, reserved, (b, "A"), (b, "R"), ref=ref)
                reservations.append((ref, v, b, 0, reserved))
                writes += 1
            if quarantined:
                ledger.move("quarantine", v, 1, (b, "A"), (b, "Q"))
                writes += 1
            levels[(v, b)] = [on_hand, reserved, quarantined, writes + (1 if picked else 0)]
    heads, lines, transit = [], [], {}
    for t, (v, source_site, dest_site, qty) in picks.items():
        source, dest, ref = bin_of(bins, v, source_site), bin_of(bins, v, dest_site), f"TRANSFER-{t}"
        ledger.move("transfer-pick", v, qty, (source, "A"), (TRANSIT, "A"), ref=ref, key=f"{ref}:pick")
        stamp = ledger.clock.isoformat(" ", "microseconds")
        heads.append((t, "picked", source, dest, OWNER, OWNER, stamp, stamp, None))
        lines.append((t, t, v, qty, qty, 0, 0, 0))
        level = transit.setdefault(v, [0, 0, 0, 0])
        level[0], level[3] = level[0] + qty, level[3] + 1
    level_rows = [(v, b, 0, *q) for (v, b), q in sorted(levels.items())]
    level_rows += [(v, TRANSIT, 0, *q) for v, q in sorted(transit.items())]

    loader = SqliteLoader(Path(place)) if backend == "sqlite" else PgLoader(pg_url(place))
    for table, rows in (
        ("locations", locations),
        ("products", products),
        ("variants", variants),
        ("postings", ledger.postings),
        ("movements", ledger.movements),
        ("levels", level_rows),
        ("reservations", reservations),
        ("transfers", heads),
        ("transfer_lines", lines),
    ):
        loader.load(table, rows)
        log(f"  {table}: {len(rows):,} rows")
    loader.finish()
    if backend == "postgresql":  # COPY ran with triggers off: fill the search text the triggers keep
        pg_admin_in(place, "UPDATE variants SET sku = sku", "VACUUM ANALYZE variants")
    _check_clean(backend, place)
    if backend == "sqlite":
        Path(place + ".ok").write_text(f"{VARIANTS} variants\n")
    else:
        pg_admin(f"COMMENT ON DATABASE \"{place}\" IS '{SEED_MARK}: {NAME}'")
    seconds = time.perf_counter() - started
    log(f"seeded {backend} in {seconds:.0f} s (including the reconcile check)")
    return seconds


def main() -> None:
    args = benchlib.parser(__doc__).parse_args()
    for backend in args.backend or ("sqlite", "postgresql"):
        if args.reseed or not ready(backend):
            seed(backend)
        else:
            log(f"{backend}: cached at {where(backend)} (use --reseed to rebuild)")


if __name__ == "__main__":
    main()
