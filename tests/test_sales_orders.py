"""Sales orders: created by hand, confirmed at a site (FEFO, walking order, shortages), cancelled."""

from __future__ import annotations

import time
from datetime import datetime
from decimal import Decimal

import pytest

from stockdesk.db.sales_queries import SalesReader
from stockdesk.domain.errors import AlreadyExists, InvalidInput, InvalidState, NotFound
from stockdesk.domain.sales import LineCounts, status_of, weight_tolerance
from stockdesk.services import queries, stock
from stockdesk.services.reconcile import reconcile
from stockdesk.services.sales_orders import (
    Shortage,
    SoLineInput,
    cancel_order,
    confirm_order,
    create_order,
    get_order,
    list_orders,
)
from tests.builders import as_user, freeze, level, refused
from tests.race_workers import race_threads


def order_of(ctx, *lines: tuple[str, int], customer: str = "Ada Lovelace", **options) -> int:
    return create_order(ctx, customer, [SoLineInput(sku, qty) for sku, qty in lines], **options).id


def reserved_at(ctx, order_id: int) -> list[tuple[str, str, str | None, int]]:
    """(sku, location, lot, qty) of the order's RESERVE movements, in posting order."""
    return [
        (m.sku, m.to_location, m.lot, m.qty)
        for sku in {line.sku for line in get_order(ctx, order_id).lines}
        for m in queries.history(ctx, sku)
        if m.kind == "reserve" and m.reference == f"SO-{order_id}"
    ]


def test_a_manual_order_is_a_draft_known_by_its_own_number(world):
    freeze(world)
    order = create_order(
        world,
        "  Ada Lovelace ",
        [SoLineInput("TEE-M", 2), SoLineInput("4006381333931", "1"), SoLineInput("MILK-1L", 3, "0.99")],
        ship_to="12 St James's Square, London",
    )

    assert (order.number, order.external_ref, order.channel) == (f"SO-{order.id}", f"SO-{order.id}", "manual")
    assert (order.customer_name, order.status, order.site) == ("Ada Lovelace", "draft", None)
    assert order.ordered_at == datetime(2030, 6, 1, 9, 0)
    assert [(line.sku, line.ordered, line.unit_price) for line in order.lines] == [
        ("TEE-M", 3, Decimal("12.0000")),
        ("MILK-1L", 3, Decimal("0.9900")),
    ]
    assert not order.verified
    assert get_order(world, order.id) == order


def test_a_web_shop_order_keeps_the_shops_number(world):
    order = create_order(world, "Bob", [SoLineInput("TEE-M", 1)], external_ref="#1001", channel="webshop")

    assert (order.number, order.external_ref, order.channel) == (f"SO-{order.id}", "#1001", "webshop")
    with refused(world, AlreadyExists, f"Order #1001 of webshop is already on the books as SO-{order.id}"):
        create_order(world, "Bob", [SoLineInput("TEE-M", 1)], external_ref="#1001", channel="webshop")


@pytest.mark.parametrize(
    ("customer", "lines", "error", "match"),
    [
        ("Ada", [], InvalidInput, "needs at least one line"),
        (" ", [SoLineInput("TEE-M", 1)], InvalidInput, "Customer name cannot be empty"),
        ("Ada", [SoLineInput("NOPE", 1)], NotFound, "No item has the SKU or barcode 'NOPE'"),
        ("Ada", [SoLineInput("TEE-M", 0)], InvalidInput, "greater than zero"),
        ("Ada", [SoLineInput("TEE-M", "two")], InvalidInput, "'two' is not"),
        ("Ada", [SoLineInput("TEE-M", 1, "-3")], InvalidInput, "Unit price of TEE-M cannot be negative"),
        (
            "Ada",
            [SoLineInput("TEE-M", 1, "10"), SoLineInput("TEE-M", 1, "11")],
            InvalidInput,
            "TEE-M is on the order twice at different prices",
        ),
    ],
)
def test_a_bad_order_is_refused(world, customer, lines, error, match):
    with refused(world, error, match):
        create_order(world, customer, lines)


def test_a_bad_order_date_is_refused(world):
    with refused(world, InvalidInput, "Order date must be written YYYY-MM-DD"):
        create_order(world, "Ada", [SoLineInput("TEE-M", 1)], ordered_at="yesterday")


