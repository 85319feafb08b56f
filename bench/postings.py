"""Single postings per second: receive 1 then sell 1 (one transaction each), StockDesk vs raw DB-API.

    .venv/bin/python bench/postings.py [--backend sqlite|postgresql] [--rows N] [--quick]

Both sides post to the same seeded (variant, bin) pairs in the same pseudo-random order, one
client, in interleaved rounds (StockDesk, raw, StockDesk, raw, ...); the median round counts.
Target: StockDesk >= 50% of raw throughput.
"""

from __future__ import annotations

import benchlib
from benchlib import Result, log, rate, report
from rawledger import RawLedger
from stockdesk.db.uow import Database, LockMode
from stockdesk.services import stock
from stockdesk.services.context import open_context

TARGET = "min_ratio:0.5"


def run(url: str, rows: int, backend: str, *, pairs: int, rounds: int) -> list[Result]:
    keys = benchlib.seeded_sample(url, pairs * (rounds + 1))
    db = Database(url, LockMode.CONDITIONAL)
    ctx = open_context(db)
    raw = RawLedger(url)

    def sd(batch):
        for sku, bin_code, _ in batch:
            stock.receive(ctx, sku, 1, to=bin_code)
            stock.sell(ctx, sku, 1, source=bin_code)
        return 2 * len(batch)

    def rw(batch):
        for sku, bin_code, _ in batch:
            raw.receive(sku, 1, to=bin_code)
            raw.sell(sku, 1, source=bin_code)
        return 2 * len(batch)

    try:
        warm = keys[:pairs]
        sd(warm[:50])
        rw(warm[:50])
        results = []
        for r in range(rounds):
            batch = keys[pairs * (r + 1) : pairs * (r + 2)]
            results.append((rate(lambda b=batch: sd(b)), rate(lambda b=batch: rw(b))))
            log(f"  round {r + 1}: stockdesk {results[-1][0]:,.0f}/s, raw {results[-1][1]:,.0f}/s")
        sd_rate, raw_rate = benchlib.best_of(results)
    finally:
        raw.close()
        db.dispose()
    return [Result("postings", "posting (receive/sell, 1 tx each)", backend, rows, sd_rate, raw_rate, TARGET)]


def main() -> None:
    args = benchlib.parser(__doc__).parse_args()
    backends, sizes = benchlib.selected(args)
    pairs, rounds = (150, 3) if args.quick else (500, 5)
    results = []
    for rows in sizes:
        for backend in backends:
            with benchlib.working_db(backend, rows, reseed=args.reseed) as url:
                size = benchlib.ledger_rows(url)
                log(f"postings: {backend}, {size:,} ledger rows")
                results += run(url, size, backend, pairs=pairs, rounds=rounds)
    report(results, args.json)


if __name__ == "__main__":
    main()
