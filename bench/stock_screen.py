"""The stock screen at 50,000 variants x 10 sites: opening it and filtering it, against raw SQL.

    .venv/bin/python bench/stock_screen.py [--backend sqlite|postgresql] [--reseed] [--quick]

Each operation runs through a real StockScreen (offscreen Qt, tasks run inline so the time is the
person's wait: the reads, the rows, the table model and one paint of the table) and, in the same
process, as raw DB-API calls of the very SQL StockDesk sends (rendered once per shape, the same
page loop in plain Python, rows as plain tuples). The answers are compared first. So the ratio is
StockDesk's own cost on top of its SQL; whether the SQL is good is what the absolute targets judge:
open (first page shown) < 1 s, every filter < 100 ms. The 150 ms pause after the last key of a
search typed is not counted. Seeded by seed_stock.py (cached); each run works on a copy.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from dataclasses import asdict, dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

import benchlib
import seed_stock
from benchlib import log, raw_connect
from stockdesk.app import build_session
from stockdesk.db import stock_browse
from stockdesk.db.stock_picture import stock_statement
from stockdesk.db.uow import Database
from stockdesk.domain.catalog import GroupBy
from stockdesk.services import browse
from stockdesk.services.context import open_context
from stockdesk.ui.screens.stock import StockScreen

OPEN_MS, FILTER_MS = 1_000, 100
F = browse.StockFilter
FILTERS = {
    "search: common word ('navy')": F("navy"),
    "search: two words ('jacket navy')": F("jacket navy"),
    "search: rare ('04711', whole catalogue read)": F("04711"),
    "filter: one site": F(at="SITE-05"),
    "filter: one aisle (subtree)": F(at="S05-3"),
    "filter: below reorder point": F(below_reorder=True),
    "filter: below reorder point at one site": F(at="SITE-05", below_reorder=True),
    "search + site ('navy' at one site)": F("navy", at="SITE-05"),
}


class RawPages:
    """The screen's page loop over bare DB-API calls of StockDesk's rendered statements."""

    def __init__(self, url: str, engine) -> None:
        self.conn = raw_connect(url)
        self.sqlite = benchlib.is_sqlite(self.conn)
        self.dialect = engine.dialect
        self.sql: dict = {}

    def _run(self, statement, params: dict) -> list[tuple]:
        compiled = self.sql.get(statement) or self.sql.setdefault(statement, statement.compile(dialect=self.dialect))
        state = compiled.construct_expanded_state({k: v for k, v in params.items() if v is not None})
        values = state.parameters
        args = tuple(values[k] for k in state.positiontup) if self.sqlite else values
        rows = self.conn.execute(state.statement, args).fetchall()
        if not self.sqlite:
            self.conn.rollback()
        return rows

    def page(self, wanted: browse.StockFilter, rows: int = browse.PAGE_ROWS) -> list[tuple]:
        within = place_ids = None
        if wanted.at:
            within = self._run_text("SELECT path FROM locations WHERE code = ?", (wanted.at,))[0][0]
            place_ids = [r[0] for r in self._run_text("SELECT id FROM locations WHERE path LIKE ?", (within + "%",))]
        taken, count = [], 0
        batch = rows if wanted.words else max(rows // browse.FIRST_GUESS_ROWS_PER_ITEM, 1)
        while True:
            after = taken[-1][1] if taken else None
            found = self._run(
                *stock_browse.items_query(
                    self.dialect.name, wanted.words, within, place_ids, wanted.below_reorder, after, batch, None
                )
            )
            full = False
            for item in found:
                if taken and count + max(item[4], 1) > rows:
                    full = True
                    break
                taken.append(item)
                count += max(item[4], 1)
            if full or len(found) < batch or count >= rows:
                break
            batch = min(rows, -(-(rows - count) * len(taken) // count) + 1)
        if not taken:
            return []
        picture = stock_statement(GroupBy.LOCATION, False, within is not None, False, True)
        found_rows = self._run(picture, {"within": within, "variant_ids": [t[0] for t in taken]})
        by_item: dict[int, list] = {}
        for r in found_rows:
            by_item.setdefault(r[0], []).append((r[1], r[5], int(r[7]), int(r[8]), int(r[9]), int(r[10])))
        return [row for t in taken for row in by_item.get(t[0], [(t[1], None, 0, 0, 0, 0)])]

    def _run_text(self, sql: str, args: tuple) -> list[tuple]:
        rows = self.conn.execute(sql if self.sqlite else sql.replace("?", "%s"), args).fetchall()
        if not self.sqlite:
            self.conn.rollback()
        return rows


@dataclass
class Timing:
    operation: str
    backend: str
    stockdesk_ms: float
    raw_ms: float
    target_ms: int

    def row(self) -> tuple[str, ...]:
        verdict = "PASS" if self.stockdesk_ms < self.target_ms else "FAIL"
        ratio = f"{self.stockdesk_ms / self.raw_ms:.2f}x"
        return (self.operation, self.backend, f"{self.stockdesk_ms:.1f}", f"{self.raw_ms:.1f}", ratio,
                f"< {self.target_ms:,}", verdict)  # fmt: skip


HEADER = ("operation", "backend", "stockdesk ms", "raw ms", "time vs raw", "target ms", "result")


def print_table(results: list[Timing]) -> None:
    rows = [HEADER, *(r.row() for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def shown(screen: StockScreen) -> list[tuple]:
    return [(r.sku, r.location, r.on_hand, r.reserved, r.quarantined, r.in_transit) for r in screen.model.rows]


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def run(url: str, backend: str, rounds: int) -> list[Timing]:
    app = QApplication.instance() or QApplication([])
    database = Database(url)
    session = build_session(open_context(database), synchronous=True)
    raw = RawPages(url, database.engine)
    screens: list[StockScreen] = []

    def open_screen() -> None:
        screen = StockScreen(session)
        screen.resize(1100, 700)
        screen.show()
        screen.table.viewport().repaint()
        app.processEvents()
        screens.append(screen)

    def apply(wanted: browse.StockFilter):
        def act() -> None:
            screen = screens[-1]
            screen.filter = wanted
            screen.reload()
            screen.table.viewport().repaint()
            app.processEvents()

        return act

    results = []
    try:
        ops = [("open the screen (first page shown)", open_screen, lambda: raw.page(F()), OPEN_MS)]
        ops += [(name, apply(wanted), lambda w=wanted: raw.page(w), FILTER_MS) for name, wanted in FILTERS.items()]
        for name, act, bare, target in ops:
            act()
            assert shown(screens[-1]) == bare(), name  # the same answer, or the comparison means nothing
            times = [(timed(act), timed(bare)) for _ in range(rounds)]
            mine, theirs = statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)
            log(f"  {name}: {mine:.1f} ms ({len(screens[-1].model.rows)} rows), raw {theirs:.1f} ms")
            results.append(Timing(name, backend, mine, theirs, target))
            for screen in screens[:-1]:
                screen.close()
            del screens[:-1]
    finally:
        for screen in screens:
            screen.close()
        session.close()
        raw.conn.close()
        database.dispose()
    return results


def main() -> None:
    args = benchlib.parser(__doc__).parse_args()
    rounds = 3 if args.quick else 9
    results = []
    for backend in args.backend or ("sqlite", "postgresql"):
        seed = seed_stock.ensure(backend, reseed=args.reseed)
        with benchlib.working_copy(backend, seed, f"{seed_stock.NAME.replace('-', '_')}_{os.getpid()}") as url:
            log(f"stock screen: {backend}, {seed_stock.VARIANTS:,} variants x {seed_stock.SITES} sites")
            results += run(url, backend, rounds)
    print()
    print_table(results)
    if args.json:
        with args.json.open("a") as out:
            out.writelines(json.dumps(asdict(r)) + "\n" for r in results)


if __name__ == "__main__":
    main()
