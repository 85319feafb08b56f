"""Availability reads: services.queries.stock vs a raw SELECT on the levels table.

    .venv/bin/python bench/reads.py [--backend sqlite|postgresql] [--rows N] [--quick]

1. one SKU at one site (stock(ctx, sku, at=site)): raw = look up the variant and the site's path,
   then the levels rows of that variant in that subtree;
2. one SKU, all sites, one row per variant (group_by=VARIANT): raw = SUM over its level rows
   (the @TRANSIT level row counted as in transit);
3. the whole catalogue, one row per variant (group_by=VARIANT, no SKU): raw = GROUP BY over levels.

Target: StockDesk takes <= 2x the raw time.
"""

from __future__ import annotations

import benchlib
from benchlib import Result, log, q, rate, raw_connect, report
from stockdesk.db.uow import Database
from stockdesk.domain.catalog import GroupBy
from stockdesk.services import queries
from stockdesk.services.context import open_context

TARGET = "max_slowdown:2"
TRANSIT = 5


class RawReads:
    def __init__(self, url: str) -> None:
        self.conn = c = raw_connect(url)
        self.sqlite = benchlib.is_sqlite(c)
        self.sql_variant = q(c, "SELECT id FROM variants WHERE sku = ?")
        self.sql_path = q(c, "SELECT path FROM locations WHERE code = ? AND is_virtual = ?")
        self.sql_at = q(
            c,
            "SELECT p.code, lv.lot_id, lv.on_hand, lv.reserved, lv.quarantined FROM levels lv "
            "JOIN locations p ON p.id = lv.location_id "
            "WHERE lv.variant_id = ? AND p.path LIKE ? "
            "AND (lv.on_hand <> 0 OR lv.reserved <> 0 OR lv.quarantined <> 0) ORDER BY p.code, lv.lot_id",
        )
        sums = (
            f"sum(CASE WHEN lv.location_id = {TRANSIT} THEN 0 ELSE lv.on_hand END), sum(lv.reserved), "
            f"sum(lv.quarantined), sum(CASE WHEN lv.location_id = {TRANSIT} THEN lv.on_hand ELSE 0 END)"
        )
        self.sql_total = q(
            c,
            f"SELECT v.id, v.sku, {sums} FROM levels lv JOIN variants v ON v.id = lv.variant_id "
            "WHERE v.sku = ? GROUP BY v.id, v.sku",
        )
        self.sql_all = f"SELECT v.id, v.sku, {sums} FROM levels lv JOIN variants v ON v.id = lv.variant_id GROUP BY v.id, v.sku ORDER BY v.sku"  # noqa: E501

    def _done(self) -> None:
        if not self.sqlite:
            self.conn.rollback()

    def at_site(self, sku: str, site: str) -> list:
        c = self.conn
        variant = c.execute(self.sql_variant, (sku,)).fetchone()[0]
        path = c.execute(self.sql_path, (site, False)).fetchone()[0]
        rows = c.execute(self.sql_at, (variant, path + "%")).fetchall()
        self._done()
        return rows

    def total(self, sku: str) -> list:
        rows = self.conn.execute(self.sql_total, (sku,)).fetchall()
        self._done()
        return rows

    def catalogue(self) -> list:
        rows = self.conn.execute(self.sql_all).fetchall()
        self._done()
        return rows


def run(url: str, rows: int, backend: str, *, n: int, n_all: int, rounds: int) -> list[Result]:
    keys = benchlib.seeded_sample(url, n)
    db = Database(url)
    ctx = open_context(db)
    raw = RawReads(url)
    try:
        # Same answers first: a benchmark of two different questions would mean nothing.
        for sku, _, site in keys[:20]:
            mine = [(r.location, r.on_hand, r.reserved) for r in queries.stock(ctx, sku, at=site)]
            theirs = [(code, oh, r) for code, _, oh, r, _ in raw.at_site(sku, site)]
            assert mine == theirs, (sku, site, mine, theirs)
            [agg] = queries.stock(ctx, sku, group_by=GroupBy.VARIANT)
            [(_, _, oh, r, qq, tr)] = raw.total(sku)
            assert (agg.on_hand, agg.reserved, agg.quarantined, agg.in_transit) == (oh, r, qq, tr), (sku, agg)
        ops = {
            "read: 1 SKU at 1 site": (
                lambda: [queries.stock(ctx, s, at=site) for s, _, site in keys],
                lambda: [raw.at_site(s, site) for s, _, site in keys],
                len(keys),
            ),
            "read: 1 SKU, all sites, per variant": (
                lambda: [queries.stock(ctx, s, group_by=GroupBy.VARIANT) for s, _, _ in keys],
                lambda: [raw.total(s) for s, _, _ in keys],
                len(keys),
            ),
            "read: whole catalogue, per variant": (
                lambda: [queries.stock(ctx, group_by=GroupBy.VARIANT) for _ in range(n_all)],
                lambda: [raw.catalogue() for _ in range(n_all)],
                n_all,
            ),
        }
        results = []
        for name, (sd, rw, count) in ops.items():
            sd(), rw()  # warm caches
            rounds_ = [(rate(sd, ops=count), rate(rw, ops=count)) for _ in range(rounds)]
            sd_rate, raw_rate = benchlib.best_of(rounds_)
            log(f"  {name}: stockdesk {sd_rate:,.1f}/s, raw {raw_rate:,.1f}/s")
            note = "5,000 rows each" if "catalogue" in name else ""
            results.append(Result("reads", name, backend, rows, sd_rate, raw_rate, TARGET, note=note))
        return results
    finally:
        raw.conn.close()
        db.dispose()


def main() -> None:
    args = benchlib.parser(__doc__).parse_args()
    backends, sizes = benchlib.selected(args)
    n, n_all, rounds = (100, 3, 3) if args.quick else (400, 10, 5)
    results = []
    for rows in sizes:
        for backend in backends:
            with benchlib.working_db(backend, rows, reseed=args.reseed) as url:
                size = benchlib.ledger_rows(url)
                log(f"reads: {backend}, {size:,} ledger rows")
                results += run(url, size, backend, n=n, n_all=n_all, rounds=rounds)
    report(results, args.json)


if __name__ == "__main__":
    main()
