"""The stock screen's paged read, on both engines, checked against the stock picture (queries.stock)."""

from __future__ import annotations

import pytest

from stockdesk.domain.errors import NotFound
from stockdesk.services import browse, catalog, queries, stock
from stockdesk.services.browse import StockFilter
from stockdesk.services.transfers import approve_transfer, pick_transfer, request_transfer
from tests.builders import freeze, refused

EXTRA = [
    catalog.NewProduct("HOOD-NVY-L", "Heavy hoodie", attributes={"colour": "Navy", "size": "L"}, reorder_point=50),
    catalog.NewProduct("HOOD-RED-L", "Heavy hoodie", attributes={"colour": "red", "size": "L"}, barcode="501234567"),
    catalog.NewProduct("SOCK-100%", "Sock, 100% wool", reorder_point=3),
    catalog.NewProduct("CAP-1", "Cap", reorder_point=2),
    catalog.NewProduct("CUP-1", "Cup", attributes={"finish": 'Crème "matt"', "volume": 250}),
]


@pytest.fixture
def shop(world):
    """Stock in both sites, lots, a reservation, a quarantine, a transfer on the road and a sold-out item."""
    freeze(world)
    for product in EXTRA:
        catalog.add_product(world, product)
    stock.receive(world, "TEE-M", 10, to="WH1-A-01")
    stock.receive(world, "TEE-M", 4, to="SHOP-FRONT")
    stock.reserve(world, "TEE-M", 2, at="SHOP-FRONT", ref="ORD-1")
    stock.receive(world, "MILK-1L", 6, to="WH1-A-02", lot="L-2", expiry="2030-07-01")
    stock.receive(world, "MILK-1L", 3, to="WH1-A-02", lot="L-1", expiry="2030-06-20")
    stock.receive(world, "PHONE-X", 2, to="SHOP-BACK", serials=["PX-1", "PX-2"])
    stock.quarantine(world, "PHONE-X", 1, at="SHOP-BACK", serials=["PX-2"])
    stock.receive(world, "HOOD-NVY-L", 30, to="WH1-B-01")
    stock.receive(world, "HOOD-RED-L", 8, to="WH1-B-01")
    transfer = request_transfer(world, [("HOOD-RED-L", 5)], source="WH1-B-01", dest="SHOP-FRONT")
    approve_transfer(world, transfer.id)
    pick_transfer(world, transfer.id)
    stock.receive(world, "SOCK-100%", 2, to="SHOP-FRONT")
    stock.sell(world, "SOCK-100%", 2, source="SHOP-FRONT")
    return world


def every_page(ctx, wanted: StockFilter, rows: int = 2) -> list:
    """All rows of a filter, read a few rows at a time as the screen's scrolling would."""
    found, after = [], None
    for _ in range(100):
        page = browse.stock_page(ctx, wanted, after, rows=rows)
        found += page.rows
        after = page.after
        if after is None:
            return found
    raise AssertionError("paging never ended")


def skus(rows) -> list[str]:
    return sorted({r.sku for r in rows})


def test_pages_hold_the_stock_picture_in_order_and_an_empty_row_per_item_without_stock(shop):
    rows = every_page(shop, StockFilter())

    assert [r for r in rows if r.location is not None] == queries.stock(shop)
    nothing = [r for r in rows if r.location is None]
    assert [(r.sku, r.on_hand, r.available, r.in_transit) for r in nothing] == [
        ("CAP-1", 0, 0, 0),
        ("CUP-1", 0, 0, 0),
        ("SOCK-100%", 0, 0, 0),
    ]
    assert [r.sku for r in rows] == sorted(r.sku for r in rows)


@pytest.mark.parametrize("rows", [1, 3])
def test_a_page_holds_whole_items_and_about_the_rows_asked_for(shop, rows):
    first = browse.stock_page(shop, StockFilter(), rows=rows)
    second = browse.stock_page(shop, StockFilter(), first.after, rows=rows)

    assert first.after == first.rows[-1].sku
    assert second.rows[0].sku > first.after
    assert len({r.variant_id for r in first.rows}) == rows  # the first items hold one shelf row each
    assert browse.stock_page(shop, StockFilter(), rows=200).after is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tee-m", ["TEE-M"]),  # SKU, any case
        ("MILK", ["MILK-1L"]),
        ("t-shirt", ["TEE-M"]),  # name
        ("4006381", ["TEE-M"]),  # part of a barcode
        ("navy", ["HOOD-NVY-L"]),  # an attribute value, any case
        ("hoodie L", ["HOOD-NVY-L", "HOOD-RED-L"]),  # every word somewhere
        ("hoodie red", ["HOOD-RED-L"]),
        ("100%", ["SOCK-100%"]),  # a typed wildcard is taken literally
        ("_", []),
        ("size", []),  # attribute names are not values
        ("crème", ["CUP-1"]),  # a non-ASCII letter, and the case of A-Z ignored
        ('"MATT"', ["CUP-1"]),  # a quote, which the stored JSON escapes
        ("250", ["CUP-1"]),  # a number
        ("nothing-like-this", []),
    ],
)
def test_search_matches_sku_name_barcode_and_attribute_values(shop, text, expected):
    assert skus(every_page(shop, StockFilter(text))) == expected


