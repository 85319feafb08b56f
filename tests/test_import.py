"""Bulk imports of products and movements, on both backends: good rows, refused rows, malformed
files, idempotent re-imports, XLSX, and the online-retail layout (synthetic and the real file)."""

from __future__ import annotations

import csv
import gzip
import itertools
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from stockdesk.db.records import MovementRecord, PostingRecord, ReservationRecord
from stockdesk.domain.errors import InvalidInput, PermissionDenied
from stockdesk.domain.online_retail import NOT_A_STOCK_ITEM, RowRefused, map_line
from stockdesk.services import catalog, importing, queries, stock
from stockdesk.services.reconcile import reconcile
from tests.builders import as_user, level, refused, snapshot

REAL_FILE = Path("/work/shared/data/online-retail/online_retail.csv.gz")
HEADER = ["date", "kind", "sku", "qty", "location", "lot", "expiry", "serial", "ref", "reason", "note", "key"]


def write_csv(path: Path, header: list[str], rows: list[list[object]], *, gz: bool = False) -> Path:
    opener = gzip.open if gz else open
    with opener(path, "wt", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def movements_file(path: Path, rows: list[dict[str, object]], *, gz: bool = False) -> Path:
    return write_csv(path, HEADER, [[row.get(c, "") for c in HEADER] for row in rows], gz=gz)


def count(ctx, record) -> int:
    with ctx.reading() as uow:
        return uow.connection.execute(select(func.count()).select_from(record)).scalar_one()


def refused_rows(report: importing.ImportReport) -> dict[int, str]:
    return {r.row: r.reason for r in report.refused}


GOOD = [
    {"date": "2026-03-01 08:00", "kind": "receive", "sku": "TEE-M", "qty": 20, "location": "WH1-A-01", "ref": "PO-1"},
    {
        "date": "2026-03-01 08:05",
        "kind": "receive",
        "sku": "MILK-1L",
        "qty": 12,
        "location": "WH1-B-01",
        "lot": "L1",
        "expiry": "2099-01-31",
    },
    {
        "date": "2026-03-01 08:10",
        "kind": "receive",
        "sku": "PHONE-X",
        "qty": 2,
        "location": "WH1-A-02",
        "serial": "SN1 SN2",
    },
    {"date": "2026-03-02 10:00", "kind": "sell", "sku": "TEE-M", "qty": 3, "location": "WH1-A-01", "ref": "TILL-1"},
    {"date": "2026-03-02 10:01", "kind": "sell", "sku": "MILK-1L", "qty": 2, "location": "WH1-B-01"},
    {"date": "2026-03-02 10:02", "kind": "sell", "sku": "PHONE-X", "qty": 1, "location": "WH1-A-02", "serial": "SN1"},
    {"date": "2026-03-03 09:00", "kind": "return", "sku": "TEE-M", "qty": 1, "location": "WH1-A-01", "ref": "TILL-1"},
    {
        "date": "2026-03-03 09:30",
        "kind": "adjust",
        "sku": "TEE-M",
        "qty": -2,
        "location": "WH1-A-01",
        "reason": "damaged",
        "note": "torn",
    },
    {"date": "2026-03-03 09:40", "kind": "adjust", "sku": "TEE-M", "qty": 1, "location": "WH1-A-01", "reason": "FOUND"},
    {"date": "2026-03-03 09:50", "kind": "scrap", "sku": "MILK-1L", "qty": 1, "location": "WH1-B-01", "lot": "L1"},
    {"date": "2026-03-04 11:00", "kind": "ship", "sku": "TEE-M", "qty": 4, "location": "WH1-A-01", "ref": "ORD-1"},
]


def test_a_good_file_posts_every_row_with_its_date_and_keeps_the_projections(world, tmp_path):
    stock.receive(world, "TEE-M", 5, to="WH1-A-01")
    stock.reserve(world, "TEE-M", 3, at="WH1-A-01", ref="ORD-1")
    path = movements_file(tmp_path / "moves.csv", GOOD)

    report = importing.import_movements(world, path)

    assert (report.imported, report.refused, report.batches, report.rows) == (len(GOOD), [], 1, len(GOOD))
    # 5 + 20 - 3 + 1 - 2 + 1 - 4 shipped (3 of them the reservation) = 18 on hand, nothing reserved.
    assert level(world, "TEE-M", "WH1-A-01") == (18, 0, 0)
    assert level(world, "MILK-1L", "WH1-B-01") == (9, 0, 0)
    assert level(world, "PHONE-X", "WH1-A-02") == (1, 0, 0)
    [milk] = queries.stock(world, "MILK-1L")
    assert (milk.lot, str(milk.expires_on)) == ("L1", "2099-01-31")
    history = queries.history(world, "TEE-M")
    imported = [m for m in history if m.posted_at.year == 2026 and m.posted_at.month == 3]
    assert [m.posted_at for m in imported][:2] == [datetime(2026, 3, 1, 8, 0), datetime(2026, 3, 2, 10, 0)]
    adjust = next(m for m in imported if m.kind == "adjust" and m.reason == "DAMAGED")
    assert (adjust.before_qty, adjust.after_qty, adjust.note) == (23, 21, "torn")
    assert [(m.from_bucket, m.qty) for m in imported if m.kind == "ship"] == [("R", 3), ("A", 1)]
    assert queries.history(world, serial="SN1")[-1].to_location == "@CUSTOMER"
    with world.reading() as uow:
        left = uow.connection.execute(select(func.sum(ReservationRecord.qty))).scalar_one()
    assert left == 0
    assert reconcile(world).clean


def test_refused_rows_are_reported_by_row_number_and_write_nothing(world, tmp_path):
    rows = [
        {"date": "2026-03-01", "kind": "receive", "sku": "TEE-M", "qty": 5, "location": "WH1-A-01"},  # row 2: ok
        {"date": "2026-03-01", "kind": "receive", "sku": "NOPE", "qty": 5, "location": "WH1-A-01"},
        {"date": "2026-03-01", "kind": "receive", "sku": "TEE-M", "qty": "five", "location": "WH1-A-01"},
        {"date": "2026-03-01", "kind": "receive", "sku": "TEE-M", "qty": "2.5", "location": "WH1-A-01"},
        {"date": "2026-03-01", "kind": "receive", "sku": "TEE-M", "qty": 0, "location": "WH1-A-01"},
        {"date": "01/13/2026x", "kind": "receive", "sku": "TEE-M", "qty": 1, "location": "WH1-A-01"},
        {"date": "2026-03-01", "kind": "receive", "sku": "TEE-M", "qty": 1, "location": "MOON"},
        {"date": "2026-03-02", "kind": "sell", "sku": "TEE-M", "qty": 6, "location": "WH1-A-01"},
        {"date": "2026-03-02", "kind": "adjust", "sku": "TEE-M", "qty": -1, "location": "WH1-A-01"},
        {"date": "2026-03-02", "kind": "adjust", "sku": "TEE-M", "qty": 1, "location": "WH1-A-01", "reason": "LOST"},
        {"date": "2026-03-02", "kind": "adjust", "sku": "TEE-M", "qty": 1, "location": "WH1-A-01", "reason": "NOPE"},
        {"date": "2026-03-02", "kind": "receive", "sku": "MILK-1L", "qty": 1, "location": "WH1-A-01"},
        {"date": "2026-03-02", "kind": "receive", "sku": "MILK-1L", "qty": 1, "location": "WH1-A-01", "lot": "OLD",
         "expiry": "2026-01-01"},
        {"date": "2026-03-02", "kind": "receive", "sku": "PHONE-X", "qty": 2, "location": "WH1-A-01", "serial": "S9"},
        {"date": "2026-03-02", "kind": "ship", "sku": "TEE-M", "qty": 1, "location": "WH1-A-01"},
        {"date": "2026-03-02", "kind": "teleport", "sku": "TEE-M", "qty": 1, "location": "WH1-A-01"},
        {"date": "2026-03-02", "kind": "sell", "sku": "TEE-M", "qty": 5, "location": "WH1-A-01"},  # row 18: ok
    ]  # fmt: skip
    path = movements_file(tmp_path / "moves.csv", rows)

    report = importing.import_movements(world, path)

    reasons = refused_rows(report)
    assert report.imported == 2
    assert sorted(reasons) == list(range(3, 18))
    assert "No item has the SKU or barcode 'NOPE'" in reasons[3]
    assert "'five' is not" in reasons[4] and "'2.5' is not" in reasons[5]
    assert "greater than zero" in reasons[6]
    assert "Date must be written YYYY-MM-DD" in reasons[7]
    assert "no location 'MOON'" in reasons[8]
    assert reasons[9] == "Only 5 of TEE-M available at WH1-A-01 (on hand 5, reserved 0, quarantined 0); 6 needed."
    assert "needs a reason code" in reasons[10]
    assert "only removes stock" in reasons[11]
    assert "'NOPE' is not a reason code" in reasons[12]
    assert "tracked by lot: give the lot number" in reasons[13]
    assert "expired on 2026-01-01" in reasons[14]
    assert "one serial per unit (2 needed, 1 given)" in reasons[15]
    assert "needs the order reference" in reasons[16]
    assert "Kind must be one of" in reasons[17]
    assert level(world, "TEE-M", "WH1-A-01") == (0, 0, 0)
    assert (count(world, PostingRecord), count(world, MovementRecord)) == (2, 2)
    assert queries.stock(world, "MILK-1L") == [] and queries.stock(world, "PHONE-X") == []
    assert reconcile(world).clean


def test_a_row_refused_in_the_middle_of_a_batch_leaves_the_rows_around_it(world, tmp_path):
    rows = [
        {"date": "2026-03-01", "kind": "receive", "sku": "TEE-M", "qty": 3, "location": "SHOP-FRONT"},
        {"date": "2026-03-01", "kind": "sell", "sku": "TEE-M", "qty": 2, "location": "SHOP-FRONT"},
        {"date": "2026-03-01", "kind": "sell", "sku": "TEE-M", "qty": 2, "location": "SHOP-FRONT"},  # only 1 left
        {"date": "2026-03-01", "kind": "sell", "sku": "TEE-M", "qty": 1, "location": "SHOP-FRONT"},
        {"date": "2026-03-01", "kind": "receive", "sku": "TEE-M", "qty": 4, "location": "SHOP-FRONT"},
        {"date": "2026-03-01", "kind": "sell", "sku": "TEE-M", "qty": 4, "location": "SHOP-FRONT"},
        {"date": "2026-03-01", "kind": "sell", "sku": "TEE-M", "qty": 1, "location": "SHOP-FRONT"},  # none left
    ]
    path = movements_file(tmp_path / "moves.csv", rows)

    report = importing.import_movements(world, path, batch_size=2)

    assert (report.imported, sorted(refused_rows(report)), report.batches) == (5, [4, 8], 4)
    assert level(world, "TEE-M", "SHOP-FRONT") == (0, 0, 0)
    assert reconcile(world).clean


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"sku,qty\nTEE-M,5\n", id="missing-columns"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", id="binary"),
        pytest.param(b"date,kind,sku,qty,location\n2026-03-01,receive,T\xe9E-M,5,WH1-A-01\n", id="not-utf8"),
        pytest.param(b"PK\x03\x04 this is not really a spreadsheet", id="broken-xlsx"),
        pytest.param(b"\x1f\x8b\x08\x00 broken gzip", id="broken-gzip"),
    ],
)
def test_a_malformed_file_is_refused_as_a_whole_and_changes_nothing(world, tmp_path, content):
    stock.receive(world, "TEE-M", 5, to="WH1-A-01")
    path = tmp_path / "moves.csv"
    path.write_bytes(content)

    with refused(world, InvalidInput, "."):
        importing.import_movements(world, path)
    with refused(world, InvalidInput, "."):
        importing.import_products(world, path)


