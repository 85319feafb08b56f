"""The plain-Python rules: quantities, level deltas, ABC classes, contention switching, validation."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from stockdesk.domain import abc, validate
from stockdesk.domain.contention import ContentionTracker
from stockdesk.domain.errors import InvalidInput
from stockdesk.domain.postings import MovementDraft, level_deltas
from stockdesk.domain.quantities import Bucket, Kind, Leg, LevelDelta

SUPPLIER, CUSTOMER, BIN = 1, 2, 10


def test_a_reservation_moves_units_between_buckets_of_one_level_row():
    draft = MovementDraft(Kind.RESERVE, 7, 3, Leg(BIN, Bucket.AVAILABLE), Leg(BIN, Bucket.RESERVED))
    deltas = level_deltas([draft], keeps_levels=lambda loc: loc == BIN)
    assert deltas == {(7, BIN, 0): LevelDelta(on_hand=0, reserved=3)}
    assert not deltas[(7, BIN, 0)].is_valid_level, "a reservation needs the guarded path"


def test_movements_to_unbounded_virtual_places_change_no_level():
    sale = MovementDraft(Kind.SELL, 7, 2, Leg(BIN), Leg(CUSTOMER))
    receipt = MovementDraft(Kind.RECEIVE, 7, 2, Leg(SUPPLIER), Leg(BIN))
    assert level_deltas([sale, receipt], keeps_levels=lambda loc: loc == BIN) == {}


def test_only_additions_may_be_upserted():
    assert LevelDelta(on_hand=5, quarantined=5).is_valid_level
    assert not LevelDelta(on_hand=-1).is_valid_level
    assert not LevelDelta(reserved=1).is_valid_level


def test_a_movement_quantity_is_always_positive():
    with pytest.raises(ValueError):
        MovementDraft(Kind.SELL, 7, 0, Leg(BIN), Leg(CUSTOMER))


def test_abc_classes_follow_the_cumulative_share_of_usage_value():
    usage = [(1, 700.0), (2, 150.0), (3, 90.0), (4, 40.0), (5, 20.0), (6, 0.0)]
    assert abc.classify(usage) == {1: "A", 2: "A", 3: "B", 4: "B", 5: "C", 6: "C"}


def test_an_item_is_due_for_counting_by_its_class_interval():
    now = datetime(2026, 11, 1)
    assert abc.is_due("A", None, now)
    assert abc.is_due("A", now - timedelta(days=31), now)
    assert not abc.is_due("C", now - timedelta(days=31), now)


def test_a_hot_item_switches_to_row_locks_once_retries_cross_the_threshold():
    tracker = ContentionTracker(threshold=0.25, min_attempts=10)
    for _ in range(10):
        tracker.record("calm", 0)
        tracker.record("hot", 1)
    assert not tracker.is_hot("calm")
    assert tracker.is_hot("hot")
    assert tracker.retry_rate("hot") == pytest.approx(0.5)


def test_too_few_attempts_never_switch():
    tracker = ContentionTracker(threshold=0.25, min_attempts=10)
    for _ in range(9):
        tracker.record("new", 3)
    assert not tracker.is_hot("new")


@pytest.mark.parametrize("text", ["abc", "1.5", "", "-3", "0"])
def test_quantities_must_be_positive_whole_numbers(text):
    with pytest.raises(InvalidInput, match="Quantity must be"):
        validate.quantity(text)


def test_signed_quantities_keep_their_sign():
    assert validate.signed_quantity("-4") == -4
    assert validate.signed_quantity(3) == 3
    with pytest.raises(InvalidInput):
        validate.signed_quantity("0")


def test_dates_are_written_iso():
    assert str(validate.iso_date("2027-01-31", what="Expiry date")) == "2027-01-31"
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        validate.iso_date("31/01/2027", what="Expiry date")
