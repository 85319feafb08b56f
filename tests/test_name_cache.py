"""The per-database name cache never remembers a row that its transaction rolled back."""

from __future__ import annotations

from stockdesk.domain.quantities import LocationKind


def test_a_rolled_back_location_is_not_remembered(ctx):
    with ctx.writing() as uow:
        ghost = uow.catalog.add_location(
            code="GHOST", name="Never committed", kind=LocationKind.SITE, parent=None, sort_key=""
        )
        assert uow.catalog.location(ghost.id).code == "GHOST"
        # leaving without commit rolls back

    with ctx.writing() as uow:
        real = uow.catalog.add_location(code="REAL", name="Committed", kind=LocationKind.SITE, parent=None, sort_key="")
        uow.commit()

    with ctx.reading() as uow:
        assert uow.catalog.location_by_code("GHOST") is None
        assert uow.catalog.location(real.id).code == "REAL"
        if real.id == ghost.id:  # SQLite hands the id out again; PostgreSQL's sequence does not
            assert uow.catalog.location(ghost.id).code == "REAL"


def test_what_a_committed_unit_of_work_looked_up_is_shared(ctx):
    with ctx.writing() as uow:
        site = uow.catalog.add_location(code="SITE-1", name="Site", kind=LocationKind.SITE, parent=None, sort_key="")
        uow.commit()
    assert ("location-by-id", site.id) in ctx.database.names.maps
