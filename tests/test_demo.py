"""`stockdesk-cli demo`: a realistic business in an empty database, posted through the services."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from stockdesk.db.records import (
    CountSessionRecord,
    LotRecord,
    MovementRecord,
    ProductRecord,
    PurchaseOrderRecord,
    ReservationRecord,
    SalesOrderRecord,
    SerialRecord,
    TransferRecord,
    UserRecord,
)
from stockdesk.db.uow import Database
from stockdesk.domain.errors import InvalidState, PermissionDenied
from stockdesk.services import catalog, demo, queries
from stockdesk.services.context import open_context
from stockdesk.services.reconcile import reconcile
from tests.builders import as_user, refused, snapshot
from tests.conftest import BACKENDS


def scalar(ctx, query):
    with ctx.reading() as uow:
        return uow.connection.execute(query).scalar_one()


def rows(ctx, query):
    with ctx.reading() as uow:
        return list(uow.connection.execute(query))


@pytest.fixture(scope="module", params=BACKENDS)
def built(request, templates) -> Iterator[SimpleNamespace]:
    """One demo per backend for the whole module: building it is the slow part."""
    url = templates.sqlite_url() if request.param == "sqlite" else templates.pg_url()
    database = Database(url)
    ctx = open_context(database)
    started = time.perf_counter()
    summary = demo.build_demo(ctx)
    yield SimpleNamespace(
        ctx=ctx, url=url, summary=summary, elapsed=time.perf_counter() - started, backend=request.param
    )
    database.dispose()


def test_the_demo_fills_an_empty_database_with_a_reconciled_business(built):
    ctx, summary, elapsed, backend = built.ctx, built.summary, built.elapsed, built.backend
    if backend == "sqlite":
        assert elapsed < 20, f"the demo took {elapsed:.1f} s on SQLite"
    assert reconcile(ctx).clean
    assert (summary.sites, summary.days, summary.users) == (3, demo.DAYS, ("owner", "maria", "sam"))
    assert 180 <= summary.variants <= 220 and summary.locations > 30 and summary.postings > 1000

    sites = [loc for loc in _places(ctx) if loc.kind.value == "site"]
    assert sorted(s.code for s in sites) == ["SHOP-N", "SHOP-S", "WH"]
    kinds = Counter(loc.kind.value for loc in _places(ctx))
    assert kinds["zone"] >= 3 and kinds["aisle"] >= 3 and kinds["bin"] >= 20
    bins = {loc.code: loc.sort_key for loc in _places(ctx)}
    assert bins["WH-A1-01"] < bins["WH-A1-06"] and bins["WH-A2-06"] < bins["WH-A2-01"]  # serpentine walk

    assert scalar(ctx, select(func.count()).select_from(ProductRecord)) < 20  # a few products, many variants
    tee = catalog.find_variant(ctx, "TEE-BLK-M")
    assert tee.attributes == {"size": "M", "colour": "black"} and tee.barcode and len(tee.barcode) == 13
    roles = dict(rows(ctx, select(UserRecord.username, UserRecord.role)))
    assert roles == {"owner": "owner", "maria": "manager", "sam": "staff"}

    now = ctx.now()
    lots = rows(ctx, select(LotRecord.number, LotRecord.expires_on).where(LotRecord.id != 0))
    assert lots and all(expiry > now.date() for _, expiry in lots)
    assert any(expiry <= (now + timedelta(days=14)).date() for _, expiry in lots)
    assert scalar(ctx, select(func.count()).select_from(SerialRecord)) >= 30
    assert scalar(ctx, select(func.count()).where(SerialRecord.location_id == 2)) > 0  # some sold (@CUSTOMER)

    statuses = set(rows(ctx, select(TransferRecord.status).distinct()))
    assert {s for (s,) in statuses} == {"requested", "approved", "picked", "received", "cancelled"}
    assert [s for (s,) in rows(ctx, select(CountSessionRecord.status))] == ["posted"]
    po_statuses = {s for (s,) in rows(ctx, select(PurchaseOrderRecord.status).distinct())}
    assert po_statuses == {"draft", "sent", "partial", "received"}
    so_statuses = {s for (s,) in rows(ctx, select(SalesOrderRecord.status).distinct())}
    assert so_statuses == {"draft", "confirmed", "packed", "shipped", "cancelled"}
    assert any(r.on_order for r in queries.stock(ctx)), "a sent purchase order is on order"
    assert scalar(ctx, select(func.sum(ReservationRecord.qty))) > 0

    movement_kinds = dict(rows(ctx, select(MovementRecord.kind, func.count()).group_by(MovementRecord.kind)))
    for kind in ("receive", "sell", "reserve", "ship", "return", "adjust", "count", "quarantine", "putaway"):
        assert movement_kinds.get(kind, 0) > 0, kind
    first, last = rows(ctx, select(func.min(MovementRecord.posted_at), func.max(MovementRecord.posted_at)))[0]
    assert now - first > timedelta(days=demo.DAYS - 1) and last < now
    times = [t for (t,) in rows(ctx, select(MovementRecord.posted_at).order_by(MovementRecord.id))]
    assert times == sorted(times), "the history's timestamps go back in time"
    in_stock = queries.stock(ctx)
    assert any(r.in_transit for r in in_stock) and any(r.quarantined for r in in_stock)
    assert all(r.on_hand >= r.reserved + r.quarantined >= 0 for r in in_stock)


def test_a_second_demo_is_refused_and_changes_nothing(built):
    with refused(built.ctx, InvalidState, "already has products or locations"):
        demo.build_demo(built.ctx)


def test_the_cli_refuses_a_second_demo_with_exit_1_and_one_line(built):
    before = snapshot(built.ctx)

    done = subprocess.run(
        [sys.executable, "-m", "stockdesk.cli.main", "demo", "--json"],
        env={**os.environ, "STOCKDESK_DB": built.url},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.count("\n") == 1 and "only fills an empty database" in done.stderr
    assert snapshot(built.ctx) == before


def test_the_demo_refuses_a_database_that_has_products(ctx):
    catalog.add_product(ctx, catalog.NewProduct("X-1", "Anything"))

    with refused(ctx, InvalidState, "only fills an empty database"):
        demo.build_demo(ctx)


def test_only_the_owner_may_build_the_demo(ctx):
    manager = as_user(ctx, "mia", "manager")

    with refused(ctx, PermissionDenied, "mia is signed in as manager"):
        demo.build_demo(manager)


def test_the_same_seed_builds_the_same_business_on_either_engine(built, templates):
    other = Database(templates.sqlite_url())
    try:
        again = open_context(other)
        demo.build_demo(again)
        assert sorted(map(_row, queries.stock(again))) == sorted(map(_row, queries.stock(built.ctx)))
    finally:
        other.dispose()


def _row(r):
    return (r.sku, r.location, r.lot or "", r.on_hand, r.reserved, r.quarantined, r.in_transit, r.on_order)


def _places(ctx):
    with ctx.reading() as uow:
        return uow.catalog.physical_locations()
