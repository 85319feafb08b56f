"""The adjustments desk's services: quick adjustments that need a reason and a note, the filtered
history of corrections, and the pattern of items that keep going missing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from stockdesk.domain.errors import InvalidInput, NotFound, PermissionDenied
from stockdesk.services import adjustments, counts, stock
from stockdesk.services.adjustments import HistoryFilter, history, loss_pattern, quick_adjust, reverse_movement
from tests.builders import as_user, freeze, level, refused


@pytest.fixture
def shelves(world):
    clock = freeze(world)  # 2030-06-01 09:00
    stock.receive(world, "TEE-M", 20, to="WH1-A-01")
    stock.receive(world, "TEE-M", 5, to="SHOP-FRONT")
    stock.receive(world, "MILK-1L", 10, to="WH1-A-02", lot="L-1", expiry="2031-01-01")
    clock.advance(days=1)
    return world


def test_a_quick_adjustment_records_reason_note_and_who(shelves):
    [move] = quick_adjust(shelves, "TEE-M", "-2", at="WH1-A-01", reason="damaged", note="dropped").movements

    assert (move.reason, move.note, move.user, move.before_qty, move.after_qty) == (
        "DAMAGED",
        "dropped",
        "owner",
        20,
        18,
    )
    assert level(shelves, "TEE-M", "WH1-A-01") == (18, 0, 0)


@pytest.mark.parametrize(
    ("reason", "note", "match"),
    [
        ("", "dropped", "Choose a reason for the adjustment"),
        (None, "dropped", "Choose a reason for the adjustment"),
        ("DAMAGED", "", "Write a note saying what happened"),
        ("DAMAGED", "   ", "Write a note saying what happened"),
        ("DAMAGED", "x" * 1001, "A note may be at most 1000 characters; this one has 1001"),
        ("BROKEN", "dropped", "'BROKEN' is not a reason code"),
    ],
)
def test_a_quick_adjustment_without_a_reason_or_a_note_is_refused(shelves, reason, note, match):
    with refused(shelves, InvalidInput, match):
        quick_adjust(shelves, "TEE-M", -1, at="WH1-A-01", reason=reason, note=note)


def test_staff_may_not_adjust_at_the_desk(shelves):
    clerk = as_user(shelves, "sam", role="staff")

    with refused(shelves, PermissionDenied, "sam is signed in as staff and may not make adjustments"):
        quick_adjust(clerk, "TEE-M", -1, at="WH1-A-01", reason="DAMAGED", note="dropped")


def test_a_reversal_needs_a_note_and_happens_once(shelves):
    [move] = quick_adjust(shelves, "TEE-M", -3, at="WH1-A-01", reason="LOST", note="gone").movements

    with refused(shelves, InvalidInput, "Write a note saying why the movement is reversed"):
        reverse_movement(shelves, move.id, note=" ")
    [undo] = reverse_movement(shelves, move.id, note="found them after all").movements
    with refused(shelves, InvalidInput, f"Movement {move.id} has already been reversed"):
        reverse_movement(shelves, move.id, note="again")

    assert (undo.reverses_id, undo.note, undo.reason) == (move.id, "found them after all", "REVERSAL")
    assert level(shelves, "TEE-M", "WH1-A-01") == (20, 0, 0)


# -- history ----------------------------------------------------------------------------------


@pytest.fixture
def corrections(shelves):
    """Three days of corrections by two people; the receipts are not corrections."""
    manager = as_user(shelves, "maria", role="manager")
    manager.clock = shelves.clock
    quick_adjust(shelves, "TEE-M", -1, at="WH1-A-01", reason="DAMAGED", note="torn")  # 2030-06-02
    shelves.clock.advance(days=1)
    quick_adjust(manager, "MILK-1L", -2, at="WH1-A-02", reason="EXPIRED", note="sour", lot="L-1")  # 06-03
    quick_adjust(manager, "TEE-M", 1, at="SHOP-FRONT", reason="FOUND", note="under the counter")
    shelves.clock.advance(days=1)
    stock.sell(shelves, "TEE-M", 1, source="SHOP-FRONT")  # 06-04, not a correction
    return shelves


def _seen(found):
    return [(r.movement.sku, r.place, r.change, r.movement.reason, r.movement.user) for r in found.rows]


def test_the_history_lists_corrections_newest_first_with_the_signed_change(corrections):
    found = history(corrections, HistoryFilter())

    assert _seen(found) == [
        ("TEE-M", "SHOP-FRONT", 1, "FOUND", "maria"),
        ("MILK-1L", "WH1-A-02", -2, "EXPIRED", "maria"),
        ("TEE-M", "WH1-A-01", -1, "DAMAGED", "owner"),
    ]
    assert not found.more


def test_every_movement_when_asked(corrections):
    kinds = [r.movement.kind for r in history(corrections, HistoryFilter(corrections_only=False)).rows]

    assert kinds == ["sell", "adjust", "adjust", "adjust", "receive", "receive", "receive"]


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        (HistoryFilter(sku="TEE-M"), [("SHOP-FRONT", 1), ("WH1-A-01", -1)]),
        (HistoryFilter(sku="4006381333931"), [("SHOP-FRONT", 1), ("WH1-A-01", -1)]),
        (HistoryFilter(reason="expired"), [("WH1-A-02", -2)]),
        (HistoryFilter(user="owner"), [("WH1-A-01", -1)]),
        (HistoryFilter(user="maria", sku="TEE-M"), [("SHOP-FRONT", 1)]),
        (HistoryFilter(since=date(2030, 6, 3)), [("SHOP-FRONT", 1), ("WH1-A-02", -2)]),
        (HistoryFilter(until=date(2030, 6, 2)), [("WH1-A-01", -1)]),
        (HistoryFilter(since=date(2030, 6, 3), until=date(2030, 6, 3)), [("SHOP-FRONT", 1), ("WH1-A-02", -2)]),
        (HistoryFilter(since=date(2030, 6, 5)), []),
    ],
)
def test_the_history_filters_by_item_reason_user_and_dates(corrections, wanted, expected):
    assert [(r.place, r.change) for r in history(corrections, wanted).rows] == expected


def test_a_reversed_movement_shows_what_reversed_it(corrections):
    original = history(corrections, HistoryFilter(reason="DAMAGED")).rows[0].movement
    [undo] = reverse_movement(corrections, original.id, note="not torn").movements

    rows = {r.movement.id: r for r in history(corrections, HistoryFilter(sku="TEE-M")).rows}

    assert rows[original.id].reversed_by == undo.id
    assert (rows[undo.id].place, rows[undo.id].change, rows[undo.id].reversed_by) == ("WH1-A-01", 1, None)


def test_the_history_says_when_there_is_more_than_it_shows(corrections):
    found = history(corrections, HistoryFilter(), limit=2)

    assert [r.change for r in found.rows] == [1, -2] and found.more


def test_a_bad_history_filter_is_refused(corrections):
    with pytest.raises(NotFound, match="No item has the SKU or barcode 'NOPE'"):
        history(corrections, HistoryFilter(sku="NOPE"))
    with pytest.raises(InvalidInput, match=r"starts \(2030-06-04\) after it ends \(2030-06-02\)"):
        history(corrections, HistoryFilter(since=date(2030, 6, 4), until=date(2030, 6, 2)))


def test_the_filters_offer_every_reason_and_user(corrections):
    choices = adjustments.filter_choices(corrections)

    assert {"DAMAGED", "FOUND", "COUNT", "REVERSAL"} <= set(choices.reasons)
    assert choices.users == ("maria", "owner")


# -- the pattern ------------------------------------------------------------------------------


def test_the_pattern_lists_items_lost_repeatedly_at_one_place_worst_first(shelves):
    for qty, reason in ((1, "THEFT"), (2, "LOST"), (1, "DAMAGED")):
        quick_adjust(shelves, "TEE-M", -qty, at="WH1-A-01", reason=reason, note="again")
    quick_adjust(shelves, "MILK-1L", -1, at="WH1-A-02", reason="EXPIRED", note="sour", lot="L-1")
    session = counts.start_count(shelves, "WH1-A-02").session_id
    counts.enter_count(shelves, session, "MILK-1L", 6, lot="L-1")  # 9 booked: three more missing
    counts.post_count(shelves, session)
    quick_adjust(shelves, "TEE-M", -1, at="SHOP-FRONT", reason="THEFT", note="once only")
    quick_adjust(shelves, "TEE-M", 2, at="SHOP-FRONT", reason="FOUND", note="gains are not losses")
    quick_adjust(shelves, "TEE-M", 3, at="SHOP-FRONT", reason="FOUND", note="gains are not losses")

    rows = loss_pattern(shelves, since=date(2030, 6, 1))

    assert [(r.sku, r.location, r.adjustments, r.units_lost, r.value_lost) for r in rows] == [
        ("TEE-M", "WH1-A-01", 3, 4, Decimal("18.00")),
        ("MILK-1L", "WH1-A-02", 2, 4, Decimal("2.40")),
    ]
    assert rows[0].last_at == shelves.now()


def test_a_reversed_loss_no_longer_counts(shelves):
    first = quick_adjust(shelves, "TEE-M", -1, at="WH1-A-01", reason="LOST", note="gone").movements[0]
    quick_adjust(shelves, "TEE-M", -1, at="WH1-A-01", reason="LOST", note="gone again")
    assert [r.adjustments for r in loss_pattern(shelves, since=date(2030, 6, 1))] == [2]

    reverse_movement(shelves, first.id, note="it was on the wrong shelf")

    assert loss_pattern(shelves, since=date(2030, 6, 1)) == []


def test_the_pattern_looks_only_at_its_period(shelves):
    quick_adjust(shelves, "TEE-M", -1, at="WH1-A-01", reason="LOST", note="gone")  # 2030-06-02
    shelves.clock.advance(days=10)
    quick_adjust(shelves, "TEE-M", -1, at="WH1-A-01", reason="LOST", note="gone again")  # 06-12

    assert loss_pattern(shelves, since=date(2030, 6, 3)) == []
    assert loss_pattern(shelves, since=date(2030, 6, 1), until=date(2030, 6, 11)) == []
    assert [r.units_lost for r in loss_pattern(shelves, since=date(2030, 6, 2))] == [2]
