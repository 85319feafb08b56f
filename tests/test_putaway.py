"""Putaway: the scoring rules on plain facts, suggestions from a real database, the task list of a
purchase order, and the PUTAWAY movement with its refusals."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stockdesk.domain.errors import InsufficientStock, InvalidInput, NotFound, PermissionDenied
from stockdesk.domain.putaway import BinFacts, PutawayRules, rank, score
from stockdesk.services import catalog, queries, stock
from stockdesk.services.po_receiving import PoReceiptLine, receive_po
from stockdesk.services.putaway import (
    get_putaway_rules,
    put_away,
    putaway_tasks,
    set_capacity,
    set_category_zone,
    set_putaway_rules,
    suggest_bins,
)
from tests.builders import as_user, freeze, level, refused
from tests.purchasing_world import sent_po, supplier

BARE = BinFacts(location="B-1", sku="TEE-M", qty=10, holds_variant=False, zone_category=None, capacity=None, on_hand=0)
NEUTRAL = PutawayRules().free_capacity / 2
"""What an unknown capacity scores: half the capacity weight."""


# -- the rules on plain facts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "points", "reasons"),
    [
        ({}, NEUTRAL, ()),
        ({"holds_variant": True}, 5 + NEUTRAL, ("already holds TEE-M",)),
        ({"zone_category": "Dairy"}, 3 + NEUTRAL, ("zone for Dairy",)),
        ({"capacity": 50, "on_hand": 10}, 2 * (40 - 10) / 50, ("room for 40",)),
        ({"capacity": 10, "on_hand": 0}, 0, ()),
        ({"lot": "L-2", "lot_first_out": True}, 1 + NEUTRAL, ("no lot here expires after L-2",)),
        ({"fast_mover": True, "walk_position": 0.0}, 2 + NEUTRAL, ("fast mover: near packing",)),
        ({"fast_mover": True, "walk_position": 0.75}, 0.5 + NEUTRAL, ()),
        ({"fast_mover": False, "walk_position": 0.0}, NEUTRAL, ()),
    ],
)
def test_each_rule_adds_its_weight_and_says_why(changes, points, reasons):
    assert score(replace(BARE, **changes), PutawayRules()) == (pytest.approx(points), reasons)


def test_a_weight_of_zero_switches_a_rule_off():
    facts = replace(BARE, holds_variant=True, zone_category="Dairy")
    rules = PutawayRules(same_variant=0, free_capacity=0)

    assert score(facts, rules) == (3.0, ("zone for Dairy",))


def test_ranking_keeps_the_best_bins_that_fit_ties_in_walking_order():
    candidates = [
        replace(BARE, location="FAR", walk_position=1.0),
        replace(BARE, location="NEAR", walk_position=0.0),
        replace(BARE, location="FULL", holds_variant=True, capacity=15, on_hand=6),
        replace(BARE, location="SAME", holds_variant=True, walk_position=0.5),
    ]

    ranked = rank(candidates, PutawayRules(), limit=3)

    assert [facts.location for facts, _, _ in ranked] == ["SAME", "NEAR", "FAR"]


@given(
    holds=st.booleans(),
    zone=st.booleans(),
    capacity=st.none() | st.integers(0, 100),
    on_hand=st.integers(0, 100),
    qty=st.integers(1, 50),
    first_out=st.booleans(),
    fast=st.booleans(),
    walk=st.floats(0, 1),
)
def test_a_score_stays_within_the_sum_of_the_weights(holds, zone, capacity, on_hand, qty, first_out, fast, walk):
    facts = BinFacts("B", "X", qty, holds, "Dairy" if zone else None, capacity, on_hand, "L", first_out, fast, walk)
    rules = PutawayRules()

    points, _ = score(facts, rules)

    assert 0 <= points <= sum(rules.as_dict().values()) + 1e-9
    assert bool(rank([facts], rules)) == (capacity is None or capacity - on_hand >= qty)


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ({"nearness": 1}, "Unknown putaway rule nearness"),
        ({"fefo": -1}, "between 0 \\(off\\) and 100"),
        ({"fefo": "lots"}, "'lots' is not"),
    ],
)
def test_bad_weights_are_refused(values, match):
    with pytest.raises(InvalidInput, match=match):
        PutawayRules.from_mapping(values)


# -- suggestions from the database --------------------------------------------------------------


@pytest.fixture
def warehouse(world):
    """WH1 gains a receiving dock, a cold zone with two bins of known capacity, and a dairy product."""
    freeze(world)
    catalog.add_location(world, "WH1-DOCK", parent="WH1", kind="zone")
    catalog.add_location(world, "WH1-COLD", parent="WH1", kind="zone")
    catalog.add_location(world, "WH1-C-01", parent="WH1-COLD")
    catalog.add_location(world, "WH1-C-02", parent="WH1-COLD")
    catalog.add_product(world, catalog.NewProduct("YOG-1", "Yoghurt", tracking="lot", category="Dairy"))
    set_category_zone(world, site="WH1", category="Dairy", zone="WH1-COLD")
    set_capacity(world, "WH1-C-01", 10)
    set_capacity(world, "WH1-C-02", 100)
    supplier(world)
    return world


def test_the_category_zone_and_room_lead_the_suggestions(warehouse):
    found = suggest_bins(warehouse, "YOG-1", 8, site="WH1")

    assert [(s.location, s.reasons) for s in found] == [
        ("WH1-C-02", ("zone for Dairy", "room for 100")),
        ("WH1-C-01", ("zone for Dairy", "room for 10")),
        ("WH1-A-01", ()),
    ]
    assert found[0].score == pytest.approx(3 + 2 * 92 / 100)


def test_a_bin_holding_the_item_wins_and_a_bin_too_small_is_left_out(warehouse):
    stock.receive(warehouse, "YOG-1", 4, to="WH1-B-01", lot="L-1", expiry="2030-07-01")

    found = suggest_bins(warehouse, "YOG-1", 12, site="WH1-DOCK", lot="L-1")

    assert [s.location for s in found] == ["WH1-B-01", "WH1-C-02", "WH1-A-01"]
    assert found[0].reasons == ("already holds YOG-1", "no lot here expires after L-1")


def test_fefo_prefers_bins_whose_lots_go_out_first(warehouse):
    stock.receive(warehouse, "YOG-1", 2, to="WH1-A-02", lot="EARLY", expiry="2030-06-20")
    stock.receive(warehouse, "YOG-1", 2, to="WH1-B-01", lot="LATE", expiry="2030-09-01")
    stock.receive(warehouse, "YOG-1", 2, to="WH1-DOCK", lot="MID", expiry="2030-08-01")

    reasons = {s.location: s.reasons for s in suggest_bins(warehouse, "YOG-1", 2, site="WH1-DOCK", lot="MID", limit=9)}

    assert reasons["WH1-A-02"] == ("already holds YOG-1", "no lot here expires after MID")
    assert reasons["WH1-B-01"] == ("already holds YOG-1",)
    assert "WH1-DOCK" not in reasons


def test_fast_movers_go_near_packing(warehouse):
    stock.receive(warehouse, "TEE-M", 5, to="SHOP-FRONT")
    stock.sell(warehouse, "TEE-M", 5, source="SHOP-FRONT")
    set_putaway_rules(warehouse, PutawayRules(free_capacity=0))

    found = suggest_bins(warehouse, "TEE-M", 1, site="WH1")

    assert (found[0].location, found[0].reasons) == ("WH1-A-01", ("fast mover: near packing",))
    slow = suggest_bins(warehouse, "MILK-1L", 1, site="WH1")
    assert [(s.location, s.score) for s in slow] == [("WH1-A-01", 0), ("WH1-A-02", 0), ("WH1-B-01", 0)]


def test_a_site_without_bins_offers_its_leaf_locations(warehouse):
    catalog.add_location(warehouse, "KIOSK")
    catalog.add_location(warehouse, "KIOSK-SHELF", parent="KIOSK", kind="aisle")
    catalog.add_location(warehouse, "KIOSK-SHELF-1", parent="KIOSK-SHELF", kind="rack")

    assert [s.location for s in suggest_bins(warehouse, "TEE-M", 1, site="KIOSK")] == ["KIOSK-SHELF-1"]


def test_the_rules_are_stored_for_every_desktop(warehouse):
    assert get_putaway_rules(warehouse) == PutawayRules()
    set_putaway_rules(warehouse, PutawayRules(same_variant=1, fefo=0))

    assert get_putaway_rules(warehouse) == PutawayRules(same_variant=1, fefo=0)


# -- tasks and the movement ---------------------------------------------------------------------


def test_a_received_order_lists_what_to_put_away_until_it_is_put_away(warehouse):
    po = sent_po(warehouse, [("TEE-M", 10), ("YOG-1", 6), ("PHONE-X", 2)], to="WH1-DOCK")
    receive_po(
        warehouse,
        po.id,
        [
            PoReceiptLine("TEE-M", 8, damaged=2),
            PoReceiptLine("YOG-1", 6, lot="Y-1", expiry="2030-07-01"),
            PoReceiptLine("PHONE-X", 2, serials=["SN-2", "SN-1"]),
        ],
        delivery_ref="DN-1",
    )

    tasks = {t.sku: t for t in putaway_tasks(warehouse, po.id)}
    assert {sku: (t.qty, t.lot, t.serials, t.from_location) for sku, t in tasks.items()} == {
        "TEE-M": (8, None, (), "WH1-DOCK"),
        "YOG-1": (6, "Y-1", (), "WH1-DOCK"),
        "PHONE-X": (2, None, ("SN-1", "SN-2"), "WH1-DOCK"),
    }
    assert tasks["YOG-1"].suggestions[0].location == "WH1-C-02"
    assert len(tasks["TEE-M"].suggestions) == 3

    put_away(warehouse, "TEE-M", 5, source="WH1-DOCK", dest="WH1-A-01", ref=f"PO-{po.id}")
    put_away(warehouse, "PHONE-X", 1, source="WH1-DOCK", dest="WH1-A-02", serials=["SN-1"], ref=f"PO-{po.id}")
    stock.sell(warehouse, "YOG-1", 4, source="WH1-DOCK")
    tasks = {t.sku: t for t in putaway_tasks(warehouse, po.id)}
    assert {sku: (t.qty, t.serials) for sku, t in tasks.items()} == {
        "TEE-M": (3, ()),
        "YOG-1": (2, ()),
        "PHONE-X": (1, ("SN-2",)),
    }

    put_away(warehouse, "TEE-M", 3, source="WH1-DOCK", dest="WH1-A-01", ref=f"PO-{po.id}")
    put_away(warehouse, "YOG-1", 2, source="WH1-DOCK", dest="WH1-C-02", ref=f"PO-{po.id}")
    put_away(warehouse, "PHONE-X", 1, source="WH1-DOCK", dest="WH1-A-02", serials=["SN-2"], ref=f"PO-{po.id}")
    assert putaway_tasks(warehouse, po.id) == []
    assert level(warehouse, "TEE-M", "WH1-DOCK") == (2, 0, 2)


def test_a_put_away_is_a_recorded_movement_within_the_site(warehouse):
    stock.receive(warehouse, "YOG-1", 3, to="WH1-DOCK", lot="Y-LATE", expiry="2030-08-01")
    stock.receive(warehouse, "YOG-1", 3, to="WH1-DOCK", lot="Y-SOON", expiry="2030-07-01")

    result = put_away(warehouse, "YOG-1", 4, source="WH1-DOCK", dest="WH1-C-01", key="PUT-1")

    assert {(m.kind, m.from_location, m.to_location, m.lot, m.qty) for m in result.movements} == {
        ("putaway", "WH1-DOCK", "WH1-C-01", "Y-SOON", 3),
        ("putaway", "WH1-DOCK", "WH1-C-01", "Y-LATE", 1),
    }
    assert put_away(warehouse, "YOG-1", 4, source="WH1-DOCK", dest="WH1-C-01", key="PUT-1").replayed
    assert [(r.location, r.lot, r.on_hand) for r in queries.stock(warehouse, "YOG-1")] == [
        ("WH1-C-01", "Y-SOON", 3),
        ("WH1-C-01", "Y-LATE", 1),
        ("WH1-DOCK", "Y-LATE", 2),
    ]


def test_put_away_refusals_change_nothing(warehouse):
    stock.receive(warehouse, "TEE-M", 12, to="WH1-DOCK")
    stock.receive(warehouse, "TEE-M", 4, to="WH1-C-01")

    with refused(warehouse, InvalidInput, "WH1-DOCK is in site WH1 and SHOP-FRONT in site SHOP.*Use a transfer"):
        put_away(warehouse, "TEE-M", 2, source="WH1-DOCK", dest="SHOP-FRONT")
    with refused(warehouse, InvalidInput, "WH1-C-01 holds at most 10 units and has 4: room for 6, not 7"):
        put_away(warehouse, "TEE-M", 7, source="WH1-DOCK", dest="WH1-C-01")
    with refused(warehouse, InsufficientStock, "Only 12 of TEE-M available at WH1-DOCK"):
        put_away(warehouse, "TEE-M", 13, source="WH1-DOCK", dest="WH1-C-02")
    with refused(warehouse, InvalidInput, "The goods are at WH1-DOCK already"):
        put_away(warehouse, "TEE-M", 1, source="WH1-DOCK", dest="WH1-DOCK")
    with refused(warehouse, NotFound, "There is no location 'NOWHERE'"):
        put_away(warehouse, "TEE-M", 1, source="WH1-DOCK", dest="NOWHERE")
    with refused(warehouse, InvalidInput, "Quantity must be greater than zero"):
        put_away(warehouse, "TEE-M", 0, source="WH1-DOCK", dest="WH1-C-02")


def test_setting_refusals_change_nothing(warehouse):
    clerk = as_user(warehouse, "sam")
    with refused(warehouse, InvalidInput, "WH1-A-01 is a bin in site WH1; give the site instead"):
        set_category_zone(warehouse, site="WH1-A-01", category="Dairy", zone="WH1-COLD")
    with refused(warehouse, InvalidInput, "SHOP-FRONT is not a place inside site WH1"):
        set_category_zone(warehouse, site="WH1", category="Dairy", zone="SHOP-FRONT")
    with refused(warehouse, InvalidInput, "No product has the category 'Diary'; the categories are: Dairy"):
        set_category_zone(warehouse, site="WH1", category="Diary", zone="WH1-COLD")
    with refused(warehouse, InvalidInput, "Capacity must be greater than zero"):
        set_capacity(warehouse, "WH1-C-01", 0)
    with refused(clerk, PermissionDenied, "may not edit the catalogue"):
        set_capacity(clerk, "WH1-C-01", 5)
    with refused(clerk, PermissionDenied, "may not manage suppliers"):
        set_putaway_rules(clerk, PutawayRules())
    with refused(warehouse, InvalidInput, "Number of suggestions must be greater than zero"):
        suggest_bins(warehouse, "TEE-M", 1, site="WH1", limit=0)


def test_capacity_can_be_cleared(warehouse):
    set_capacity(warehouse, "WH1-C-01", None)

    assert "WH1-C-01" in [s.location for s in suggest_bins(warehouse, "TEE-M", 50, site="WH1", limit=9)]
