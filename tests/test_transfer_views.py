"""The transfers screen's reads: the list with its totals, one transfer with what is free to pick,
and which transfer a scanned label names."""

from __future__ import annotations

import pytest

from stockdesk.domain.errors import InvalidInput, NotFound
from stockdesk.services import stock, transfers
from stockdesk.services.transfer_views import transfer_detail, transfer_number, transfer_summaries
from tests.builders import as_user, refused


@pytest.fixture
def three(world):
    """One transfer received with a short and a damaged unit, one picked, one only requested."""
    stock.receive(world, "TEE-M", 20, to="WH1-A-01")
    manager = as_user(world, "maria", "manager")
    ids = []
    for dest in ("SHOP-FRONT", "SHOP-BACK", "SHOP-FRONT"):
        ids.append(transfers.request_transfer(world, [("TEE-M", 4)], source="WH1-A-01", dest=dest).id)
    for transfer_id in ids[:2]:
        transfers.approve_transfer(manager, transfer_id)
        transfers.pick_transfer(world, transfer_id)
    transfers.receive_transfer(world, ids[0], [transfers.LineReceipt("TEE-M", received=2, damaged=1)])
    return world, ids


def test_the_list_has_newest_first_with_people_and_totals(three):
    ctx, (received, picked, requested) = three

    rows = transfer_summaries(ctx)

    assert [(r.id, r.status) for r in rows] == [(requested, "requested"), (picked, "picked"), (received, "received")]
    first = rows[-1]
    assert (first.lines, first.units, first.received, first.damaged, first.short, first.in_transit) == (
        1,
        4,
        2,
        1,
        1,
        0,
    )
    assert (first.requested_by, first.approved_by, first.reference) == ("owner", "maria", f"TRANSFER-{received}")
    assert rows[1].in_transit == 4


def test_the_list_filters_by_status_and_place(three):
    ctx, (received, picked, requested) = three
    stock.receive(ctx, "TEE-M", 3, to="SHOP-BACK")
    back = transfers.request_transfer(ctx, [("TEE-M", 1)], source="SHOP-BACK", dest="WH1-A-02").id

    assert [r.id for r in transfer_summaries(ctx, "requested")] == [back, requested]
    assert [r.id for r in transfer_summaries(ctx, site="SHOP-BACK")] == [back, picked]
    assert [r.id for r in transfer_summaries(ctx, "requested", site="SHOP-FRONT")] == [requested]
    assert [r.id for r in transfer_summaries(ctx, site="SHOP")] == [back, requested, picked, received]


def test_detail_shows_what_is_free_at_the_source_until_picked(three):
    ctx, (_, picked, requested) = three

    waiting, moving = transfer_detail(ctx, requested), transfer_detail(ctx, picked)

    [line] = waiting.lines
    assert (line.sku, line.requested, line.free_at_source) == ("TEE-M", 4, 20 - 4 - 4)
    [line] = moving.lines
    assert (line.picked, line.in_transit, line.free_at_source) == (4, 4, None)


def test_an_unknown_transfer_or_status_is_refused(world):
    with refused(world, NotFound, "There is no transfer number 404"):
        transfer_detail(world, 404)
    with refused(world, InvalidInput, "'lost' is not a transfer status"):
        transfer_summaries(world, "lost")


@pytest.mark.parametrize(("code", "number"), [("TRANSFER-12", 12), ("transfer-12", 12), (" 7 ", 7), ("#31", 31)])
def test_a_transfer_label_or_number_names_the_transfer(code, number):
    assert transfer_number(code) == number


@pytest.mark.parametrize("code", ["TEE-M", "TRANSFER-", "12a"])
def test_anything_else_is_not_a_transfer(code):
    with pytest.raises(InvalidInput, match=r"is not a transfer\. Scan the transfer's label"):
        transfer_number(code)
