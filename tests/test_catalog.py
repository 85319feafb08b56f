"""The catalogue: products and their variants, locations, lots, users and reason codes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stockdesk.domain.errors import AlreadyExists, InvalidInput, NotFound, PermissionDenied
from stockdesk.services import catalog, stock
from stockdesk.services.catalog import NewProduct
from tests.builders import as_user, level, refused


def test_another_size_is_a_variant_of_the_same_product(world):
    first = catalog.find_variant(world, "TEE-M")
    large = catalog.add_product(
        world, NewProduct("TEE-L", "T-shirt, L, blue", variant_of="TEE-M", attributes={"size": "L"})
    )

    assert large.product_id == first.product_id
    assert large.tracking == first.tracking
    assert large.attributes == {"size": "L"}


def test_variant_of_an_unknown_sku_is_refused(world):
    with refused(world, NotFound, "No item has the SKU or barcode 'NOPE'"):
        catalog.add_product(world, NewProduct("TEE-L", "T-shirt, L", variant_of="NOPE"))


@pytest.mark.parametrize(
    ("product", "error", "match"),
    [
        (NewProduct("TEE-M", "Again"), AlreadyExists, "SKU TEE-M is already used"),
        (NewProduct("NEW-1", "New", barcode="4006381333931"), AlreadyExists, "Barcode 4006381333931 is already used"),
        (NewProduct("NEW-1", "New", tracking="batch"), InvalidInput, "Tracking must be none, lot or serial"),
        (NewProduct("NEW-1", "New", cost="cheap"), InvalidInput, "Cost must be a number"),
        (NewProduct("NEW-1", "New", price="-1"), InvalidInput, "Price cannot be negative"),
        (NewProduct("NEW-1", "  "), InvalidInput, "needs a name"),
        (NewProduct("", "No code"), InvalidInput, "SKU cannot be empty"),
    ],
)
def test_bad_products_are_refused(world, product, error, match):
    with refused(world, error, match):
        catalog.add_product(world, product)


def test_editing_an_item_changes_its_price_and_barcode_not_its_stock(world):
    stock.receive(world, "TEE-M", 4, to="WH1-A-01")

    edited = catalog.edit_variant(world, "TEE-M", price="13.50", barcode="5012345678900", reorder_point=8)

    assert (edited.price, edited.barcode, edited.reorder_point) == (Decimal("13.5000"), "5012345678900", 8)
    assert catalog.find_variant(world, "5012345678900").sku == "TEE-M"
    assert level(world, "TEE-M", "WH1-A-01") == (4, 0, 0)


def test_an_edit_cannot_take_another_items_barcode_or_change_the_tracking(world):
    catalog.add_product(world, NewProduct("CAP", "Cap", barcode="5012345678900"))
    with refused(world, AlreadyExists, "Barcode 5012345678900 is already used"):
        catalog.edit_variant(world, "TEE-M", barcode="5012345678900")
    with refused(world, InvalidInput, "Cannot change tracking"):
        catalog.edit_variant(world, "TEE-M", tracking="lot")


def test_staff_cannot_edit_the_catalogue(world):
    clerk = as_user(world, "sam")
    with refused(world, PermissionDenied, "may not edit the catalogue"):
        catalog.add_product(clerk, NewProduct("NEW-1", "New"))


def test_locations_form_a_tree_under_sites(world):
    bin_ = catalog.add_location(world, "WH1-C-01", name="Aisle C bin 1", parent="WH1", sort_key="C-01")
    site = catalog.add_location(world, "DEPOT", name="Depot")

    assert (bin_.kind.value, site.kind.value) == ("bin", "site")
    wh1 = catalog_location(world, "WH1")
    assert wh1.contains(bin_) and not site.contains(bin_)
    assert bin_.site_id == wh1.id and bin_.sort_key == "C-01"


def catalog_location(ctx, code):
    with ctx.reading() as uow:
        return uow.catalog.location_by_code(code)


@pytest.mark.parametrize(
    ("code", "kwargs", "error", "match"),
    [
        ("WH1", {"name": "Again"}, AlreadyExists, "Location WH1 already exists"),
        ("@HOLD", {"name": "Hold"}, InvalidInput, "reserved for virtual places"),
        ("LOOSE", {"name": "Loose", "kind": "bin"}, InvalidInput, "every other location needs one"),
        ("X1", {"name": "X", "parent": "NOWHERE"}, NotFound, "There is no location 'NOWHERE'"),
        ("X2", {"name": "X", "parent": "WH1", "kind": "shelf"}, InvalidInput, "site, zone, aisle, rack or bin"),
    ],
)
def test_bad_locations_are_refused(world, code, kwargs, error, match):
    with refused(world, error, match):
        catalog.add_location(world, code, **kwargs)


def test_a_lot_can_be_recorded_before_it_arrives(world):
    lot = catalog.add_lot(
        world, "MILK-1L", "L-77", supplier="Dairy Co", expires_on="2099-01-31", certificate_ref="CoA-9"
    )
    stock.receive(world, "MILK-1L", 6, to="WH1-A-01", lot="L-77")

    assert (lot.supplier, str(lot.expires_on), lot.certificate_ref) == ("Dairy Co", "2099-01-31", "CoA-9")
    with refused(world, AlreadyExists, "already has a lot L-77"):
        catalog.add_lot(world, "MILK-1L", "L-77")
    with refused(world, InvalidInput, "not tracked by lot"):
        catalog.add_lot(world, "TEE-M", "L-1")


def test_only_owners_manage_users(world):
    manager = as_user(world, "maria", role="manager")
    with refused(world, PermissionDenied, "may not manage users"):
        catalog.add_user(manager, "sam", role="staff")
    with refused(world, InvalidInput, "owner, manager or staff"):
        catalog.add_user(world, "sam", role="boss")


def test_reason_codes_offered_to_users_leave_out_the_system_ones(world):
    codes = {r.code: r.direction for r in catalog.reason_codes(world)}
    assert codes["DAMAGED"] == "out" and codes["FOUND"] == "in"
    assert "COUNT" not in codes and "REVERSAL" not in codes
