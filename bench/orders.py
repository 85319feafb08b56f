"""A day's orders: confirm + pick list + ship of N orders of 3 lines, StockDesk vs raw DB-API.

    .venv/bin/python bench/orders.py [--backend sqlite|postgresql] [--rows N] [--orders 5000] [--quick]

The source article's daily volume is 5,000 orders of 3 lines. Both sides fulfil their own orders of
the same shape (3 different items of the seeded catalogue, 1-3 units each, all from SITE-1) on the
same database, in interleaved rounds (StockDesk, raw, StockDesk, raw, ...); the median round counts.
Setting up (stock received, orders created) is not timed. StockDesk ships with a manager's packing
override, because the raw baseline does no packing check either; `--with-packing` times the scans too
(one `pack_scan` per unit) as a separate row. Afterwards the reconciliation must find no drift.
ops/s = orders fulfilled per second.
"""

from __future__ import annotations

import random

import benchlib
from benchlib import Result, log, raw_connect, report
from rawledger import RawLedger
from raworders import RawOrders
from stockdesk.db.uow import Database, LockMode
from stockdesk.services import packing, picking, reconcile, sales_orders, shipping
from stockdesk.services.context import open_context

SITE = "SITE-1"
LINES = 3
TARGET = ""  # the issue asks for the ratio, without a target


def _catalogue(url: str) -> tuple[list[tuple[str, str]], int]:
    """(sku, its SITE-1 bin) of every seeded variant, and SITE-1's id."""
    conn = raw_connect(url)
    try:
        rows = conn.execute(
            "SELECT v.sku, b.code FROM levels l JOIN variants v ON v.id = l.variant_id "
            "JOIN locations b ON b.id = l.location_id JOIN locations s ON s.id = b.site_id "
            f"WHERE s.code = '{SITE}' AND b.kind = 'bin' ORDER BY v.sku"
        ).fetchall()
        site_id = conn.execute(f"SELECT id FROM locations WHERE code = '{SITE}'").fetchone()[0]
    finally:
        conn.close()
    return rows, site_id


def _orders(items: list[tuple[str, str]], n: int, seed: int) -> list[list[tuple[str, int]]]:
    rnd = random.Random(seed)
    return [[(sku, rnd.randint(1, 3)) for sku, _ in rnd.sample(items, LINES)] for _ in range(n)]


def _stock_up(url: str, items: list[tuple[str, str]], orders: list[list[tuple[str, int]]]) -> None:
    """Receive what the orders need (plus a margin) into each item's SITE-1 bin, by raw SQL (not timed)."""
    bins = dict(items)
    need: dict[str, int] = {}
    for order in orders:
        for sku, qty in order:
            need[sku] = need.get(sku, 0) + qty
    raw = RawLedger(url)
    try:
        for sku, qty in need.items():
            raw.receive(sku, qty + 5, to=bins[sku])
    finally:
        raw.close()


def run(url: str, rows: int, backend: str, *, orders: int, rounds: int, with_packing: bool) -> list[Result]:
    items, site_id = _catalogue(url)
    per_round = orders // rounds
    sd_orders = _orders(items, per_round * rounds, seed=11)
    raw_orders = _orders(items, per_round * rounds, seed=12)
    _stock_up(url, items, sd_orders + raw_orders)
    db = Database(url, LockMode.CONDITIONAL)
    ctx = open_context(db)
    raw = RawOrders(url)
    log(f"  creating {2 * len(sd_orders):,} orders (not timed)")
    sd_ids = [
        sales_orders.create_order(ctx, f"Customer {i}", [sales_orders.SoLineInput(s, q) for s, q in lines]).id
        for i, lines in enumerate(sd_orders)
    ]
    raw_ids = [raw.create(f"R{i}", lines) for i, lines in enumerate(raw_orders)]

    def sd(ids: list[int]) -> int:
        for order_id in ids:
            sales_orders.confirm_order(ctx, order_id, site=SITE)
            picking.pick_list(ctx, [order_id])
            if with_packing:
                order = sales_orders.get_order(ctx, order_id)
                for line in order.lines:
                    for _ in range(line.reserved):
                        packing.pack_scan(ctx, order_id, line.sku)
                shipping.ship_order(ctx, order_id, carrier="DHL", tracking=f"T{order_id}")
            else:
                shipping.ship_order(ctx, order_id, carrier="DHL", tracking=f"T{order_id}", override_note="bench")
        return len(ids)

    def rw(ids: list[int]) -> int:
        for order_id in ids:
            raw.confirm(order_id, site_id)
            raw.pick_list(order_id)
            raw.ship(order_id, "DHL", f"T{order_id}")
        return len(ids)

    try:
        sd(sd_ids[:20])  # warm caches and prepared statements on both sides
        rw(raw_ids[:20])
        results = []
        for r in range(rounds):
            part = slice(max(20, per_round * r), per_round * (r + 1))
            results.append((benchlib.rate(lambda p=part: sd(sd_ids[p])), benchlib.rate(lambda p=part: rw(raw_ids[p]))))
            log(f"  round {r + 1}: stockdesk {results[-1][0]:,.1f} orders/s, raw {results[-1][1]:,.1f} orders/s")
        sd_rate, raw_rate = benchlib.best_of(results)
        drifts = reconcile.reconcile(ctx).drifts
        if drifts:
            raise SystemExit(f"reconciliation found {len(drifts)} drifting rows after the bench")
    finally:
        raw.close()
        db.dispose()
    what = "confirm + pick + pack scans + ship" if with_packing else "confirm + pick list + ship"
    return [
        Result(
            "orders",
            f"{what}, {LINES}-line orders",
            backend,
            rows,
            sd_rate,
            raw_rate,
            TARGET,
            unit="orders/s",
            note=f"{per_round * rounds:,} orders per side",
        )
    ]


def main() -> None:
    p = benchlib.parser(__doc__)
    p.add_argument("--orders", type=int, default=5000, help="orders per side (default 5,000)")
    p.add_argument("--with-packing", action="store_true", help="scan every unit at the packing bench before shipping")
    args = p.parse_args()
    backends, _ = benchlib.selected(args)
    sizes = args.rows or [10_000]
    orders, rounds = (500, 5) if args.quick else (args.orders, 5)
    results = []
    for rows in sizes:
        for backend in backends:
            with benchlib.working_db(backend, rows, reseed=args.reseed) as url:
                size = benchlib.ledger_rows(url)
                log(f"orders: {backend}, {size:,} ledger rows, {orders:,} orders per side")
                results += run(url, size, backend, orders=orders, rounds=rounds, with_packing=args.with_packing)
    report(results, args.json)


if __name__ == "__main__":
    main()