def test_a_file_that_breaks_after_good_rows_is_refused_before_anything_is_written(world, tmp_path):
    good = "date,kind,sku,qty,location\n" + "2026-03-01,receive,TEE-M,1,WH1-A-01\n" * 2_000
    (tmp_path / "moves.csv").write_bytes(good.encode() + b"2026-03-01,receive,T\xff\xfeM,1,WH1-A-01\n")

    with refused(world, InvalidInput, "cannot be read as a CSV file"):
        importing.import_movements(world, tmp_path / "moves.csv", batch_size=500)


def test_the_missing_columns_are_named(world, tmp_path):
    path = write_csv(tmp_path / "m.csv", ["date", "sku", "qty"], [["2026-03-01", "TEE-M", 1]])

    with refused(world, InvalidInput, "missing the column\\(s\\) kind, location"):
        importing.import_movements(world, path)


def test_importing_the_same_file_again_posts_nothing_new(world, tmp_path):
    stock.receive(world, "TEE-M", 5, to="WH1-A-01")
    stock.reserve(world, "TEE-M", 3, at="WH1-A-01", ref="ORD-1")
    path = movements_file(tmp_path / "moves.csv", GOOD)
    first = importing.import_movements(world, path, batch_size=4)
    before = snapshot(world)

    again = importing.import_movements(world, path, batch_size=4)
    compressed = importing.import_movements(world, movements_file(tmp_path / "moves.csv.gz", GOOD, gz=True))

    assert (first.imported, again.imported, again.skipped, again.refused) == (len(GOOD), 0, len(GOOD), [])
    assert (compressed.imported, compressed.skipped) == (0, len(GOOD))
    assert snapshot(world) == before