def test_an_edited_item_is_found_by_its_new_name_and_attributes(shop):
    catalog.edit_variant(shop, "HOOD-RED-L", name="Zip jacket", attributes={"colour": "Teal"})

    assert skus(every_page(shop, StockFilter("zip TEAL"))) == ["HOOD-RED-L"]
    assert skus(every_page(shop, StockFilter("hoodie"))) == ["HOOD-NVY-L"]


@pytest.mark.parametrize("place", ["WH1", "SHOP", "SHOP-FRONT", "WH1-A-02"])
def test_a_place_shows_its_subtree_as_the_stock_picture_does(shop, place):
    rows = every_page(shop, StockFilter(at=place))

    assert [r for r in rows if r.location is not None] == queries.stock(shop, at=place)


def test_an_item_sold_out_in_a_place_stays_listed_there_and_one_never_there_does_not(shop):
    front = every_page(shop, StockFilter(at="SHOP-FRONT"))

    [sock] = [r for r in front if r.sku == "SOCK-100%"]
    assert (sock.location, sock.on_hand) == (None, 0)
    assert "CAP-1" not in skus(front)
    assert "MILK-1L" not in skus(front)


def test_what_a_transfer_brings_shows_at_its_destination_before_any_shelf_holds_it(shop):
    [arriving] = [r for r in every_page(shop, StockFilter("HOOD-RED", at="SHOP")) if r.sku == "HOOD-RED-L"]

    assert (arriving.location, arriving.on_hand, arriving.in_transit) == ("SHOP-FRONT", 0, 5)


def below_reorder_by_picture(ctx, place: str | None) -> list[str]:
    """Items whose available total in the place is under their reorder point, from queries.stock."""
    found = []
    for item in ("CAP-1", "CUP-1", "HOOD-NVY-L", "HOOD-RED-L", "MILK-1L", "PHONE-X", "SOCK-100%", "TEE-M"):
        rows = queries.stock(ctx, item, at=place)
        if sum(r.available for r in rows) < catalog.find_variant(ctx, item).reorder_point:
            found.append(item)
    return found


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        (None, ["CAP-1", "HOOD-NVY-L", "SOCK-100%"]),  # CAP-1 was never received anywhere
        ("WH1", ["HOOD-NVY-L"]),  # 30 of 50
        ("SHOP", ["SOCK-100%", "TEE-M"]),  # sold out; 2 available of 5
    ],
)
def test_below_reorder_point_lists_the_items_short_in_the_place(shop, place, expected):
    page = browse.stock_page(shop, StockFilter(at=place, below_reorder=True))

    assert skus(page.rows) == expected
    assert set(expected) <= set(below_reorder_by_picture(shop, place))
    assert {r.variant_id for r in page.rows} == page.below_reorder


def test_the_page_says_which_items_are_below_their_reorder_point(shop):
    page = browse.stock_page(shop, StockFilter())

    assert sorted({r.sku for r in page.rows if r.variant_id in page.below_reorder}) == below_reorder_by_picture(
        shop, None
    )


def test_rows_of_given_items_are_what_the_filter_shows_now(shop):
    tee = catalog.find_variant(shop, "TEE-M").id
    milk = catalog.find_variant(shop, "MILK-1L").id
    stock.receive(shop, "TEE-M", 5, to="SHOP-BACK")

    fresh = browse.stock_rows(shop, StockFilter(at="SHOP"), {tee, milk})

    assert list(fresh.rows) == queries.stock(shop, "TEE-M", at="SHOP")  # MILK-1L was never at SHOP
    assert browse.stock_rows(shop, StockFilter("milk"), {tee}).rows == ()
    assert browse.stock_rows(shop, StockFilter(), set()).rows == ()


def test_an_unknown_place_is_refused_in_words(shop):
    with refused(shop, NotFound, "There is no location 'NOWHERE'"):
        browse.stock_page(shop, StockFilter(at="NOWHERE"))
