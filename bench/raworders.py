"""The baseline for order fulfilment: confirm, pick list and ship written by hand with the DB-API.

What a careful hand-written app does, on the same schema and tables StockDesk keeps:
- confirm: one transaction; check the key; read the order's lines; per line find the first bin of the
  site (walking order) with enough free units, insert the movement, take a guarded UPDATE of the level
  (0 rows = refuse), upsert the order's reservation row and count it on the line; one posting; status.
- pick list: one SELECT of the order's reservations joined to bins and items, in walking order.
- ship: one transaction; check the key; read the reservations; per row a movement to the customer, a
  guarded UPDATE of the level and the reservation; the lines' counters, the shipment row, the status.
Untracked items only (the seeded ledger has no lots or serials), as the StockDesk side of the bench.
"""

from __future__ import annotations

from benchlib import begin_write, is_sqlite, q, raw_connect
from rawledger import CUSTOMER, OutOfStock, _fingerprint, _now


class RawOrders:
    def __init__(self, url: str) -> None:
        self.conn = raw_connect(url)
        self.sqlite = is_sqlite(self.conn)
        c = self.conn
        self.sql = {
            "key": q(c, "SELECT id FROM postings WHERE idempotency_key = ?"),
            "order": q(
                c,
                "INSERT INTO sales_orders (channel, external_ref, customer_name, status, ordered_at, "
                "created_by, created_at, updated_at) VALUES ('raw', ?, ?, 'draft', ?, 1, ?, ?) RETURNING id",
            ),
            "line": q(
                c,
                "INSERT INTO sales_order_lines (order_id, variant_id, qty_ordered, unit_price, qty_reserved, "
                "qty_packed, qty_shipped) VALUES (?, (SELECT id FROM variants WHERE sku = ?), ?, 0, 0, 0, 0)",
            ),
            "lines": q(
                c,
                "SELECT id, variant_id, qty_ordered - qty_reserved - qty_shipped FROM sales_order_lines "
                "WHERE order_id = ? ORDER BY id",
            ),
            "bin": q(
                c,
                "SELECT l.location_id FROM levels l JOIN locations b ON b.id = l.location_id "
                "WHERE l.variant_id = ? AND b.site_id = ? AND l.lot_id = 0 "
                "AND l.on_hand - l.reserved - l.quarantined >= ? ORDER BY b.sort_key, b.code LIMIT 1",
            ),
            "posting": q(
                c,
                "INSERT INTO postings (idempotency_key, fingerprint, kind, reference, user_id, posted_at) "
                "VALUES (?, ?, ?, ?, 1, ?) RETURNING id",
            ),
            "movement": q(
                c,
                "INSERT INTO movements (posting_id, kind, variant_id, lot_id, qty, from_location_id, "
                "from_bucket, to_location_id, to_bucket, posted_at) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?)",
            ),
            "reserve_level": q(
                c,
                "UPDATE levels SET reserved = reserved + ?, version = version + 1 WHERE variant_id = ? "
                "AND location_id = ? AND lot_id = 0 AND on_hand - reserved - quarantined >= ?",
            ),
            "reservation": q(
                c,
                "INSERT INTO reservations (order_ref, variant_id, location_id, lot_id, qty) "
                "VALUES (?, ?, ?, 0, ?) ON CONFLICT (order_ref, variant_id, location_id, lot_id) "
                "DO UPDATE SET qty = reservations.qty + excluded.qty",
            ),
            "line_reserved": q(c, "UPDATE sales_order_lines SET qty_reserved = qty_reserved + ? WHERE id = ?"),
            "confirmed": q(c, "UPDATE sales_orders SET status = 'confirmed', site_id = ?, updated_at = ? WHERE id = ?"),
            "shipped": q(c, "UPDATE sales_orders SET status = 'shipped', updated_at = ? WHERE id = ?"),
            "pick": q(
                c,
                "SELECT b.code, v.sku, v.name, r.qty FROM reservations r "
                "JOIN locations b ON b.id = r.location_id JOIN variants v ON v.id = r.variant_id "
                "WHERE r.order_ref = ? AND r.qty > 0 ORDER BY b.sort_key, b.code, v.sku",
            ),
            "reserved": q(c, "SELECT variant_id, location_id, qty FROM reservations WHERE order_ref = ? AND qty > 0"),
            "ship_level": q(
                c,
                "UPDATE levels SET on_hand = on_hand - ?, reserved = reserved - ?, version = version + 1 "
                "WHERE variant_id = ? AND location_id = ? AND lot_id = 0 AND reserved >= ?",
            ),
            "unreserve": q(
                c,
                "UPDATE reservations SET qty = qty - ? WHERE order_ref = ? AND variant_id = ? "
                "AND location_id = ? AND lot_id = 0",
            ),
            "line_shipped": q(
                c,
                "UPDATE sales_order_lines SET qty_shipped = qty_shipped + qty_reserved, "
                "qty_reserved = 0, qty_packed = 0 WHERE order_id = ?",
            ),
            "shipment": q(
                c,
                "INSERT INTO shipments (order_id, posting_id, carrier, tracking, shipped_by, shipped_at) "
                "VALUES (?, ?, ?, ?, 1, ?)",
            ),
        }

    def close(self) -> None:
        self.conn.close()

    def _stamp(self):
        now = _now()
        return now.isoformat(" ", "microseconds") if self.sqlite else now

    def _finish(self, commit: bool) -> None:
        if self.sqlite:
            self.conn.execute("COMMIT" if commit else "ROLLBACK")
        elif commit:
            self.conn.commit()
        else:
            self.conn.rollback()

    def create(self, ref: str, lines: list[tuple[str, int]]) -> int:
        c, sql, now = self.conn, self.sql, self._stamp()
        begin_write(c)
        order_id = c.execute(sql["order"], (ref, f"Customer {ref}", now, now, now)).fetchone()[0]
        for sku, qty in lines:
            c.execute(sql["line"], (order_id, sku, qty))
        self._finish(True)
        return order_id

    def _begin(self, key: str) -> bool:
        """Begin a write; False (and nothing open) when the key was already posted."""
        begin_write(self.conn)
        if self.conn.execute(self.sql["key"], (key,)).fetchone() is not None:
            self._finish(False)
            return False
        return True

    def _posting(self, key: str, kind: str, ref: str, request: dict, now) -> int:
        row = (key, _fingerprint(kind, request), kind, ref, now)
        return self.conn.execute(self.sql["posting"], row).fetchone()[0]

    def confirm(self, order_id: int, site_id: int) -> None:
        c, sql, ref = self.conn, self.sql, f"RAW-{order_id}"
        key = f"{ref}:confirm"
        if not self._begin(key):
            return
        now = self._stamp()
        posting_id = self._posting(key, "reserve", ref, {"order": order_id, "site": site_id}, now)
        for line_id, variant, qty in c.execute(sql["lines"], (order_id,)).fetchall():
            found = c.execute(sql["bin"], (variant, site_id, qty)).fetchone()
            if found is None:
                self._finish(False)
                raise OutOfStock(variant)
            bin_id = found[0]
            c.execute(sql["movement"], (posting_id, "reserve", variant, qty, bin_id, "A", bin_id, "R", now))
            c.execute(sql["reservation"], (ref, variant, bin_id, qty))
            if c.execute(sql["reserve_level"], (qty, variant, bin_id, qty)).rowcount != 1:
                self._finish(False)
                raise OutOfStock(variant)
            c.execute(sql["line_reserved"], (qty, line_id))
        c.execute(sql["confirmed"], (site_id, now, order_id))
        self._finish(True)

    def pick_list(self, order_id: int) -> list[tuple]:
        rows = self.conn.execute(self.sql["pick"], (f"RAW-{order_id}",)).fetchall()
        if not self.sqlite:
            self.conn.rollback()  # end the read's implicit transaction, as a careful app would
        return rows

    def ship(self, order_id: int, carrier: str, tracking: str) -> None:
        c, sql, ref = self.conn, self.sql, f"RAW-{order_id}"
        key = f"{ref}:shipment:1"
        if not self._begin(key):
            return
        now = self._stamp()
        posting_id = self._posting(key, "ship", ref, {"order": order_id, "carrier": carrier}, now)
        for variant, bin_id, qty in c.execute(sql["reserved"], (ref,)).fetchall():
            c.execute(sql["movement"], (posting_id, "ship", variant, qty, bin_id, "R", CUSTOMER, "A", now))
            c.execute(sql["unreserve"], (qty, ref, variant, bin_id))
            if c.execute(sql["ship_level"], (qty, qty, variant, bin_id, qty)).rowcount != 1:
                self._finish(False)
                raise OutOfStock(variant)
        c.execute(sql["line_shipped"], (order_id,))
        c.execute(sql["shipment"], (order_id, posting_id, carrier, tracking, now))
        c.execute(sql["shipped"], (now, order_id))
        self._finish(True)