def test_confirming_reserves_first_expiring_lots_first_then_in_walking_order(world):
    freeze(world)
    stock.receive(world, "MILK-1L", 5, to="WH1-A-01", lot="L-OLD", expiry="2030-06-02")
    stock.receive(world, "MILK-1L", 4, to="WH1-A-01", lot="L-LATE", expiry="2030-07-01")
    stock.receive(world, "MILK-1L", 3, to="WH1-B-01", lot="L-SOON", expiry="2030-06-15")
    stock.receive(world, "MILK-1L", 9, to="SHOP-FRONT", lot="L-SHOP", expiry="2030-06-10")
    stock.receive(world, "TEE-M", 5, to="WH1-A-02")
    stock.receive(world, "TEE-M", 2, to="WH1-A-01")
    world.clock.advance(days=2)  # L-OLD has expired
    order_id = order_of(world, ("MILK-1L", 6), ("TEE-M", 4))

    result = confirm_order(world, order_id, site="WH1")

    assert result.shortages == ()
    assert (result.order.status, result.order.site) == ("confirmed", "WH1")
    assert [(line.sku, line.reserved) for line in result.order.lines] == [("MILK-1L", 6), ("TEE-M", 4)]
    assert sorted(reserved_at(world, order_id)) == [
        ("MILK-1L", "WH1-A-01", "L-LATE", 3),
        ("MILK-1L", "WH1-B-01", "L-SOON", 3),
        ("TEE-M", "WH1-A-01", None, 2),
        ("TEE-M", "WH1-A-02", None, 2),
    ]
    assert level(world, "TEE-M", "WH1-A-02") == (5, 2, 0)
    assert level(world, "MILK-1L", "SHOP-FRONT") == (9, 0, 0)
    assert reconcile(world).clean


def test_a_line_that_cannot_be_fully_reserved_says_so_and_nothing_is_oversold(world):
    stock.receive(world, "TEE-M", 7, to="WH1-A-01")
    stock.receive(world, "TEE-M", 50, to="SHOP-FRONT")
    order_id = order_of(world, ("TEE-M", 10), ("MILK-1L", 2))

    result = confirm_order(world, order_id, site="WH1")

    assert result.shortages == (Shortage("TEE-M", 10, 7), Shortage("MILK-1L", 2, 0))
    assert result.order.status == "confirmed"
    assert level(world, "TEE-M", "WH1-A-01") == (7, 7, 0)
    later = order_of(world, ("TEE-M", 1))
    assert confirm_order(world, later, site="WH1").shortages == (Shortage("TEE-M", 1, 0),)


def test_confirming_again_after_a_receipt_reserves_what_is_still_missing(world):
    stock.receive(world, "TEE-M", 3, to="WH1-A-01")
    order_id = order_of(world, ("TEE-M", 5))
    confirm_order(world, order_id, site="WH1")
    stock.receive(world, "TEE-M", 10, to="WH1-B-01")

    result = confirm_order(world, order_id, site="WH1")

    assert result.shortages == ()
    assert [line.reserved for line in result.order.lines] == [5]
    assert sorted(reserved_at(world, order_id)) == [("TEE-M", "WH1-A-01", None, 3), ("TEE-M", "WH1-B-01", None, 2)]
    assert confirm_order(world, order_id, site="WH1").order.lines[0].reserved == 5
    assert level(world, "TEE-M", "WH1-B-01") == (10, 2, 0)
    assert reconcile(world).clean


def test_serial_items_reserve_units_where_free_serials_are(world):
    stock.receive(world, "PHONE-X", 1, to="WH1-A-02", serials=["SN-1"])
    stock.receive(world, "PHONE-X", 2, to="WH1-B-01", serials=["SN-2", "SN-3"])
    stock.quarantine(world, "PHONE-X", 1, at="WH1-A-02", serials=["SN-1"], note="cracked screen")
    order_id = order_of(world, ("PHONE-X", 2))

    confirm_order(world, order_id, site="WH1")

    assert reserved_at(world, order_id) == [("PHONE-X", "WH1-B-01", None, 2)]
    assert level(world, "PHONE-X", "WH1-B-01") == (2, 2, 0)


def test_an_order_is_fulfilled_from_the_site_that_holds_its_units(world):
    stock.receive(world, "TEE-M", 2, to="SHOP-FRONT")
    stock.receive(world, "TEE-M", 1, to="WH1-A-01")
    order_id = order_of(world, ("TEE-M", 5))
    confirm_order(world, order_id, site="WH1")

    with refused(world, InvalidInput, f"SO-{order_id} is fulfilled from WH1, where its units are reserved"):
        confirm_order(world, order_id, site="SHOP")
    with refused(world, InvalidInput, "WH1-A-01 is a bin, not a site; confirm the order at a site, e.g. WH1"):
        confirm_order(world, order_id, site="WH1-A-01")
    with refused(world, NotFound, "There is no location 'MARS'"):
        confirm_order(world, order_id, site="MARS")
    with refused(world, NotFound, "There is no sales order SO-999"):
        confirm_order(world, 999, site="WH1")


