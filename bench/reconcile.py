"""Reconciliation: services.reconcile.reconcile vs the same comparisons as hand-written UNION ALL GROUP BY SQL.

    .venv/bin/python bench/reconcile.py [--backend sqlite|postgresql] [--rows N] [--quick]

Both sides recompute the levels (on hand, reserved, quarantined per variant x location x lot),
the reservations (per order x variant x location x lot) and the serials' places from the whole
ledger and compare them with the stored rows; both must report zero drift on the seeded ledger.
Target: StockDesk takes <= 1.5x the raw time.
"""

from __future__ import annotations

import benchlib
from benchlib import Result, log, rate, raw_connect, report
from stockdesk.db.uow import Database
from stockdesk.services.context import open_context
from stockdesk.services.reconcile import reconcile

TARGET = "max_slowdown:1.5"

TRACKED = "(SELECT id FROM locations WHERE keeps_levels = ?)"
LEVEL_DRIFT = f"""
SELECT variant_id, location_id, lot_id, sum(l_oh), sum(l_r), sum(l_q), sum(s_oh), sum(s_r), sum(s_q)
FROM (
    SELECT variant_id, to_location_id AS location_id, lot_id, qty AS l_oh,
           CASE WHEN to_bucket = 'R' THEN qty ELSE 0 END AS l_r, CASE WHEN to_bucket = 'Q' THEN qty ELSE 0 END AS l_q,
           0 AS s_oh, 0 AS s_r, 0 AS s_q
    FROM movements WHERE to_location_id IN {TRACKED}
    UNION ALL
    SELECT variant_id, from_location_id, lot_id, -qty,
           CASE WHEN from_bucket = 'R' THEN -qty ELSE 0 END, CASE WHEN from_bucket = 'Q' THEN -qty ELSE 0 END, 0, 0, 0
    FROM movements WHERE from_location_id IN {TRACKED}
    UNION ALL
    SELECT variant_id, location_id, lot_id, 0, 0, 0, on_hand, reserved, quarantined FROM levels
) legs
GROUP BY variant_id, location_id, lot_id
HAVING sum(l_oh) <> sum(s_oh) OR sum(l_r) <> sum(s_r) OR sum(l_q) <> sum(s_q)
"""
RESERVATION_DRIFT = """
SELECT order_ref, variant_id, location_id, lot_id, sum(led), sum(sto)
FROM (
    SELECT p.reference AS order_ref, m.variant_id, m.to_location_id AS location_id, m.lot_id, m.qty AS led, 0 AS sto
    FROM movements m JOIN postings p ON p.id = m.posting_id WHERE m.to_bucket = 'R'
    UNION ALL
    SELECT p.reference, m.variant_id, m.from_location_id, m.lot_id, -m.qty, 0
    FROM movements m JOIN postings p ON p.id = m.posting_id WHERE m.from_bucket = 'R'
    UNION ALL
    SELECT order_ref, variant_id, location_id, lot_id, 0, qty FROM reservations
) legs
GROUP BY order_ref, variant_id, location_id, lot_id
HAVING sum(led) <> sum(sto)
"""
SERIAL_DRIFT = """
SELECT s.id FROM serials s
JOIN (SELECT serial_id, max(id) AS last_id FROM movements WHERE serial_id IS NOT NULL GROUP BY serial_id) last
  ON last.serial_id = s.id
JOIN movements f ON f.id = last.last_id
WHERE s.location_id <> f.to_location_id OR s.bucket <> CASE WHEN f.to_bucket = 'Q' THEN 'Q' ELSE 'A' END
"""


def raw_reconcile(url: str) -> int:
    conn = raw_connect(url)
    try:
        level = conn.execute(benchlib.q(conn, LEVEL_DRIFT), (True, True)).fetchall()
        held = conn.execute(RESERVATION_DRIFT).fetchall()
        serial = conn.execute(SERIAL_DRIFT).fetchall()
        return len(level) + len(held) + len(serial)
    finally:
        conn.close()


def run(url: str, rows: int, backend: str, *, rounds: int) -> list[Result]:
    db = Database(url)
    ctx = open_context(db)
    try:

        def sd():
            report = reconcile(ctx)
            assert report.clean, report.drifts[:3]

        def rw():
            drifts = raw_reconcile(url)
            assert drifts == 0, drifts

        results = []
        for r in range(rounds):
            results.append((rate(sd, ops=1), rate(rw, ops=1)))
            log(f"  round {r + 1}: stockdesk {1 / results[-1][0]:.2f} s, raw {1 / results[-1][1]:.2f} s")
        sd_rate, raw_rate = benchlib.best_of(results)
    finally:
        db.dispose()
    return [
        Result(
            "reconcile",
            "reconcile (levels+reservations+serials)",
            backend,
            rows,
            sd_rate,
            raw_rate,
            TARGET,
            note=f"{1 / sd_rate:.2f} s vs {1 / raw_rate:.2f} s; zero drift",
        )
    ]


def main() -> None:
    args = benchlib.parser(__doc__).parse_args()
    backends, sizes = benchlib.selected(args)
    results = []
    for rows in sizes:
        rounds = 2 if args.quick else (3 if rows > 100_000 else 10)
        for backend in backends:
            with benchlib.working_db(backend, rows, reseed=args.reseed) as url:
                size = benchlib.ledger_rows(url)
                log(f"reconcile: {backend}, {size:,} ledger rows")
                results += run(url, size, backend, rounds=rounds)
    report(results, args.json)


if __name__ == "__main__":
    main()
