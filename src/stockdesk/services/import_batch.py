"""One batch of imported rows: checked in Python against the levels read once, written with executemany.

The per-posting service (`posting.post`) costs a transaction and a dozen statements per row;
an import of half a million lines cannot afford that. A batch instead reads, in one statement
each, the level rows (locked on PostgreSQL), lots, reservations and serials its rows touch; checks
every row in file order against those numbers as it goes (the same rules as the services: unknown
SKU, unknown location, tracking, expired lots, not enough stock, reason codes, permissions); and
writes the postings and movements of the rows that pass with executemany, then the net change per
level row (upsert for additions, guarded update for removals), reservation and serial. A refused
row changes nothing, so no row is ever half written; the batch is one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from ..db import bulk
from ..db import levels as level_rows
from ..db.uow import UnitOfWork
from ..domain.online_retail import ImportRow, RowRefused
from ..domain.quantities import (
    ADJUSTMENT_CODE,
    CUSTOMER_CODE,
    NO_LOT,
    SCRAP_CODE,
    SUPPLIER_CODE,
    LevelDelta,
    Tracking,
)
from ..domain.sales import sales_order_of
from .import_catalogue import Catalogue, Item, Lot, RefusedRow

A, R = "A", "R"


class Batch:
    """The rows of one transaction and the numbers they are checked against."""

    def __init__(self, catalogue: Catalogue, uow: UnitOfWork, digest: str, now: datetime) -> None:
        self.cat = catalogue
        self.uow = uow
        self.digest = digest
        self.now = now
        self.keeps = uow.database.keeps_levels
        self.user_id = catalogue.ctx.user.id
        self.levels: dict[tuple[int, int, int], list[int]] = {}
        self.initial: dict[tuple[int, int, int], tuple[int, int, int]] = {}
        self.lots_at: dict[tuple[int, int], set[int]] = defaultdict(set)
        self.reserved: dict[tuple[str, int, int, int], int] = {}
        self.reserved_initial: dict[tuple[str, int, int, int], int] = {}
        self.serials: dict[tuple[int, str], list] = {}
        self.serial_places: dict[int, tuple[int, str]] = {}
        self.headers: list[dict] = []
        self.moves: list[list[dict]] = []
        self.imported = self.skipped = 0
        self.refused: list[RefusedRow] = []

    # -- reading ------------------------------------------------------------------------------

    def key_of(self, row: ImportRow) -> str:
        """The row's own key, or one from the file's content and the row number (they sort in row order)."""
        return row.key or f"import:{self.digest[:24]}:{row.row:09d}"

    def load(self, rows: list[ImportRow]) -> dict[str, str]:
        """Read what the rows touch; returns the keys already posted (key -> fingerprint)."""
        cat, conn = self.cat, self.uow.connection
        bulk.prepare(conn)
        cat.load_items(self.uow, {r.sku for r in rows})
        items = {r.sku: cat.items[r.sku] for r in rows if r.sku in cat.items}
        cat.load_lots(self.uow, list(items.values()))
        variant_ids = {i.id for i in items.values()}
        place_ids = {cat.places[r.location] for r in rows if r.location in cat.places}
        for key, level in level_rows.read_many(conn, variant_ids, place_ids, for_update=True).items():
            self.levels[key] = [level.on_hand, level.reserved, level.quarantined]
            self.initial[key] = (level.on_hand, level.reserved, level.quarantined)
            if key[2] != NO_LOT:
                self.lots_at[key[:2]].add(key[2])
        refs = {r.ref for r in rows if r.kind == "ship" and r.ref}
        for r in bulk.reservations_of(conn, refs, variant_ids, for_update=True):
            key = (r.order_ref, r.variant_id, r.location_id, r.lot_id)
            self.reserved[key] = self.reserved_initial[key] = r.qty
        serial_ids = {items[r.sku].id for r in rows if r.serials and r.sku in items}
        numbers = {s for r in rows for s in r.serials}
        for r in bulk.serials_of(conn, serial_ids, numbers, for_update=True):
            self.serials[(r.variant_id, r.serial_number)] = [r.id, r.location_id, r.bucket, r.lot_id]
        # The keys last: once the rows above are locked, a concurrent import of the same file has
        # committed its postings (which are then skipped) or waits for this batch.
        generated = [self.key_of(r) for r in rows if not r.key]
        existing = self.uow.ledger.existing_keys([r.key for r in rows if r.key])
        if generated:
            existing.update(self.uow.ledger.existing_keys_between(min(generated), max(generated)))
        return existing

    def level(self, key: tuple[int, int, int]) -> list[int]:
        found = self.levels.get(key)
        if found is None:
            found = self.levels[key] = [0, 0, 0]
            self.initial[key] = (0, 0, 0)
        return found

    # -- checking a row -----------------------------------------------------------------------

    def add(self, row: ImportRow, existing: dict[str, str]) -> None:
        key = self.key_of(row)
        print_ = row.fingerprint()
        known = existing.get(key)
        if known is not None:
            if known == print_:
                self.skipped += 1
            else:
                self.refused.append(RefusedRow(row.row, f"The key '{key}' was already used for a different row."))
            return
        try:
            moves = self.plan(row)
        except RowRefused as refused:
            self.refused.append(RefusedRow(row.row, refused.reason))
            return
        self.apply(row, moves)
        existing[key] = print_
        self.headers.append(
            {
                "idempotency_key": key,
                "fingerprint": print_,
                "kind": row.kind,
                "reference": row.ref,
                "user_id": self.user_id,
                "reason_code": row.reason if row.kind == "adjust" else None,
                "note": row.note,
                "posted_at": row.posted_at or self.now,
            }
        )
        self.imported += 1

    def plan(self, row: ImportRow) -> list[list]:
        """[source, source bucket, dest, dest bucket, lot, qty, serial number or None] per movement."""
        if row.kind in ("ship", "return") and sales_order_of(row.ref) is not None:
            raise RowRefused(
                f"{row.ref} is a sales order: its goods go out and come back only with the order's own steps "
                "(`so ship`, `so return`, or the Orders screen), not from a file."
            )
        cat = self.cat
        item = cat.items.get(row.sku)
        if item is None:
            raise RowRefused(f"No item has the SKU or barcode '{row.sku}'. Add the product first.")
        place = cat.places.get(row.location)
        if place is None:
            raise RowRefused(f"There is no location '{row.location}'. Add the location first.")
        if row.kind in ("adjust", "scrap") and not cat.may_adjust:
            raise RowRefused(f"{cat.ctx.user.username} may not make adjustments; ask a manager or the owner.")
        self._check_tracking(item, row)
        day = (row.posted_at or self.now).date()
        v = cat.virtual
        if row.kind == "receive":
            return [[v[SUPPLIER_CODE], A, place, A, lot, n, s] for lot, n, s in self._incoming(item, row, day)]
        if row.kind == "return":
            return [[v[CUSTOMER_CODE], A, place, A, lot, n, s] for lot, n, s in self._returning(item, row)]
        if row.kind == "adjust":
            code = self._reason(row)
            if row.inbound:
                parts = self._found(item, row, day, code)
                return [[v[ADJUSTMENT_CODE], A, place, A, lot, n, s] for lot, n, s in parts]
            return [[place, A, v[ADJUSTMENT_CODE], A, lot, n, s] for lot, n, s in self._outbound(item, row, place, day)]
        if row.kind == "ship":
            return self._ship(item, row, place, day)
        dest = v[CUSTOMER_CODE] if row.kind == "sell" else v[SCRAP_CODE]
        return [[place, A, dest, A, lot, n, s] for lot, n, s in self._outbound(item, row, place, day)]

    def _check_tracking(self, item: Item, row: ImportRow) -> None:
        if item.tracking is Tracking.SERIAL:
            if len(row.serials) != row.qty:
                raise RowRefused(
                    f"{item.sku} is tracked by serial number: give one serial per unit "
                    f"({row.qty} needed, {len(row.serials)} given)."
                )
            if len(set(row.serials)) != len(row.serials):
                raise RowRefused("The same serial number was given twice.")
        elif row.serials:
            raise RowRefused(f"{item.sku} is not tracked by serial number; leave the serials out.")
        if item.tracking is not Tracking.LOT and row.lot:
            raise RowRefused(f"{item.sku} is not tracked by lot; leave the lot out.")

    def _lot(self, item: Item, number: str) -> Lot:
        lot = self.cat.lots[item.id].get(number)
        if lot is None:
            raise RowRefused(f"{item.sku} has no lot '{number}'.")
        return lot

    def _incoming(self, item: Item, row: ImportRow, day: date) -> list[tuple]:
        if item.tracking is Tracking.SERIAL:
            origin = self.cat.virtual[SUPPLIER_CODE]
            return [(NO_LOT, 1, self._new_serial(item, s, origin)) for s in row.serials]
        if item.tracking is not Tracking.LOT:
            return [(NO_LOT, row.qty, None)]
        if not row.lot:
            raise RowRefused(f"{item.sku} is tracked by lot: give the lot number (lot column).")
        if len(row.lot) > 64:
            raise RowRefused(f"Lot number is longer than 64 characters: '{row.lot[:20]}...'.")
        if row.expiry is not None and row.expiry < day:
            raise RowRefused(f"Lot {row.lot} expired on {row.expiry}; expired goods may not be received into stock.")
        lot = self.cat.lots[item.id].get(row.lot)
        if lot is None:
            lot_id = bulk.add_lot(self.uow.connection, item.id, row.lot, row.expiry)
            lot = self.cat.add_lot(item.id, Lot(lot_id, row.lot, row.expiry))
        elif lot.expired(day):
            raise RowRefused(f"Lot {lot.number} expired on {lot.expires_on}; it may not be received.")
        elif row.expiry is not None and lot.expires_on not in (None, row.expiry):
            raise RowRefused(
                f"Lot {lot.number} of {item.sku} is already on the books expiring {lot.expires_on}, "
                f"not {row.expiry}. Check the label."
            )
        return [(lot.id, row.qty, None)]

    def _new_serial(self, item: Item, number: str, origin: int) -> str:
        if len(number) > 64:
            raise RowRefused(f"Serial number is longer than 64 characters: '{number[:20]}...'.")
        known = self.serials.get((item.id, number))
        if known is None or known[1] == origin:
            return number
        if known[1] == self.cat.virtual[CUSTOMER_CODE]:
            raise RowRefused(f"Serial {number} was shipped to a customer; book it as a return, not a receipt.")
        where = self.cat.place_codes.get(known[1], "another place")
        raise RowRefused(f"Serial {number} is already on the books at {where}; it cannot be received again.")

    def _returning(self, item: Item, row: ImportRow) -> list[tuple]:
        if item.tracking is Tracking.SERIAL:
            customer = self.cat.virtual[CUSTOMER_CODE]
            for number in row.serials:
                known = self.serials.get((item.id, number))
                if known is None or known[1] != customer:
                    raise RowRefused(f"Serial {number} is not with a customer; only a shipped unit can be returned.")
            return [(self.serials[(item.id, s)][3], 1, s) for s in row.serials]
        if item.tracking is Tracking.LOT:
            if not row.lot:
                raise RowRefused(f"{item.sku} is tracked by lot: say which lot came back (lot column).")
            return [(self._lot(item, row.lot).id, row.qty, None)]
        return [(NO_LOT, row.qty, None)]

    def _found(self, item: Item, row: ImportRow, day: date, code: str) -> list[tuple]:
        if item.tracking is Tracking.SERIAL:
            origin = self.cat.virtual[ADJUSTMENT_CODE]
            return [(NO_LOT, 1, self._new_serial(item, s, origin)) for s in row.serials]
        if item.tracking is Tracking.LOT:
            if not row.lot:
                raise RowRefused(f"{item.sku} is tracked by lot: say which lot was found (lot column).")
            return [(self._lot(item, row.lot).id, row.qty, None)]
        return [(NO_LOT, row.qty, None)]

    def _reason(self, row: ImportRow) -> str:
        found = self.cat.reasons.get(row.reason or "")
        if found is None or not found.user_selectable:
            choices = ", ".join(sorted(c for c, r in self.cat.reasons.items() if r.user_selectable))
            raise RowRefused(f"'{row.reason}' is not a reason code. Use one of: {choices}.")
        if (found.direction == "in" and not row.inbound) or (found.direction == "out" and row.inbound):
            way = "adds stock" if found.direction == "in" else "removes stock"
            raise RowRefused(f"Reason {found.code} ({found.description}) only {way}; check the sign of the quantity.")
        return found.code

    def _serials_at(self, item: Item, row: ImportRow, place: int, numbers) -> list[tuple]:
        parts = []
        for number in numbers:
            known = self.serials.get((item.id, number))
            if known is None:
                raise RowRefused(f"{item.sku} has no serial '{number}' on the books.")
            if known[1] != place or known[2] != A:
                where = self.cat.place_codes.get(known[1], "another place")
                state = "on hold" if known[2] == "Q" else "free"
                raise RowRefused(f"Serial {number} is at {where} ({state}), not at {row.location}.")
            parts.append((known[3], 1, number))
        return parts

    def _outbound(self, item: Item, row: ImportRow, place: int, day: date, qty: int | None = None) -> list[tuple]:
        """(lot, qty, serial) parts of `qty` available units leaving `place`; first expiring first."""
        qty = row.qty if qty is None else qty
        if item.tracking is Tracking.SERIAL:
            parts = self._serials_at(item, row, place, row.serials[len(row.serials) - qty :])
            for lot in {p[0] for p in parts}:
                self._require(item, row, place, lot, sum(1 for p in parts if p[0] == lot))
            return parts
        if row.lot:
            lot = self._lot(item, row.lot)
            if row.kind in ("sell", "ship") and lot.expired(day):
                raise RowRefused(f"Lot {lot.number} of {item.sku} expired on {lot.expires_on}; it may not be sold.")
            self._require(item, row, place, lot.id, qty)
            return [(lot.id, qty, None)]
        if item.tracking is not Tracking.LOT:
            self._require(item, row, place, NO_LOT, qty)
            return [(NO_LOT, qty, None)]
        parts, left = [], qty
        for lot in sorted((self.cat.lot_ids[i] for i in self.lots_at[(item.id, place)]), key=Lot.fefo):
            if lot.expired(day):
                continue
            level = self.levels.get((item.id, place, lot.id))
            take = min(level[0] - level[1] - level[2], left) if level else 0
            if take > 0:
                parts.append((lot.id, take, None))
                left -= take
            if not left:
                return parts
        raise RowRefused(f"Only {qty - left} of {item.sku} in unexpired lots at {row.location}; {qty} needed.")

    def _require(self, item: Item, row: ImportRow, place: int, lot_id: int, qty: int) -> None:
        on_hand, reserved, held = self.levels.get((item.id, place, lot_id), (0, 0, 0))
        free = on_hand - reserved - held
        if free < qty:
            lot = f" (lot {self.cat.lot_ids[lot_id].number})" if lot_id != NO_LOT else ""
            raise RowRefused(
                f"Only {free} of {item.sku}{lot} available at {row.location} "
                f"(on hand {on_hand}, reserved {reserved}, quarantined {held}); {qty} needed."
            )

    def _ship(self, item: Item, row: ImportRow, place: int, day: date) -> list[list]:
        customer = self.cat.virtual[CUSTOMER_CODE]
        held = sorted(
            (self.cat.lot_ids[lot].fefo() if lot else (True, date.max, 0), lot, qty)
            for (ref, v, loc, lot), qty in self.reserved.items()
            if ref == row.ref and v == item.id and loc == place and qty > 0
        )
        if item.tracking is Tracking.SERIAL:
            self._serials_at(item, row, place, row.serials)
        moves, left = [], row.qty
        serials = iter(row.serials)
        for _, lot, qty in held:
            take = min(qty, left)
            if take <= 0:
                break
            if item.tracking is Tracking.SERIAL:
                moves += [[place, R, customer, A, lot, 1, next(serials)] for _ in range(take)]
            else:
                moves.append([place, R, customer, A, lot, take, None])
            left -= take
        if left:
            moves += [[place, A, customer, A, lot, n, s] for lot, n, s in self._outbound(item, row, place, day, left)]
        return moves

    # -- applying a checked row ---------------------------------------------------------------

    def apply(self, row: ImportRow, moves: list[list]) -> None:
        item = self.cat.items[row.sku]
        posted_at = row.posted_at or self.now
        written = []
        for source, source_bucket, dest, dest_bucket, lot, qty, number in moves:
            serial_id = None
            if number is not None:
                serial_id = self._serial_id(item, number, lot, source)
                self.serial_places[serial_id] = (dest, dest_bucket)
                self.serials[(item.id, number)][1:3] = [dest, dest_bucket]
            before = after = None
            for place, bucket, sign in ((source, source_bucket, -1), (dest, dest_bucket, 1)):
                if not self.keeps(place):
                    continue
                level = self.level((item.id, place, lot))
                if row.kind == "adjust":
                    before = level[0]
                level[0] += sign * qty
                if bucket == R:
                    level[1] += sign * qty
                    rkey = (row.ref, item.id, place, lot)
                    self.reserved_initial.setdefault(rkey, 0)
                    self.reserved[rkey] = self.reserved.get(rkey, 0) + sign * qty
                if row.kind == "adjust":
                    after = level[0]
                if lot != NO_LOT:
                    self.lots_at[(item.id, place)].add(lot)
            written.append(
                {
                    "kind": row.kind,
                    "variant_id": item.id,
                    "lot_id": lot,
                    "serial_id": serial_id,
                    "qty": qty,
                    "from_location_id": source,
                    "from_bucket": source_bucket,
                    "to_location_id": dest,
                    "to_bucket": dest_bucket,
                    "before_qty": before,
                    "after_qty": after,
                    "reverses_id": None,
                    "posted_at": posted_at,
                }
            )
        self.moves.append(written)

    def _serial_id(self, item: Item, number: str, lot: int, origin: int) -> int:
        known = self.serials.get((item.id, number))
        if known is None:
            serial_id = bulk.add_serial(self.uow.connection, item.id, number, lot, origin)
            known = self.serials[(item.id, number)] = [serial_id, origin, A, lot]
        return known[0]

    # -- writing ------------------------------------------------------------------------------

    def write(self) -> None:
        changes = {}
        for key, (on_hand, reserved, held) in self.levels.items():
            was = self.initial[key]
            delta = LevelDelta(on_hand - was[0], reserved - was[1], held - was[2])
            if not delta.is_zero:
                changes[key] = delta
        reservations = {k: q - self.reserved_initial.get(k, 0) for k, q in self.reserved.items()}
        self.uow.ledger.append_bulk(
            self.headers,
            self.moves,
            changes,
            {k: d for k, d in reservations.items() if d},
            self.serial_places,
        )