def test_an_order_with_nothing_reserved_may_be_confirmed_at_another_site(world):
    stock.receive(world, "TEE-M", 2, to="SHOP-FRONT")
    order_id = order_of(world, ("TEE-M", 2))
    assert confirm_order(world, order_id, site="WH1").shortages == (Shortage("TEE-M", 2, 0),)

    moved = confirm_order(world, order_id, site="SHOP")

    assert (moved.order.site, moved.shortages) == ("SHOP", ())
    assert reserved_at(world, order_id) == [("TEE-M", "SHOP-FRONT", None, 2)]


def test_cancelling_releases_every_reservation(world):
    stock.receive(world, "TEE-M", 4, to="WH1-A-01")
    stock.receive(world, "MILK-1L", 4, to="WH1-B-01", lot="L1", expiry="2099-01-01")
    order_id = order_of(world, ("TEE-M", 3), ("MILK-1L", 2))
    confirm_order(world, order_id, site="WH1")

    clerk = as_user(world, "sam", role="staff")
    cancelled = cancel_order(clerk, order_id)

    assert cancelled.status == "cancelled"
    assert [line.reserved for line in cancelled.lines] == [0, 0]
    assert level(world, "TEE-M", "WH1-A-01") == (4, 0, 0)
    assert level(world, "MILK-1L", "WH1-B-01") == (4, 0, 0)
    assert reconcile(world).clean
    with refused(world, InvalidState, f"Order SO-{order_id} is cancelled; it cannot be cancelled any more"):
        cancel_order(world, order_id)
    with refused(world, InvalidState, "is cancelled; it cannot be confirmed any more"):
        confirm_order(world, order_id, site="WH1")


def test_a_draft_can_be_cancelled(world):
    order_id = order_of(world, ("TEE-M", 1))

    assert cancel_order(world, order_id).status == "cancelled"


def test_orders_are_listed_newest_first_and_by_status(world):
    stock.receive(world, "TEE-M", 1, to="WH1-A-01")
    first, second, third = (order_of(world, ("TEE-M", 1)) for _ in range(3))
    confirm_order(world, second, site="WH1")
    cancel_order(world, third)

    assert [o.id for o in list_orders(world)] == [third, second, first]
    assert [o.id for o in list_orders(world, status="confirmed")] == [second]
    assert [o.id for o in list_orders(world, open_only=True)] == [second, first]
    assert list_orders(world, status="cancelled", open_only=True) == []
    with refused(world, InvalidInput, "'lost' is not"):
        list_orders(world, status="lost")


@pytest.mark.parametrize(
    ("lines", "status"),
    [
        ([(3, 0, 0, 0)], "confirmed"),  # confirmed, nothing in stock yet
        ([(3, 2, 0, 0), (1, 0, 0, 0)], "confirmed"),
        ([(3, 2, 2, 0), (1, 0, 0, 0)], "packed"),  # every reserved unit scanned: ship what there is
        ([(3, 2, 1, 0)], "confirmed"),
        ([(3, 0, 0, 2)], "partial"),  # shipped in part, the rest backordered
        ([(3, 1, 0, 2)], "confirmed"),  # the backorder reserved again
        ([(3, 0, 0, 3), (1, 0, 0, 1)], "shipped"),
    ],
)
def test_an_orders_status_follows_from_its_lines(lines, status):
    assert status_of(LineCounts(*line) for line in lines) == status


def test_the_weight_tolerance_is_five_percent_but_at_least_twenty_grams():
    assert [weight_tolerance(g) for g in (0, 100, 400, 401, 1000)] == [20, 20, 20, 21, 50]


def test_a_typed_order_number_that_looks_like_our_own_is_refused(world):
    with refused(world, InvalidInput, "so-2 looks like one of our own order numbers"):
        order_of(world, ("TEE-M", 1), external_ref=" so-2 ")
    assert get_order(world, order_of(world, ("TEE-M", 1), external_ref="SO-2A")).external_ref == "SO-2A"


def test_two_desktops_entering_the_same_order_number_at_once_get_one_order_and_a_clear_refusal(world, monkeypatch):
    """Both look the number up before either writes (the sleep): the second must not crash on the unique key."""
    looked_up = SalesReader.known_refs

    def slow_lookup(self, channel, refs):
        found = looked_up(self, channel, refs)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(SalesReader, "known_refs", slow_lookup)

    def desktop(_: int):
        try:
            return order_of(world, ("TEE-M", 1), external_ref="#77", channel="webshop")
        except AlreadyExists as refusal:
            return str(refusal)

    outcomes = race_threads(2, desktop)

    [order_id] = [o for o in outcomes if isinstance(o, int)]
    assert f"Order #77 of webshop is already on the books as SO-{order_id}." in outcomes
