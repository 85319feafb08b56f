"""The baseline: the same postings written by hand with the DB-API (sqlite3 / psycopg), no SQLAlchemy.

What a careful hand-written app does per posting, in one transaction: check the idempotency key,
look up the variant by SKU and the location by code, insert the posting and its movement, write the
level row (receipts upsert; issues and reservations take a guarded UPDATE that refuses when stock is
short, placed last so the row lock is held for the shortest time), keep the order's reservation row,
commit. Virtual places (supplier, customer) are constants the app knows from its own migration.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from datetime import UTC, datetime

from benchlib import begin_write, is_sqlite, q, raw_connect

SUPPLIER, CUSTOMER = 1, 2


class OutOfStock(Exception):
    pass


def _now():
    return datetime.now(UTC).replace(tzinfo=None)


def _key(kind: str) -> str:
    return f"{kind}-{time.time_ns():016x}-{secrets.token_hex(6)}"


def _fingerprint(kind: str, request: dict) -> str:
    return hashlib.sha256(json.dumps({"kind": kind, **request}, sort_keys=True, default=str).encode()).hexdigest()


class RawLedger:
    def __init__(self, url: str) -> None:
        self.conn = raw_connect(url)
        self.sqlite = is_sqlite(self.conn)
        c = self.conn
        self.sql = {
            "key": q(c, "SELECT id, fingerprint FROM postings WHERE idempotency_key = ?"),
            "variant": q(c, "SELECT id FROM variants WHERE sku = ?"),
            "location": q(c, "SELECT id FROM locations WHERE code = ? AND is_virtual = ?"),
            "posting": q(
                c,
                "INSERT INTO postings (idempotency_key, fingerprint, kind, reference, user_id, posted_at) "
                "VALUES (?, ?, ?, ?, 1, ?) RETURNING id",
            ),
            "movement": q(
                c,
                "INSERT INTO movements (posting_id, kind, variant_id, lot_id, qty, from_location_id, from_bucket, "
                "to_location_id, to_bucket, posted_at) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?)",
            ),
            "receive_level": q(
                c,
                "INSERT INTO levels (variant_id, location_id, lot_id, on_hand, reserved, quarantined, version) "
                "VALUES (?, ?, 0, ?, 0, 0, 0) ON CONFLICT (variant_id, location_id, lot_id) DO UPDATE "
                "SET on_hand = levels.on_hand + excluded.on_hand, version = levels.version + 1",
            ),
            "sell_level": q(
                c,
                "UPDATE levels SET on_hand = on_hand - ?, version = version + 1 "
                "WHERE variant_id = ? AND location_id = ? AND lot_id = 0 AND on_hand - reserved - quarantined >= ?",
            ),
            "reserve_level": q(
                c,
                "UPDATE levels SET reserved = reserved + ?, version = version + 1 "
                "WHERE variant_id = ? AND location_id = ? AND lot_id = 0 AND on_hand - reserved - quarantined >= ?",
            ),
            "reservation": q(
                c,
                "INSERT INTO reservations (order_ref, variant_id, location_id, lot_id, qty) VALUES (?, ?, ?, 0, ?) "
                "ON CONFLICT (order_ref, variant_id, location_id, lot_id) "
                "DO UPDATE SET qty = reservations.qty + excluded.qty",
            ),
        }

    def close(self) -> None:
        self.conn.close()

    def _stamp(self):
        now = _now()
        return now.isoformat(" ", "microseconds") if self.sqlite else now

    def _start(self, kind: str, key: str | None, request: dict, sku: str, code: str):
        """Begin, check the key, resolve the names. Returns (key, fingerprint, variant, location) or None (replay)."""
        c, sql = self.conn, self.sql
        key = key or _key(kind)
        print_ = _fingerprint(kind, request)
        begin_write(c)
        seen = c.execute(sql["key"], (key,)).fetchone()
        if seen is not None:
            self._rollback()
            if seen[1] != print_:
                raise ValueError("idempotency key reused for a different request")
            return None
        variant = c.execute(sql["variant"], (sku,)).fetchone()
        location = c.execute(sql["location"], (code, False)).fetchone()
        if variant is None or location is None:
            self._rollback()
            raise LookupError(f"unknown {sku} or {code}")
        return key, print_, variant[0], location[0]

    def _posting(self, key, print_, kind, ref, variant, qty, src, src_b, dst, dst_b) -> int:
        c, sql = self.conn, self.sql
        now = self._stamp()
        posting_id = c.execute(sql["posting"], (key, print_, kind, ref, now)).fetchone()[0]
        c.execute(sql["movement"], (posting_id, kind, variant, qty, src, src_b, dst, dst_b, now))
        return posting_id

    def _rollback(self) -> None:
        if self.sqlite:
            self.conn.execute("ROLLBACK")
        else:
            self.conn.rollback()

    def _commit(self) -> None:
        if self.sqlite:
            self.conn.execute("COMMIT")
        else:
            self.conn.commit()

    def receive(self, sku: str, qty: int, *, to: str, key: str | None = None) -> int | None:
        started = self._start("receive", key, {"sku": sku, "qty": qty, "to": to}, sku, to)
        if started is None:
            return None
        key, print_, variant, location = started
        posting_id = self._posting(key, print_, "receive", None, variant, qty, SUPPLIER, "A", location, "A")
        self.conn.execute(self.sql["receive_level"], (variant, location, qty))
        self._commit()
        return posting_id

    def sell(self, sku: str, qty: int, *, source: str, key: str | None = None) -> int | None:
        started = self._start("sell", key, {"sku": sku, "qty": qty, "from": source}, sku, source)
        if started is None:
            return None
        key, print_, variant, location = started
        posting_id = self._posting(key, print_, "sell", None, variant, qty, location, "A", CUSTOMER, "A")
        if self.conn.execute(self.sql["sell_level"], (qty, variant, location, qty)).rowcount != 1:
            self._rollback()
            raise OutOfStock(sku)
        self._commit()
        return posting_id

    def reserve(self, sku: str, qty: int, *, at: str, ref: str, key: str | None = None) -> int | None:
        started = self._start("reserve", key, {"sku": sku, "qty": qty, "at": at, "ref": ref}, sku, at)
        if started is None:
            return None
        key, print_, variant, location = started
        posting_id = self._posting(key, print_, "reserve", ref, variant, qty, location, "A", location, "R")
        self.conn.execute(self.sql["reservation"], (ref, variant, location, qty))
        if self.conn.execute(self.sql["reserve_level"], (qty, variant, location, qty)).rowcount != 1:
            self._rollback()
            raise OutOfStock(sku)
        self._commit()
        return posting_id
