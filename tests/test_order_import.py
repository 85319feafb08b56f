"""Importing web-shop order exports: Shopify CSV (; with a BOM), WooCommerce CSV, a plain XLSX, and
a slice of a real shop's year of sales; one idempotent batch per file."""

from __future__ import annotations

import csv
import gzip
import itertools
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from stockdesk.domain import order_file
from stockdesk.domain.errors import InvalidInput
from stockdesk.domain.online_retail import is_stock_item
from stockdesk.services import catalog
from stockdesk.services.order_import import import_orders
from stockdesk.services.sales_orders import list_orders
from tests.builders import as_user, freeze, refused, snapshot

ONLINE_RETAIL = Path(__file__).resolve().parents[2] / "shared" / "data" / "online-retail" / "online_retail.csv.gz"

SHOPIFY_HEADER = [
    "Name", "Email", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem sku",
    "Billing Name", "Shipping Street", "Shipping Address1", "Shipping City", "Shipping Zip", "Shipping Country",
]  # fmt: skip


def shopify_row(number: str, qty, sku: str, price="", *, first: bool = False) -> list[str]:
    """Shopify writes the order's own fields on its first line only."""
    head = ["2030-05-30 10:00:00 +0200", "Ada Lovelace", "12 Main St", "12 Main St", "London", "N1 1AA", "GB"]
    date, name, street, address1, city, zip_, country = head if first else [""] * 7
    return [
        number,
        "ada@example.com",
        date,
        str(qty),
        "item",
        str(price),
        sku,
        name,
        street,
        address1,
        city,
        zip_,
        country,
    ]


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        csv.writer(out, delimiter=delimiter).writerows(rows)
    return path


def orders_by_ref(ctx) -> dict[str, object]:
    return {order.external_ref: order for order in list_orders(ctx)}


def test_a_shopify_export_becomes_draft_orders(world, tmp_path):
    path = write_csv(
        tmp_path / "orders_export.csv",
        [
            SHOPIFY_HEADER,
            shopify_row("#1001", 2, "TEE-M", "11.50", first=True),
            shopify_row("#1001", 1, "MILK-1L"),
            shopify_row("#1002", 1, "4006381333931", "12", first=True),
        ],
        delimiter=";",
        bom=True,
    )
    clerk = as_user(world, "sam", role="staff")

    result = import_orders(clerk, path)

    assert (result.file_name, result.orders_created, result.refused, result.replayed) == (
        "orders_export.csv",
        ("#1001", "#1002"),
        (),
        False,
    )
    assert result.import_id is not None
    order = orders_by_ref(world)["#1001"]
    assert (order.channel, order.status, order.customer_name) == ("webshop", "draft", "Ada Lovelace")
    assert order.ship_to == "12 Main St, London, N1 1AA, GB"
    assert order.ordered_at == datetime(2030, 5, 30, 8, 0)
    assert [(line.sku, line.ordered, line.unit_price) for line in order.lines] == [
        ("TEE-M", 2, Decimal("11.5000")),
        ("MILK-1L", 1, Decimal("1.2000")),
    ]


def test_a_woocommerce_export_joins_first_and_last_names(world, tmp_path):
    freeze(world)
    path = write_csv(
        tmp_path / "woo.csv",
        [
            ["order_number", "order_date", "billing_first_name", "billing_last_name", "shipping_address_1",
             "shipping_city", "shipping_postcode", "item_sku", "item_quantity", "item_price"],
            ["501", "", "Grace", "Hopper", "1 Navy Way", "Arlington", "22201", "TEE-M", "3", "10"],
            ["501", "", "Grace", "Hopper", "1 Navy Way", "Arlington", "22201", "TEE-M", "1", "10"],
        ],
    )  # fmt: skip

    result = import_orders(world, path, channel="woo")

    order = orders_by_ref(world)["501"]
    assert result.orders_created == ("501",)
    assert (order.channel, order.customer_name, order.ship_to) == (
        "woo",
        "Grace Hopper",
        "1 Navy Way, Arlington, 22201",
    )
    assert order.ordered_at == datetime(2030, 6, 1, 9, 0)
    assert [(line.sku, line.ordered) for line in order.lines] == [("TEE-M", 4)]