def test_refused_rows_are_tried_again_on_a_second_import(world, tmp_path):
    rows = [{"date": "2026-03-02", "kind": "sell", "sku": "TEE-M", "qty": 2, "location": "WH1-A-01"}]
    path = movements_file(tmp_path / "moves.csv", rows)
    assert sorted(refused_rows(importing.import_movements(world, path))) == [2]
    stock.receive(world, "TEE-M", 5, to="WH1-A-01")

    again = importing.import_movements(world, path)

    assert (again.imported, again.refused) == (1, [])
    assert level(world, "TEE-M", "WH1-A-01") == (3, 0, 0)


def test_a_key_column_names_the_postings_and_a_reused_key_must_ask_for_the_same(world, tmp_path):
    rows = [
        {"date": "2026-03-01", "kind": "receive", "sku": "TEE-M", "qty": 5, "location": "WH1-A-01", "key": "PO-9:1"},
        {"date": "2026-03-01", "kind": "receive", "sku": "TEE-M", "qty": 5, "location": "WH1-A-01", "key": "PO-9:1"},
        {"date": "2026-03-01", "kind": "receive", "sku": "TEE-M", "qty": 6, "location": "WH1-A-01", "key": "PO-9:1"},
    ]

    report = importing.import_movements(world, movements_file(tmp_path / "moves.csv", rows))

    assert (report.imported, report.skipped, sorted(refused_rows(report))) == (1, 1, [4])
    assert "was already used for a different row" in refused_rows(report)[4]
    with world.reading() as uow:
        keys = list(uow.connection.scalars(select(PostingRecord.idempotency_key)))
    assert keys == ["PO-9:1"]


