"""Change notices between desktops: a committed write NOTIFYs on PostgreSQL, other desktops LISTEN.

NOTIFY is transactional, so a notice is delivered only when (and if) its write commits. A payload
is limited to 8,000 bytes; a larger change set travels as 'everything changed'.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.engine import make_url

from ..domain.postings import ChangeSet, Topic

CHANNEL = "stockdesk_changes"
MAX_PAYLOAD = 7_900
_NOTIFY = select(func.pg_notify(CHANNEL, bindparam("payload")))
"""Built once: every write on PostgreSQL runs it."""


def encode(changes: ChangeSet, origin: str) -> str:
    body = {
        "o": origin,
        "v": sorted(changes.variant_ids),
        "l": sorted(changes.location_ids),
        "t": sorted(changes.lot_ids),
        "d": sorted(changes.topics),
        "all": changes.everything,
    }
    payload = json.dumps(body, separators=(",", ":"))
    if len(payload) <= MAX_PAYLOAD:
        return payload
    return json.dumps({"o": origin, "d": sorted(changes.topics), "all": True}, separators=(",", ":"))


def decode(payload: str) -> tuple[str, ChangeSet]:
    body = json.loads(payload)
    return body.get("o", ""), ChangeSet(
        variant_ids=frozenset(body.get("v", ())),
        location_ids=frozenset(body.get("l", ())),
        lot_ids=frozenset(body.get("t", ())),
        topics=frozenset(Topic(t) for t in body.get("d", ()) if t in Topic._value2member_map_),
        everything=bool(body.get("all", False)),
    )


def announce(conn: Connection, changes: ChangeSet, origin: str) -> None:
    """Queue a notice in the current transaction; PostgreSQL sends it at commit."""
    conn.execute(_NOTIFY, {"payload": encode(changes, origin)})


def listen(url: str, origin: str, deliver: Callable[[ChangeSet], None], stop: threading.Event) -> None:
    """Deliver other desktops' change notices until `stop` is set (blocking; run it on its own thread).

    A dropped connection is reopened, and the reconnection itself is reported as 'everything
    changed', since notices sent while it was down are lost.
    """
    import psycopg  # only a desktop on PostgreSQL listens; a SQLite desktop starts without loading it

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    first = True
    while not stop.is_set():
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(f"LISTEN {CHANNEL}")
                if not first:
                    deliver(ChangeSet(everything=True))
                first = False
                while not stop.is_set():
                    for notice in conn.notifies(timeout=0.25):
                        sender, changes = decode(notice.payload)
                        if sender != origin:
                            deliver(changes)
        except psycopg.OperationalError:
            stop.wait(2.0)
