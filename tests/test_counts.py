"""Cycle counts: a blind sheet, entered counts, and variances posted as of the moment of counting."""

from __future__ import annotations

import pytest

from stockdesk.domain.errors import InvalidInput, InvalidState, NotFound, PermissionDenied
from stockdesk.services import queries, stock, transfers
from stockdesk.services.counts import count_variances, enter_count, post_count, start_count
from stockdesk.services.reconcile import reconcile
from tests.builders import as_user, freeze, level, refused


@pytest.fixture
def shelves(world):
    freeze(world)
    stock.receive(world, "TEE-M", 10, to="WH1-A-01")
    stock.receive(world, "MILK-1L", 6, to="WH1-A-02", lot="L-1", expiry="2030-07-01")
    return world


def test_the_count_sheet_is_blind(shelves):
    sheet = start_count(shelves, "WH1")

    assert sheet.status == "open"
    assert {(line.sku, line.location, line.lot) for line in sheet.lines} == {
        ("TEE-M", "WH1-A-01", None),
        ("MILK-1L", "WH1-A-02", "L-1"),
    }
    assert all(line.book is None and line.variance is None and line.counted is None for line in sheet.lines)


def test_an_entered_count_is_shown_without_the_books(shelves):
    session = start_count(shelves, "WH1-A-01").session_id

    line = enter_count(shelves, session, "TEE-M", 8)

    assert (line.counted, line.book, line.variance) == (8, None, None)


def test_the_variance_is_posted_as_of_the_count_so_later_sales_are_kept(shelves):
    session = start_count(shelves, "WH1-A-01").session_id
    enter_count(shelves, session, "TEE-M", 8)  # two missing when counted
    stock.sell(shelves, "TEE-M", 3, source="WH1-A-01")  # sold while the count was going on

    [review] = count_variances(shelves, session).lines
    assert (review.book, review.counted, review.variance) == (10, 8, -2)

    result = post_count(shelves, session)

    [move] = result.movements
    assert (move.kind, move.qty, move.to_location, move.reason) == ("count", 2, "@ADJUSTMENT", "COUNT")
    assert (move.before_qty, move.after_qty) == (7, 5)
    assert level(shelves, "TEE-M", "WH1-A-01") == (5, 0, 0)
    assert count_variances(shelves, session).status == "posted"
    assert reconcile(shelves).clean


def test_a_count_above_the_books_adds_stock_to_the_counted_lot(shelves):
    session = start_count(shelves, "WH1").session_id
    enter_count(shelves, session, "MILK-1L", 7, lot="L-1")

    [move] = post_count(shelves, session).movements

    assert (move.from_location, move.to_location, move.lot, move.qty) == ("@ADJUSTMENT", "WH1-A-02", "L-1", 1)
    assert level(shelves, "MILK-1L", "WH1-A-02") == (7, 0, 0)


def test_an_item_found_where_the_books_have_none_is_counted_in(shelves):
    session = start_count(shelves, "WH1").session_id
    enter_count(shelves, session, "TEE-M", 2, at="WH1-B-01")

    post_count(shelves, session)

    assert level(shelves, "TEE-M", "WH1-B-01") == (2, 0, 0)
    assert level(shelves, "TEE-M", "WH1-A-01") == (10, 0, 0)  # not counted: left alone


def test_a_count_is_refused_while_a_transfer_into_the_location_is_in_transit(shelves):
    transfer = transfers.request_transfer(shelves, [("TEE-M", 4)], source="WH1-A-01", dest="SHOP-FRONT")
    transfers.approve_transfer(shelves, transfer.id)
    transfers.pick_transfer(shelves, transfer.id)

    for place in ("SHOP", "SHOP-FRONT"):
        with refused(shelves, InvalidState, f"Transfer {transfer.id} into {place} is picked but not received"):
            start_count(shelves, place)
    transfers.receive_transfer(shelves, transfer.id)
    assert start_count(shelves, "SHOP").lines[0].sku == "TEE-M"


def test_staff_may_count_but_not_post(shelves):
    clerk = as_user(shelves, "sam", role="staff")
    session = start_count(clerk, "WH1-A-01").session_id
    enter_count(clerk, session, "TEE-M", 9)

    with refused(shelves, PermissionDenied, "sam is signed in as staff and may not post cycle counts"):
        post_count(clerk, session)


def test_a_posted_count_is_closed(shelves):
    session = start_count(shelves, "WH1-A-01").session_id
    enter_count(shelves, session, "TEE-M", 9)
    first = post_count(shelves, session)

    assert post_count(shelves, session).posting_id == first.posting_id  # a second press replays
    with refused(shelves, InvalidState, f"Count {session} is already posted"):
        enter_count(shelves, session, "TEE-M", 1)


@pytest.mark.parametrize(("qty", "match"), [(-1, "zero or more"), ("lots", "a whole number")])
def test_a_bad_counted_quantity_is_refused(shelves, qty, match):
    session = start_count(shelves, "WH1-A-01").session_id

    with refused(shelves, InvalidInput, f"Counted quantity must be {match}"):
        enter_count(shelves, session, "TEE-M", qty)


def test_a_count_outside_the_counted_location_is_refused(shelves):
    session = start_count(shelves, "WH1-A-01").session_id

    with refused(shelves, InvalidInput, "SHOP-FRONT is not part of this count of WH1-A-01"):
        enter_count(shelves, session, "TEE-M", 1, at="SHOP-FRONT")


def test_an_unknown_count_is_refused(shelves):
    with refused(shelves, NotFound, "There is no count number 999"):
        enter_count(shelves, 999, "TEE-M", 1)


def test_a_count_of_zero_everywhere_empties_the_shelf(shelves):
    session = start_count(shelves, "WH1-A-01").session_id
    enter_count(shelves, session, "TEE-M", 0)
    post_count(shelves, session)

    assert queries.stock(shelves, "TEE-M") == []


def test_a_count_that_matches_the_books_posts_without_movements(shelves):
    session = start_count(shelves, "WH1").session_id
    enter_count(shelves, session, "TEE-M", 10)
    enter_count(shelves, session, "MILK-1L", 6, lot="L-1")

    result = post_count(shelves, session)

    assert (result.movements, result.reference) == ((), f"COUNT-{session}")
    assert count_variances(shelves, session).status == "posted"
    assert level(shelves, "TEE-M", "WH1-A-01") == (10, 0, 0)
