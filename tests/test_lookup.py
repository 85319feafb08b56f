"""One meaning per scanned code: item, location, serial or lot; unknown and wrong-kind codes explained."""

from __future__ import annotations

import pytest

from stockdesk.domain.errors import InvalidInput, NotFound
from stockdesk.services import catalog, stock
from stockdesk.services.lookup import ScanKind, identify


def test_a_code_is_an_item_by_sku_or_barcode(world):
    assert identify(world, "TEE-M").item.sku == "TEE-M"
    by_barcode = identify(world, " 4006381333931 ")
    assert by_barcode.kind is ScanKind.ITEM and by_barcode.item.sku == "TEE-M"


def test_a_code_is_a_location_serial_or_lot(world):
    stock.receive(world, "PHONE-X", 1, to="WH1-A-01", serials=["SN-1"])
    stock.receive(world, "MILK-1L", 5, to="WH1-A-01", lot="L-77")

    place = identify(world, "WH1-A-01")
    unit = identify(world, "SN-1")
    batch = identify(world, "L-77")

    assert (place.kind, place.location.code) == (ScanKind.LOCATION, "WH1-A-01")
    assert (unit.kind, unit.item.sku, unit.serial.location_code) == (ScanKind.SERIAL, "PHONE-X", "WH1-A-01")
    assert (batch.kind, batch.item.sku, batch.lot.number) == (ScanKind.LOT, "MILK-1L", "L-77")


def test_virtual_places_are_not_scannable(world):
    with pytest.raises(NotFound, match="Nothing has the code '@CUSTOMER'"):
        identify(world, "@CUSTOMER")


def test_a_code_of_another_kind_says_what_it_is(world):
    with pytest.raises(InvalidInput, match="'WH1' is a location; here scan an item"):
        identify(world, "WH1", accept=(ScanKind.ITEM,))


def test_an_unknown_code_says_what_was_looked_for(world):
    with pytest.raises(NotFound, match="not a known item or location"):
        identify(world, "NOPE-42", accept=(ScanKind.ITEM, ScanKind.LOCATION))
    with pytest.raises(InvalidInput, match="Scan or type a code first"):
        identify(world, "   ")


def test_a_lot_number_shared_by_two_items_asks_for_the_item(world):
    catalog.add_product(world, catalog.NewProduct("JUICE-1L", "Juice 1 l", tracking="lot"))
    catalog.add_lot(world, "MILK-1L", "L-1")
    catalog.add_lot(world, "JUICE-1L", "L-1")
    with pytest.raises(InvalidInput, match="Several items have a lot 'L-1'; scan the item first"):
        identify(world, "L-1")
