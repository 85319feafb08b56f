"""Four weeks of trading, posted through the services with the clock set into the past."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from ...domain.errors import InsufficientStock
from ...domain.quantities import Tracking
from .. import counts, queries, stock, transfers
from ..context import Context
from .business import SHOPS, shop_floor

DAYS = 28


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class History:
    """The demo's clock and dice, the day's events in time order, and what it believes is free where."""

    def __init__(self, owner: Context, seed: int) -> None:
        self.rng = random.Random(seed)
        self.end = owner.now().replace(microsecond=0)
        self.first_day = (self.end - timedelta(days=DAYS)).replace(hour=0, minute=0, second=0)
        self.clock = Clock(self.first_day)
        self.owner = Context(owner.database, owner.user, clock=self.clock)
        self.keys = 0
        self.stock: dict[tuple[str, str], int] = {}
        self.serials: dict[tuple[str, str], list[str]] = {}
        self.shipped_orders: list[tuple[str, str]] = []
        self.events: list[tuple[datetime, int, Callable[[], None]]] = []

    def key(self) -> str:
        self.keys += 1
        return f"demo-{self.keys:05d}"

    def when(self, day: int, hour: int, minute: int = 0) -> datetime:
        """Day 0 is four weeks ago; the last day (DAYS - 1) is yesterday, so nothing is in the future."""
        return self.first_day + timedelta(days=day, hours=hour, minutes=minute)

    def at(self, day: int, hour: int, minute: int = 0) -> None:
        self.clock.now = self.when(day, hour, minute)

    def tick(self, minutes: int = 3) -> None:
        self.clock.now += timedelta(minutes=self.rng.randint(1, minutes))

    def schedule(self, day: int, hour: int, minute: int, action: Callable[[], None]) -> None:
        self.events.append((self.when(day, hour, minute), len(self.events), action))

    def run_events(self) -> None:
        """Post the scheduled events in time order; the clock never goes back (ids follow time)."""
        for moment, _, action in sorted(self.events, key=lambda e: (e[0], e[1])):
            self.clock.now = max(self.clock.now, moment)
            action()
        self.events.clear()

    def moved(self, sku: str, place: str, qty: int) -> None:
        self.stock[(sku, place)] = self.stock.get((sku, place), 0) + qty

    def have(self, sku: str, place: str) -> int:
        return self.stock.get((sku, place), 0)


def receive_everything(h: History, staff: Context, items) -> None:
    """Day 0: the opening deliveries into the warehouse bins, lot numbers and serials included."""
    h.at(0, 8)
    po = 1000
    serial_no = 0
    for sku, (v, tracking) in items.items():
        h.tick(2)
        po += 1
        if tracking is Tracking.SERIAL:
            qty = h.rng.randint(5, 8)
            serial_no += qty
            numbers = [f"{sku.split('-')[0]}{serial_no - i:06d}" for i in range(qty)]
            stock.receive(
                staff, sku, qty, to=v.bin, serials=numbers, ref=f"PO-{po}", supplier="Nordic Audio AB", key=h.key()
            )
            h.serials[(sku, v.bin)] = sorted(numbers)
        elif tracking is Tracking.LOT:
            for n, days_left in enumerate(sorted(h.rng.sample([8, 12, 19, 45, 120, 200, 300], 2))):
                qty = h.rng.randint(20, 40)
                expiry = (h.end + timedelta(days=days_left)).date()
                stock.receive(
                    staff,
                    sku,
                    qty,
                    to=v.bin,
                    lot=f"L{expiry:%y%m%d}-{n + 1}",
                    expiry=expiry,
                    ref=f"PO-{po}",
                    supplier="Green Leaf Foods",
                    key=h.key(),
                )
                h.moved(sku, v.bin, qty)
            continue
        else:
            qty = h.rng.randint(25, 60)
            stock.receive(staff, sku, qty, to=v.bin, ref=f"PO-{po}", supplier="Northwind Textiles", key=h.key())
        h.moved(sku, v.bin, qty)


def _transfers(h: History, staff: Context, manager: Context, wanted, *, upto: str = "received") -> None:
    """Transfers worked as a warehouse does, in rounds: all requested, approved, picked, then received.

    `wanted` is [(lines, source, dest)]; `upto` is the status they are left in.
    """
    done = []
    for lines, source, dest in wanted:
        h.tick(2)
        row = transfers.request_transfer(staff, lines, source=source, dest=dest, note="restock")
        done.append((row.id, lines, source, dest))
    if upto == "requested":
        return
    for transfer_id, *_ in done:
        h.tick(2)
        if upto == "cancelled":
            transfers.cancel_transfer(manager, transfer_id)
        else:
            transfers.approve_transfer(manager, transfer_id)
    if upto in ("approved", "cancelled"):
        return
    for transfer_id, lines, source, _ in done:
        h.tick(3)
        transfers.pick_transfer(staff, transfer_id)
        for sku, qty in lines:
            h.moved(sku, source, -qty)
    if upto == "picked":
        return
    h.clock.now += timedelta(minutes=45)  # the van
    for transfer_id, lines, _, dest in done:
        h.tick(3)
        damaged = 1 if h.rng.random() < 0.15 else 0
        receipts = [transfers.LineReceipt(lines[0][0], lines[0][1] - damaged, damaged)] if damaged else []
        transfers.receive_transfer(staff, transfer_id, receipts)
        for i, (sku, qty) in enumerate(lines):
            h.moved(sku, dest, qty - (damaged if i == 0 else 0))


def stock_the_shops(h: History, staff: Context, manager: Context, items, *, day: int) -> None:
    """Day 1: each shop gets part of every untracked and lot-tracked line, one transfer per warehouse bin."""
    h.at(day, 8)
    by_bin: dict[str, list[str]] = {}
    for sku, (v, tracking) in items.items():
        if tracking is not Tracking.SERIAL:
            by_bin.setdefault(v.bin, []).append(sku)
    wanted = []
    for shop in SHOPS:
        for source, skus in sorted(by_bin.items()):
            # Planned before anything moves: each shop asks for a quarter of what the bin holds.
            lines = [(sku, h.have(sku, source) // 4) for sku in skus if h.have(sku, source) >= 4]
            if lines:
                wanted.append((lines, source, shop_floor(shop)))
    _transfers(h, staff, manager, wanted)


def trading_day(h: History, staff: Context, manager: Context, items, day: int) -> None:
    rng = h.rng
    sellable = [sku for sku, (_, t) in items.items() if t is not Tracking.SERIAL]
    for shop in SHOPS:
        for _ in range(rng.randint(8, 16)):
            h.schedule(day, 9, rng.randint(0, 540), _sale(h, staff, shop, rng.choice(sellable), day))
    for n in range(rng.randint(2, 4)):
        _web_order(h, staff, items, day, n, ship=day < DAYS - 2)
    if day % 7 == 0:
        h.schedule(day, 15, 0, lambda: _weekly_restock(h, staff, manager, items, day))
    if day in (6, 13, 20):
        h.schedule(day, 14, rng.randint(0, 60), lambda: _customer_return(h, staff, items, quarantine=day == 13))
    if day == 9:
        h.schedule(
            day, 10, 30, lambda: _adjust(h, manager, "TEE-WHT-M", -1, "SHOP-N-FLOOR", "DAMAGED", "lipstick stain")
        )
    if day == 16:
        h.schedule(
            day, 12, 0, lambda: _adjust(h, manager, "BEAN-BLK-OS", 2, "SHOP-S-FLOOR", "FOUND", "behind the till")
        )
    if day == 18:
        h.schedule(day, 10, 0, lambda: _hold(h, manager, "SUN-50-200", items["SUN-50-200"][0].bin))
    if day == 20:
        h.schedule(day, 6, 30, lambda: _cycle_count(h, staff, manager, "SHOP-S-FLOOR"))
    if day == DAYS - 1:
        h.schedule(day, 10, 0, lambda: _open_documents(h, staff, manager, items))
    h.run_events()


def _sale(h: History, staff: Context, shop: str, sku: str, day: int) -> Callable[[], None]:
    qty = h.rng.choice((1, 1, 1, 2))

    def sell() -> None:
        floor = shop_floor(shop)
        if h.have(sku, floor) >= qty:
            stock.sell(staff, sku, qty, source=floor, ref=f"{shop}-R{day:02d}{h.keys:05d}", key=h.key())
            h.moved(sku, floor, -qty)

    return sell


def _web_order(h: History, staff: Context, items, day: int, n: int, *, ship: bool) -> None:
    """An order taken in the morning, reserved at once, shipped a few hours later (not in the last two days)."""
    rng = h.rng
    order = f"WEB-{day:02d}{n:02d}"
    reserved: list[tuple[str, int, list[str]]] = []

    def take() -> None:
        for sku in rng.sample(sorted(items), 3)[: rng.randint(1, 3)]:
            v, tracking = items[sku]
            if tracking is Tracking.SERIAL:
                free = h.serials.get((sku, v.bin), [])
                qty, numbers = (1, [free[0]]) if free else (0, [])
            else:
                qty, numbers = (rng.randint(1, 2), []) if h.have(sku, v.bin) >= 2 else (0, [])
            if not qty:
                continue
            h.tick(4)
            try:
                stock.reserve(staff, sku, qty, at=v.bin, ref=order, key=h.key())
            except InsufficientStock:
                continue
            if numbers:
                h.serials[(sku, v.bin)].remove(numbers[0])
            h.moved(sku, v.bin, -qty)
            reserved.append((sku, qty, numbers))

    def send() -> None:
        for sku, qty, numbers in reserved:
            h.tick(4)
            stock.ship(staff, sku, qty, source=items[sku][0].bin, ref=order, serials=numbers, key=h.key())
            h.shipped_orders.append((order, sku))

    hour, minute = 8 + n * 2, rng.randint(0, 90)
    h.schedule(day, hour, minute, take)
    if ship:
        h.schedule(day, hour + rng.randint(2, 4), minute, send)


def _customer_return(h: History, staff: Context, items, *, quarantine: bool) -> None:
    plain = [(order, sku) for order, sku in h.shipped_orders if items[sku][1] is Tracking.NONE]
    if not plain:
        return
    order, sku = plain[h.rng.randrange(len(plain))]
    bin_ = items[sku][0].bin
    note = "arrived damaged" if quarantine else "wrong size"
    stock.return_goods(staff, sku, 1, to=bin_, ref=order, quarantine=quarantine, reason=note, key=h.key())
    if not quarantine:
        h.moved(sku, bin_, 1)


def _adjust(h: History, manager: Context, sku: str, delta: int, at: str, reason: str, note: str) -> None:
    if delta > 0 or h.have(sku, at) >= -delta:
        stock.adjust(manager, sku, delta, at=at, reason=reason, note=note, key=h.key())
        h.moved(sku, at, delta)


def _hold(h: History, manager: Context, sku: str, at: str) -> None:
    if h.have(sku, at) >= 3:
        stock.quarantine(manager, sku, 3, at=at, note="leaking caps; supplier asked to inspect", key=h.key())
        h.moved(sku, at, -3)


def _weekly_restock(h: History, staff: Context, manager: Context, items, day: int) -> None:
    """Top up what ran low on the shops' floors from the warehouse, then reorder the warehouse."""
    wanted = []
    for shop in SHOPS:
        by_bin: dict[str, list[tuple[str, int]]] = {}
        for sku, (v, tracking) in items.items():
            if tracking is Tracking.SERIAL or h.have(sku, shop_floor(shop)) > 3:
                continue
            qty = min(6, h.have(sku, v.bin) // 3)
            if qty > 0:
                by_bin.setdefault(v.bin, []).append((sku, qty))
        wanted += [(lines, source, shop_floor(shop)) for source, lines in sorted(by_bin.items())]
    _transfers(h, staff, manager, wanted)
    for sku, (v, tracking) in sorted(items.items()):
        if tracking is Tracking.NONE and h.have(sku, v.bin) < 15:
            h.tick(2)
            stock.receive(staff, sku, 30, to=v.bin, ref=f"PO-W{day:02d}", supplier="Northwind Textiles", key=h.key())
            h.moved(sku, v.bin, 30)


def _cycle_count(h: History, staff: Context, manager: Context, place: str) -> None:
    """A count of one shop floor before opening: everything as booked but one unit missing and one found."""
    sheet = counts.start_count(manager, place)
    shelf = {(r.sku, r.lot): r for r in queries.stock(manager, at=place)}
    plain = [line for line in sheet.lines if line.lot is None and (line.sku, None) in shelf]
    missing = next((line.id for line in plain if shelf[(line.sku, None)].available > 0), None)
    found = next((line.id for line in reversed(plain) if line.id != missing), None)
    for line in sheet.lines:
        h.tick(1)
        row = shelf.get((line.sku, line.lot))
        variance = -1 if line.id == missing else 1 if line.id == found else 0
        counted = (row.on_hand if row else 0) + variance
        counts.enter_count(staff, sheet.session_id, line.sku, counted, at=line.location, lot=line.lot)
        if variance:
            h.moved(line.sku, line.location, variance)
    h.tick(20)
    counts.post_count(manager, sheet.session_id)


def _open_documents(h: History, staff: Context, manager: Context, items) -> None:
    """Transfers left in every state, as a real business has them on any given morning."""
    plain = [sku for sku, (_, t) in sorted(items.items()) if t is Tracking.NONE]
    for shop, upto, pick in (
        ("SHOP-N", "picked", 0),
        ("SHOP-S", "approved", 1),
        ("SHOP-N", "requested", 2),
        ("SHOP-S", "cancelled", 3),
        ("SHOP-S", "received", 4),
    ):
        source_bin = items[plain[pick * 7]][0].bin
        lines = [(sku, 2) for sku in plain if items[sku][0].bin == source_bin and h.have(sku, source_bin) >= 8][:3]
        if lines:
            _transfers(h, staff, manager, [(lines, source_bin, f"{shop}-BACK")], upto=upto)