def test_an_xlsx_file_is_read_with_its_own_dates_and_numbers(world, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Order", "Date", "Name", "Ship to", "SKU", "Qty", "Unit price"])
    sheet.append(["A-7", datetime(2030, 1, 2, 3, 4), "Alan Turing", "Bletchley Park", "TEE-M", 2, 9.99])
    sheet.append(["A-7", None, None, None, "PHONE-X", 1.0, None])
    path = tmp_path / "orders.xlsx"
    book.save(path)

    result = import_orders(world, path)

    order = orders_by_ref(world)["A-7"]
    assert result.orders_created == ("A-7",)
    assert (order.customer_name, order.ship_to, order.ordered_at) == (
        "Alan Turing",
        "Bletchley Park",
        datetime(2030, 1, 2, 3, 4),
    )
    assert [(line.sku, line.ordered, line.unit_price) for line in order.lines] == [
        ("TEE-M", 2, Decimal("9.9900")),
        ("PHONE-X", 1, Decimal("350.0000")),
    ]


def test_the_same_file_twice_creates_nothing(world, tmp_path):
    path = write_csv(tmp_path / "a.csv", [["Order", "Customer", "SKU", "Qty"], ["1", "Ada", "TEE-M", "1"]])
    first = import_orders(world, path)
    before = snapshot(world)

    again = import_orders(world, path)

    assert (again.replayed, again.import_id, again.orders_created) == (True, first.import_id, ())
    assert snapshot(world) == before


def test_an_overlapping_export_skips_the_orders_already_known(world, tmp_path):
    header = ["Order", "Customer", "SKU", "Qty"]
    import_orders(
        world, write_csv(tmp_path / "mon.csv", [header, ["1", "Ada", "TEE-M", "1"], ["2", "Bo", "TEE-M", "2"]])
    )

    result = import_orders(
        world, write_csv(tmp_path / "tue.csv", [header, ["2", "Bo", "TEE-M", "2"], ["3", "Cy", "TEE-M", "3"]])
    )

    assert (result.orders_created, result.orders_already_known, result.replayed) == (("3",), ("2",), False)
    assert sorted(orders_by_ref(world)) == ["1", "2", "3"]
    other_channel = import_orders(world, tmp_path / "tue.csv", channel="marketplace")
    assert (other_channel.orders_created, other_channel.replayed) == (("2", "3"), False)  # another channel's orders
    assert import_orders(world, tmp_path / "tue.csv", channel="marketplace").replayed


def test_a_bad_row_refuses_its_own_order_only(world, tmp_path):
    path = write_csv(
        tmp_path / "mixed.csv",
        [
            ["Order", "Customer", "SKU", "Qty", "Price"],
            ["10", "Ada", "TEE-M", "1", ""],
            ["11", "Bo", "TEE-M", "two", ""],
            ["11", "Bo", "MILK-1L", "1", ""],
            ["12", "Cy", "TEE-M", "1", ""],
            ["12", "Cy", "NOPE", "1", ""],
            ["13", "", "TEE-M", "1", ""],
            ["", "Di", "TEE-M", "1", ""],
            ["14", "Ed", "TEE-M", "1", "-2"],
            ["15", "Flo", "TEE-M", "1", "10"],
            ["15", "Flo", "TEE-M", "1", "11"],
        ],
    )

    result = import_orders(world, path)

    assert result.orders_created == ("10",)
    assert result.refused == (
        (3, "Quantity must be a whole number of units; 'two' is not."),
        (6, "No item has the SKU or barcode 'NOPE'. Check the code, or add the product first."),
        (7, "The order has no customer name."),
        (8, "The order number is missing, so the row belongs to no order."),
        (9, "Unit price cannot be negative; got -2."),
        (10, "TEE-M is on the order twice at different prices (10.0000 and 11.0000); put it on one line."),
    )
    assert sorted(orders_by_ref(world)) == ["10"]


@pytest.mark.parametrize(
    ("header", "match"),
    [
        (["Order", "Customer", "Qty"], "The file has no SKU column"),
        (["Customer", "Product", "Amount"], "The file has no order number or SKU or quantity column"),
    ],
)
def test_a_file_without_the_needed_columns_is_refused_whole(world, tmp_path, header, match):
    path = write_csv(tmp_path / "bad.csv", [header, ["1", "Ada", "2"]])

    with refused(world, InvalidInput, match):
        import_orders(world, path)


def test_a_file_that_is_not_a_table_is_refused(world, tmp_path):
    garbage = tmp_path / "photo.csv"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    empty = tmp_path / "empty.csv"
    empty.write_text("")

    with refused(world, InvalidInput, "photo.csv is not a CSV or XLSX file"):
        import_orders(world, garbage)
    with refused(world, InvalidInput, "empty.csv is empty"):
        import_orders(world, empty)
    with refused(world, InvalidInput, "There is no file"):
        import_orders(world, tmp_path / "missing.csv")


def test_a_slice_of_a_real_shops_year_imports_invoice_by_invoice(ctx, tmp_path):
    """The first 1,000 invoice lines of the Online Retail data (66 invoices), as the shop exported them."""
    with gzip.open(ONLINE_RETAIL, "rt", encoding="utf-8", newline="") as source:
        rows = list(itertools.islice(csv.reader(source), 1001))
    header, lines = rows[0], rows[1:]
    at = {name: i for i, name in enumerate(header)}
    codes = {line[at["StockCode"]].upper() for line in lines if is_stock_item(line[at["StockCode"]])}
    with ctx.writing() as uow:
        catalog.add_products(uow, [catalog.NewProduct(code, f"Item {code}", price="1").checked() for code in codes])
        uow.commit()
    path = write_csv(tmp_path / "online_retail_slice.csv", rows)
    invoices: dict[str, list[list[str]]] = {}
    for line in lines:
        invoices.setdefault(line[at["InvoiceNo"]], []).append(line)
    # What a person reading the file expects: cancellations (C...) carry negative quantities, 536414
    # has no customer, and postage (POST) is no stock item, so those invoices cannot become orders.
    expected_refused = {
        number
        for number, items in invoices.items()
        if number.startswith("C")
        or not items[0][at["CustomerID"]]
        or not all(is_stock_item(item[at["StockCode"]]) for item in items)
    }

    result = import_orders(ctx, path)

    assert len(invoices) == 66 and len(expected_refused) == 7
    assert set(result.orders_created) == set(invoices) - expected_refused
    assert len(result.refused) == len(expected_refused)
    assert sorted({message.split(";")[0] for _, message in result.refused}) == [
        "No item has the SKU or barcode 'POST'. Check the code, or add the product first.",
        "Quantity must be greater than zero",
        "The order has no customer name.",
    ]
    first = orders_by_ref(ctx)["536365"]
    assert (first.customer_name, first.ordered_at) == ("17850.0", datetime(2010, 12, 1, 8, 26))
    assert [(line.sku, line.ordered, line.unit_price) for line in first.lines] == [
        (item[at["StockCode"]], int(item[at["Quantity"]]), Decimal(item[at["UnitPrice"]]).quantize(Decimal("0.0001")))
        for item in invoices["536365"]
    ]
    merged = {line.sku: line.ordered for line in orders_by_ref(ctx)["536409"].lines}
    assert merged["90199C"] == 3 + 1 + 2
    again = import_orders(ctx, path)  # refused rows: looked at again, the orders it made are known now
    assert (again.orders_created, again.refused) == ((), result.refused)
    assert again.orders_already_known == result.orders_created


def test_header_names_are_matched_without_case_or_punctuation():
    columns = order_file.map_header(["ORDER-NUMBER", "Item_SKU", " qty ", "Name", "Shipping Country"])

    assert columns.positions == {
        "order_number": (0,),
        "sku": (1,),
        "quantity": (2,),
        "customer_name": (3,),
        "ship_to": (4,),
    }
    shopify = order_file.map_header(SHOPIFY_HEADER)
    assert (shopify.positions["order_number"], shopify.positions["customer_name"]) == ((0,), (7,))
    assert shopify.positions["ship_to"] == (9, 10, 11, 12)


def test_a_file_whose_orders_were_refused_brings_them_in_once_put_right(world, tmp_path):
    path = write_csv(
        tmp_path / "a.csv", [["Order", "Customer", "SKU", "Qty"], ["1", "Ada", "TEE-M", "1"], ["2", "Bo", "MUG", "1"]]
    )
    first = import_orders(world, path)
    assert (first.orders_created, [row for row, _ in first.refused]) == (("1",), [3])

    catalog.add_product(world, catalog.NewProduct("MUG", "Mug", price="5"))
    again = import_orders(world, path)

    assert (again.replayed, again.orders_created, again.orders_already_known) == (False, ("2",), ("1",))
    assert import_orders(world, path).replayed