def test_a_staff_member_may_import_sales_but_not_adjustments(world, tmp_path):
    stock.receive(world, "TEE-M", 5, to="WH1-A-01")
    staff = as_user(world, "sam", "staff")
    rows = [
        {"date": "2026-03-02", "kind": "sell", "sku": "TEE-M", "qty": 1, "location": "WH1-A-01"},
        {"date": "2026-03-02", "kind": "adjust", "sku": "TEE-M", "qty": -1, "location": "WH1-A-01", "reason": "LOST"},
    ]

    report = importing.import_movements(staff, movements_file(tmp_path / "moves.csv", rows))

    assert report.imported == 1
    assert "sam may not make adjustments" in refused_rows(report)[3]
    with pytest.raises(PermissionDenied):
        importing.import_movements(staff, tmp_path / "moves.csv", opening_balance=True)


def test_an_xlsx_file_imports_like_a_csv(world, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Kind", "SKU", "Qty", "Location", "Lot", "Expiry", "Ref"])
    sheet.append([datetime(2026, 3, 1, 9, 30), "receive", "TEE-M", 7, "SHOP-FRONT", None, None, "PO-3"])
    sheet.append([datetime(2026, 3, 1, 9, 31), "receive", "MILK-1L", 4, "SHOP-BACK", "B7", datetime(2099, 5, 1), None])
    sheet.append(["2026-03-02", "sell", "TEE-M", 2.0, "SHOP-FRONT", None, None, 1001])
    sheet.append([datetime(2026, 3, 2, 12, 0), "sell", "TEE-M", 2.5, "SHOP-FRONT", None, None, None])
    book.save(tmp_path / "moves.xlsx")

    report = importing.import_movements(world, tmp_path / "moves.xlsx")

    assert (report.imported, sorted(refused_rows(report))) == (3, [5])
    assert "2.5 is not" in refused_rows(report)[5]
    assert level(world, "TEE-M", "SHOP-FRONT") == (5, 0, 0)
    [milk] = queries.stock(world, "MILK-1L")
    assert (milk.lot, str(milk.expires_on), milk.on_hand) == ("B7", "2099-05-01", 4)
    sale = next(m for m in queries.history(world, "TEE-M") if m.kind == "sell")
    assert (sale.reference, sale.posted_at) == ("1001", datetime(2026, 3, 2))
    assert importing.import_movements(world, tmp_path / "moves.xlsx").imported == 0
    assert reconcile(world).clean


def test_products_import_with_attributes_refusals_and_reimport(ctx, tmp_path):
    header = ["sku", "name", "barcode", "tracking", "cost", "price", "reorder_point", "category", "size", "colour"]
    rows = [
        ["HAT-S", "Hat S", "4006381333931", "none", "3.5", "9.90", "4", "Hats", "S", "red"],
        ["JAM-1", "Jam", "", "lot", "1", "2.5", "", "Food", "", ""],
        ["TV-1", "Television", "", "SERIAL", "200", "399", "0", "", "", ""],
        ["BAD-1", "", "", "", "", "", "", "", "", ""],
        ["BAD-2", "Bad tracking", "", "batch", "", "", "", "", "", ""],
        ["BAD-3", "Bad price", "", "", "", "-1", "", "", "", ""],
        ["HAT-S", "Hat S again", "", "", "", "", "", "", "", ""],
        ["HAT-M", "Hat M", "4006381333931", "", "", "", "", "", "", ""],
    ]
    path = write_csv(tmp_path / "products.csv", header, rows)

    report = importing.import_products(ctx, path)

    assert (report.imported, report.skipped) == (3, 0)
    reasons = refused_rows(report)
    assert sorted(reasons) == [5, 6, 7, 8, 9]
    assert "needs a name" in reasons[5] and "Tracking must be none, lot or serial" in reasons[6]
    assert "cannot be negative" in reasons[7]
    assert (reasons[8], reasons[9]) == ("SKU HAT-S is on row 2 already.", "Barcode 4006381333931 is on row 2 already.")
    hat = catalog.find_variant(ctx, "4006381333931")
    assert (hat.sku, hat.attributes, str(hat.price), hat.reorder_point, hat.category) == (
        "HAT-S",
        {"size": "S", "colour": "red"},
        "9.9000",
        4,
        "Hats",
    )
    assert catalog.find_variant(ctx, "TV-1").tracking.value == "serial"
    before = snapshot(ctx)
    again = importing.import_products(ctx, path)
    assert (again.imported, again.skipped, sorted(refused_rows(again))) == (0, 3, [5, 6, 7, 8, 9])
    assert snapshot(ctx) == before
    taken = importing.import_products(
        ctx, write_csv(tmp_path / "more.csv", ["sku", "name", "barcode"], [["HAT-L", "Hat L", "4006381333931"]])
    )
    assert refused_rows(taken) == {2: "Barcode 4006381333931 is already used by another item."}


def test_products_from_xlsx(ctx, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["SKU", "Name", "Price", "Material"])
    book.active.append([10001, "Mug", 7.5, "stoneware"])
    book.save(tmp_path / "p.xlsx")

    assert importing.import_products(ctx, tmp_path / "p.xlsx").imported == 1
    mug = catalog.find_variant(ctx, "10001")
    assert (mug.name, str(mug.price), mug.attributes) == ("Mug", "7.5000", {"Material": "stoneware"})


# -- the online-retail layout -------------------------------------------------------------------

RETAIL_HEADER = [
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
]
RETAIL = [
    ["536365", "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", "6", "2010-12-01 08:26:00", "2.55", "17850.0", "UK"],
    ["536365", "71053", "WHITE METAL LANTERN", "6", "2010-12-01 08:26:00", "3.39", "17850.0", "UK"],
    ["536365", "71053", "WHITE METAL LANTERN", "6", "2010-12-01 08:26:00", "3.39", "17850.0", "UK"],  # exact repeat
    ["536366", "85123a", "WHITE HANGING HEART T-LIGHT HOLDER", "2", "2010-12-01 09:00:00", "2.55", "", "UK"],
    ["536366", "POST", "POSTAGE", "1", "2010-12-01 09:00:00", "18.00", "", "France"],
    ["536367", "DOT", "DOTCOM POSTAGE", "1", "2010-12-01 09:01:00", "569.77", "", "UK"],
    ["536368", "M", "Manual", "1", "2010-12-01 09:02:00", "1.00", "", "UK"],
    ["C536369", "C2", "CARRIAGE", "-1", "2010-12-01 09:03:00", "50.00", "", "UK"],
    ["C536370", "D", "Discount", "-1", "2010-12-01 09:04:00", "27.50", "", "UK"],
    ["536371", "S", "SAMPLES", "1", "2010-12-01 09:05:00", "3.00", "", "UK"],
    ["536372", "BANK CHARGES", "Bank Charges", "1", "2010-12-01 09:06:00", "15.00", "", "UK"],
    ["536373", "AMAZONFEE", "AMAZON FEE", "1", "2010-12-01 09:07:00", "13541.33", "", "UK"],
    ["536374", "CRUK", "CRUK Commission", "-1", "2010-12-01 09:08:00", "1.60", "", "UK"],
    ["536375", "gift_0001_20", "Dotcomgiftshop Gift Voucher £20.00", "1", "2010-12-01 09:09:00", "17.02", "", "UK"],
    ["536376", "PADS", "PADS TO MATCH ALL CUSHIONS", "1", "2010-12-01 09:10:00", "0.001", "", "UK"],
    ["C536377", "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", "-3", "2010-12-02 10:00:00", "2.55", "", "UK"],
    ["536378", "71053", "wet damaged", "-4", "2010-12-02 11:00:00", "0.0", "", "UK"],
    ["536379", "22139", "", "5", "2010-12-02 12:00:00", "0.0", "", "UK"],
    ["536380", "22139", "RETROSPOT TEA SET CERAMIC 11 PC", "7", "2010-12-03 12:00:00", "4.95", "", "UK"],
    ["536381", "71053", "WHITE METAL LANTERN", "0", "2010-12-03 12:00:00", "3.39", "", "UK"],
    ["536382", "71053", "WHITE METAL LANTERN", "1", "someday", "3.39", "", "UK"],
]


def test_the_online_retail_mapping_of_each_kind_of_line():
    def mapped(line):
        return map_line(9, dict(zip(RETAIL_HEADER, line, strict=True)), "SHOP")

    sale, cancel, write_off, found = (mapped(RETAIL[i]) for i in (0, 15, 16, 17))
    assert (sale.kind, sale.sku, sale.qty, sale.ref, sale.posted_at) == (
        "sell",
        "85123A",
        6,
        "536365",
        datetime(2010, 12, 1, 8, 26),
    )
    assert (cancel.kind, cancel.qty, cancel.ref, cancel.delta) == ("return", 3, "C536377", 3)
    assert (write_off.kind, write_off.reason, write_off.note, write_off.delta) == (
        "adjust",
        "WRITE_OFF",
        "wet damaged",
        -4,
    )
    assert (found.kind, found.reason, found.note, found.delta) == ("adjust", "FOUND", None, 5)
    assert mapped(RETAIL[3]).sku == "85123A"
    for line in RETAIL[4:15]:
        with pytest.raises(RowRefused, match=f"^{NOT_A_STOCK_ITEM}$"):
            mapped(line)
    with pytest.raises(RowRefused, match="Quantity is zero"):
        mapped(RETAIL[19])
    with pytest.raises(RowRefused, match="InvoiceDate must be written"):
        mapped(RETAIL[20])
    uci_date = [*RETAIL[0][:4], "12/1/2010 8:26", *RETAIL[0][5:]]
    assert mapped(uci_date).posted_at == datetime(2010, 12, 1, 8, 26)


def test_online_retail_sample_replays_with_created_products_and_opening_balances(world, tmp_path):
    path = write_csv(tmp_path / "retail.csv", RETAIL_HEADER, RETAIL)

    report = importing.import_movements(
        world, path, layout="online-retail", at="SHOP-FRONT", create_products=True, opening_balance=True
    )

    reasons = refused_rows(report)
    assert Counter(reasons.values())[NOT_A_STOCK_ITEM] == 11
    assert "Quantity is zero" in reasons[21] and "InvoiceDate must be written" in reasons[22]
    assert (report.imported, report.products_created, report.openings) == (8, 3, 3)
    # 85123A: sold 6 + 2 before 3 came back -> opening 8, ends at 3. 71053: sold 6 + 6, 4 written off
    # -> opening 16, ends at 0. 22139: 5 found before 7 sold -> opening 2, ends at 0.
    assert level(world, "85123A", "SHOP-FRONT") == (3, 0, 0)
    assert level(world, "71053", "SHOP-FRONT") == (0, 0, 0)
    assert level(world, "22139", "SHOP-FRONT") == (0, 0, 0)
    lantern = catalog.find_variant(world, "71053")
    assert (lantern.name, str(lantern.price), lantern.tracking.value) == ("WHITE METAL LANTERN", "3.3900", "none")
    assert catalog.find_variant(world, "22139").name == "RETROSPOT TEA SET CERAMIC 11 PC"
    history = queries.history(world, "71053")
    assert [(m.kind, m.qty, m.reason) for m in history] == [
        ("adjust", 16, "OPENING"),
        ("sell", 6, None),
        ("sell", 6, None),
        ("adjust", 4, "WRITE_OFF"),
    ]
    assert history[0].posted_at == datetime(2010, 12, 1)
    assert (history[3].note, history[3].reference, history[3].posted_at) == (
        "wet damaged",
        "536378",
        datetime(2010, 12, 2, 11),
    )
    assert [(m.reason, m.qty) for m in queries.history(world, "22139")] == [("OPENING", 2), ("FOUND", 5), (None, 7)]
    assert reconcile(world).clean

    before = snapshot(world)
    again = importing.import_movements(
        world, path, layout="online-retail", at="SHOP-FRONT", create_products=True, opening_balance=True
    )
    assert (again.imported, again.skipped, again.products_created, again.openings) == (0, 8, 0, 0)
    assert snapshot(world) == before


def test_online_retail_without_opening_balances_refuses_what_it_cannot_sell(world, tmp_path):
    path = write_csv(tmp_path / "retail.csv", RETAIL_HEADER, RETAIL)
    catalog.add_product(world, catalog.NewProduct("85123A", "Heart holder"))
    stock.receive(world, "85123A", 7, to="SHOP-FRONT")

    report = importing.import_movements(world, path, layout="online-retail", at="SHOP-FRONT")

    reasons = refused_rows(report)
    assert "No item has the SKU or barcode '71053'" in reasons[3]
    assert reasons[5] == ("Only 1 of 85123A available at SHOP-FRONT (on hand 1, reserved 0, quarantined 0); 2 needed.")
    assert report.imported == 2  # the first sale and the cancellation of 3
    assert level(world, "85123A", "SHOP-FRONT") == (4, 0, 0)
    assert reconcile(world).clean


def test_online_retail_needs_a_location_and_its_columns(world, tmp_path):
    path = write_csv(tmp_path / "retail.csv", RETAIL_HEADER, RETAIL[:2])
    with refused(world, InvalidInput, "needs --at LOC"):
        importing.import_movements(world, path, layout="online-retail")
    with refused(world, InvalidInput, "no location 'MARS'"):
        importing.import_movements(world, path, layout="online-retail", at="MARS")
    with refused(world, InvalidInput, "not an Online Retail file: the column\\(s\\) InvoiceNo"):
        importing.import_movements(world, movements_file(tmp_path / "m.csv", GOOD), layout="online-retail", at="SHOP")


@pytest.mark.skipif(not REAL_FILE.exists(), reason="the Online Retail data set is not on this machine")
def test_the_first_20000_lines_of_the_real_online_retail_file(world, tmp_path):
    sample = tmp_path / "online_retail_20k.csv.gz"
    with (
        gzip.open(REAL_FILE, "rt", encoding="utf-8", newline="") as source,
        gzip.open(sample, "wt", encoding="utf-8", newline="") as out,
    ):
        out.writelines(itertools.islice(source, 20_000))

    report = importing.import_movements(
        world, sample, layout="online-retail", at="SHOP-FRONT", create_products=True, opening_balance=True
    )

    assert report.rows == 19_999
    assert report.imported + len(report.refused) == 19_999
    assert set(refused_rows(report).values()) == {NOT_A_STOCK_ITEM}
    assert report.imported > 19_800 and report.products_created > 1_000 and report.openings > 1_000
    assert report.batches == 5  # products and openings, then 4 batches of at most 5,000 rows
    assert reconcile(world).clean
    assert all(r.on_hand >= 0 and r.reserved == 0 for r in queries.stock(world, at="SHOP-FRONT"))
    with world.reading() as uow:
        first, last = uow.connection.execute(
            select(func.min(MovementRecord.posted_at), func.max(MovementRecord.posted_at))
        ).one()
    assert (first, last.date().isoformat() < "2011-01-01") == (datetime(2010, 12, 1), True)

    again = importing.import_movements(world, sample, layout="online-retail", at="SHOP-FRONT", opening_balance=True)
    assert (again.imported, again.openings, again.skipped) == (0, 0, report.imported)


def test_lots_leave_first_expiring_first_as_of_each_rows_date(world, tmp_path):
    rows = [
        {"date": "2026-01-05", "kind": "receive", "sku": "MILK-1L", "qty": 4, "location": "SHOP-BACK", "lot": "OLD",
         "expiry": "2026-02-01"},
        {"date": "2026-01-05", "kind": "receive", "sku": "MILK-1L", "qty": 5, "location": "SHOP-BACK", "lot": "LATE",
         "expiry": "2099-12-01"},
        {"date": "2026-01-05", "kind": "receive", "sku": "MILK-1L", "qty": 3, "location": "SHOP-BACK", "lot": "SOON",
         "expiry": "2099-06-01"},
        {"date": "2026-01-20", "kind": "sell", "sku": "MILK-1L", "qty": 2, "location": "SHOP-BACK"},  # OLD still good
        {"date": "2026-03-01", "kind": "sell", "sku": "MILK-1L", "qty": 4, "location": "SHOP-BACK"},  # OLD expired
        {"date": "2026-03-01", "kind": "sell", "sku": "MILK-1L", "qty": 1, "location": "SHOP-BACK", "lot": "OLD"},
        {"date": "2026-03-01", "kind": "scrap", "sku": "MILK-1L", "qty": 2, "location": "SHOP-BACK", "lot": "OLD"},
        {"date": "2026-03-02", "kind": "sell", "sku": "MILK-1L", "qty": 5, "location": "SHOP-BACK"},
    ]  # fmt: skip

    report = importing.import_movements(world, movements_file(tmp_path / "milk.csv", rows))

    assert report.imported == 6
    assert "Lot OLD of MILK-1L expired on 2026-02-01; it may not be sold" in refused_rows(report)[7]
    assert "Only 4 of MILK-1L in unexpired lots at SHOP-BACK; 5 needed" in refused_rows(report)[9]
    sold = [(m.lot, m.qty) for m in queries.history(world, "MILK-1L") if m.kind == "sell"]
    assert sold == [("OLD", 2), ("SOON", 3), ("LATE", 1)]
    assert {r.lot: r.on_hand for r in queries.stock(world, "MILK-1L")} == {"LATE": 4}
    assert reconcile(world).clean


def test_opening_balances_for_our_own_layout(world, tmp_path):
    stock.receive(world, "TEE-M", 2, to="SHOP-FRONT")
    rows = [
        {"date": "2026-03-02 10:00", "kind": "sell", "sku": "TEE-M", "qty": 3, "location": "SHOP-FRONT"},
        {"date": "2026-03-03 10:00", "kind": "receive", "sku": "TEE-M", "qty": 2, "location": "SHOP-FRONT"},
        {"date": "2026-03-04 10:00", "kind": "sell", "sku": "TEE-M", "qty": 4, "location": "SHOP-FRONT"},
        {"date": "2026-03-04 11:00", "kind": "sell", "sku": "TEE-M", "qty": 1, "location": "SHOP-BACK"},
        {"date": "2026-03-04 12:00", "kind": "sell", "sku": "MILK-1L", "qty": 1, "location": "SHOP-BACK"},
    ]

    report = importing.import_movements(world, movements_file(tmp_path / "m.csv", rows), opening_balance=True)

    # SHOP-FRONT goes down to -5 from the file's start; 2 are there already, so the opening is 3.
    assert (report.imported, report.openings) == (4, 2)
    assert "MILK-1L" in refused_rows(report)[6]  # lot-tracked: no opening balance is guessed for it
    assert level(world, "TEE-M", "SHOP-FRONT") == (0, 0, 0) and level(world, "TEE-M", "SHOP-BACK") == (0, 0, 0)
    openings = [m for m in queries.history(world, "TEE-M") if m.reason == "OPENING"]
    assert [(m.to_location, m.qty, m.posted_at) for m in openings] == [
        ("SHOP-BACK", 1, datetime(2026, 3, 2)),
        ("SHOP-FRONT", 3, datetime(2026, 3, 2)),
    ]
    assert reconcile(world).clean


def test_the_same_file_imported_twice_at_once_posts_once(world, tmp_path):
    import threading

    from stockdesk.services.context import open_context

    stock.receive(world, "TEE-M", 1_000, to="SHOP-FRONT")
    rows = [
        {"date": f"2026-03-02 10:{i % 60:02d}", "kind": "sell", "sku": "TEE-M", "qty": 1, "location": "SHOP-FRONT"}
        for i in range(300)
    ]
    path = movements_file(tmp_path / "m.csv", rows)
    reports, errors = [], []

    def run() -> None:
        try:
            reports.append(importing.import_movements(open_context(world.database), path, batch_size=50))
        except Exception as failed:  # pragma: no cover - reported below
            errors.append(failed)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sum(r.imported for r in reports) == 300 and sum(r.skipped for r in reports) == 300
    assert level(world, "TEE-M", "SHOP-FRONT") == (700, 0, 0)
    assert count(world, PostingRecord) == 301
    assert reconcile(world).clean
