"""What to count next (items due by ABC class at a place, open counts), the blind sheet of an open
count, and the books kept from those who may not post a count."""

from __future__ import annotations

import pytest

from stockdesk.domain.errors import NotFound, PermissionDenied
from stockdesk.services import counts, stock
from stockdesk.services.count_planning import due_items, open_counts
from tests.builders import as_user, freeze, refused


@pytest.fixture
def shelves(world):
    clock = freeze(world)
    stock.receive(world, "TEE-M", 10, to="WH1-A-01")
    stock.receive(world, "TEE-M", 4, to="WH1-A-02")
    stock.receive(world, "MILK-1L", 6, to="WH1-A-02", lot="L-1", expiry="2031-07-01")
    stock.receive(world, "PHONE-X", 1, to="SHOP-FRONT", serials=["SN-1"])
    stock.sell(world, "TEE-M", 2, source="WH1-A-01")  # the only usage: TEE-M is class A, the rest C
    clock.advance(days=1)
    return world


def test_the_items_due_at_a_place_come_by_class(shelves):
    rows = due_items(shelves, "WH1")

    assert [(r.sku, r.abc_class, r.places, r.last_counted, r.due_since) for r in rows] == [
        ("TEE-M", "A", 2, None, None),
        ("MILK-1L", "C", 1, None, None),
    ]
    assert [r.sku for r in due_items(shelves, "WH1-A-01")] == ["TEE-M"]
    assert [r.sku for r in due_items(shelves, "SHOP")] == ["PHONE-X"]


def test_a_counted_item_is_due_again_after_its_class_interval(shelves):
    session = counts.start_count(shelves, "WH1-A-01").session_id
    counts.enter_count(shelves, session, "TEE-M", 8)
    counted_at = shelves.now()

    assert [r.sku for r in due_items(shelves, "WH1")] == ["MILK-1L"]
    shelves.clock.advance(days=30)
    [again, _] = due_items(shelves, "WH1")
    assert (again.sku, again.last_counted, again.due_since) == ("TEE-M", counted_at, shelves.now())


def test_the_due_list_matches_a_due_only_count(shelves):
    session = counts.start_count(shelves, "WH1-A-01").session_id
    counts.enter_count(shelves, session, "TEE-M", 8)

    sheet = counts.start_count(shelves, "WH1", only_due=True)

    assert {line.sku for line in sheet.lines} == {r.sku for r in due_items(shelves, "WH1")} == {"MILK-1L"}


def test_open_counts_show_how_far_each_has_got(shelves):
    first = counts.start_count(shelves, "WH1").session_id
    counts.enter_count(shelves, first, "TEE-M", 10, at="WH1-A-01")
    second = counts.start_count(shelves, "SHOP-FRONT").session_id
    done = counts.start_count(shelves, "WH1-A-01").session_id
    counts.post_count(shelves, done)

    rows = open_counts(shelves)

    assert [(r.id, r.location, r.started_by, r.lines, r.counted) for r in rows] == [
        (first, "WH1", "owner", 3, 1),
        (second, "SHOP-FRONT", "owner", 1, 0),
    ]
    assert [r.id for r in open_counts(shelves, within="SHOP")] == [second]
    assert open_counts(shelves, within="WH1-B-01") == []


def test_the_sheet_of_an_open_count_stays_blind(shelves):
    session = counts.start_count(shelves, "WH1-A-01").session_id
    counts.enter_count(shelves, session, "TEE-M", 7)

    [line] = counts.count_sheet(shelves, session).lines

    assert (line.sku, line.counted, line.book, line.variance, line.value) == ("TEE-M", 7, None, None, None)
    with pytest.raises(NotFound, match="There is no count number 999"):
        counts.count_sheet(shelves, 999)


def test_only_those_who_may_post_a_count_see_its_books(shelves):
    clerk = as_user(shelves, "sam", role="staff")
    session = counts.start_count(clerk, "WH1-A-01").session_id

    with refused(shelves, PermissionDenied, "sam is signed in as staff and may not post cycle counts"):
        counts.count_variances(clerk, session)
