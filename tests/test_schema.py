"""What the database itself enforces, with raw SQL that bypasses the services; and the migrations."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from stockdesk.db.engine import make_engine
from stockdesk.db.migrate import current_revision, head_revision, migrations_head, upgrade_to_head
from stockdesk.db.records import Base
from stockdesk.services import stock
from tests.builders import snapshot


@pytest.fixture
def posted(world):
    stock.receive(world, "TEE-M", 10, to="WH1-A-01", key="PO-1:1")
    return world


def raw(ctx, sql: str, **params) -> None:
    with ctx.database.engine.begin() as conn:
        conn.execute(text(sql), params)


@pytest.fixture
def refused_by_database(posted):
    """Run raw SQL that the schema must reject, and check that it changed nothing."""

    def check(sql: str, match: str, **params) -> None:
        before = snapshot(posted)
        with pytest.raises(IntegrityError, match=match):
            raw(posted, sql, **params)
        assert snapshot(posted) == before

    return check


# -- the ledger is append-only ---------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE movements SET qty = qty + 1",
        "DELETE FROM movements",
        "UPDATE postings SET note = 'edited'",
        "DELETE FROM postings",
    ],
)
def test_ledger_rows_cannot_be_edited_or_deleted(refused_by_database, sql):
    verb, table = ("UPDATE", sql.split()[1]) if sql.startswith("UPDATE") else ("DELETE", sql.split()[2])
    refused_by_database(sql, f"ledger rows are append-only: {verb} on {table} refused")


# -- levels can never go negative or oversold --------------------------------------------------


@pytest.mark.parametrize(
    ("on_hand", "reserved", "quarantined", "constraint"),
    [
        # A negative on hand also breaks reserved + quarantined <= on hand; engines report either first.
        (-1, 0, 0, "ck_levels_(on_hand|not_oversold)"),
        (5, -1, 0, "ck_levels_reserved"),
        (5, 0, -1, "ck_levels_quarantined"),
        (5, 3, 3, "ck_levels_not_oversold"),
    ],
)
def test_each_level_check_constraint_rejects_a_bad_row(refused_by_database, on_hand, reserved, quarantined, constraint):
    refused_by_database(
        "INSERT INTO levels (variant_id, location_id, lot_id, on_hand, reserved, quarantined, version) "
        "SELECT v.id, l.id, 0, :on_hand, :reserved, :quarantined, 0 FROM variants v, locations l "
        "WHERE v.sku = 'TEE-M' AND l.code = 'WH1-A-02'",
        constraint,
        on_hand=on_hand,
        reserved=reserved,
        quarantined=quarantined,
    )


def test_a_raw_update_cannot_oversell_an_existing_level(refused_by_database):
    refused_by_database("UPDATE levels SET reserved = on_hand + 1", "ck_levels_not_oversold")


def test_an_idempotency_key_is_unique_in_the_database(refused_by_database):
    refused_by_database(
        "INSERT INTO postings (idempotency_key, fingerprint, kind, posted_at) "
        "VALUES ('PO-1:1', 'other', 'receive', CURRENT_TIMESTAMP)",
        "idempotency_key",
    )


# -- migrations ------------------------------------------------------------------------------


@pytest.fixture
def empty_database(backend, templates, tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}" if backend == "sqlite" else templates.empty_pg_url()
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_an_empty_database_migrates_to_head_and_matches_the_models(empty_database):
    assert current_revision(empty_database) is None

    upgrade_to_head(empty_database)

    assert current_revision(empty_database) == head_revision()
    with empty_database.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        codes = conn.execute(text("SELECT code FROM locations WHERE is_virtual ORDER BY id")).scalars().all()
        owners = conn.execute(text("SELECT username FROM users WHERE role = 'owner'")).scalars().all()
    assert codes == ["@SUPPLIER", "@CUSTOMER", "@ADJUSTMENT", "@SCRAP", "@TRANSIT"]
    assert owners == ["owner"]


def test_the_head_the_code_expects_is_the_migrations_head():
    assert head_revision() == migrations_head() != ""


def test_migrating_twice_changes_nothing(empty_database):
    upgrade_to_head(empty_database)
    upgrade_to_head(empty_database)
    assert current_revision(empty_database) == head_revision()
