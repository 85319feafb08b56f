"""A delivery of several items booked as one posting: all lines or none, each serial once, one key."""

from __future__ import annotations

from datetime import date

import pytest

from stockdesk.domain.errors import DuplicateKey, ExpiredLot, InvalidInput, NotFound, SerialConflict
from stockdesk.services import queries, stock
from stockdesk.services.reconcile import reconcile
from stockdesk.services.stock import ReceiptLine
from tests.builders import freeze, level, refused, snapshot


def postings(ctx) -> int:
    return len(snapshot(ctx)["postings"])


def delivery() -> list[ReceiptLine]:
    return [
        ReceiptLine("TEE-M", 10),
        ReceiptLine("MILK-1L", 12, lot="L-100", expiry="2030-06-20", to="WH1-B-01"),
        ReceiptLine("PHONE-X", 2, serials=["SN-1", "SN-2"]),
        ReceiptLine("4006381333931", 3, quarantine=True),
    ]


def test_a_delivery_of_several_items_is_one_posting(world):
    freeze(world)

    result = stock.receive_lines(world, delivery(), to="WH1-A-01", ref="DN-1", supplier="Dairy Co", key="DN-1")

    assert postings(world) == 1
    assert (result.reference, result.key, result.replayed) == ("DN-1", "DN-1", False)
    booked = [(m.sku, m.qty, m.lot, m.serial, m.from_location, m.to_location, m.to_bucket) for m in result.movements]
    assert booked == [
        ("TEE-M", 10, None, None, "@SUPPLIER", "WH1-A-01", "A"),
        ("MILK-1L", 12, "L-100", None, "@SUPPLIER", "WH1-B-01", "A"),
        ("PHONE-X", 1, None, "SN-1", "@SUPPLIER", "WH1-A-01", "A"),
        ("PHONE-X", 1, None, "SN-2", "@SUPPLIER", "WH1-A-01", "A"),
        ("TEE-M", 3, None, None, "@SUPPLIER", "WH1-A-01", "Q"),
    ]
    assert level(world, "TEE-M", "WH1-A-01") == (13, 0, 3)
    assert level(world, "MILK-1L", "WH1-B-01") == (12, 0, 0)
    assert level(world, "PHONE-X", "WH1-A-01") == (2, 0, 0)
    trace = queries.trace_lot(world, "L-100", "MILK-1L")
    assert (trace.lot.expires_on, trace.lot.supplier) == (date(2030, 6, 20), "Dairy Co")
    assert reconcile(world).clean


def test_two_lines_of_the_same_lot_share_it(world):
    freeze(world)
    lines = [ReceiptLine("MILK-1L", 4, lot="L-7", expiry="2030-07-01"), ReceiptLine("MILK-1L", 6, lot="L-7")]

    stock.receive_lines(world, lines, to="WH1-A-01")

    [row] = queries.stock(world, "MILK-1L")
    assert (row.lot, row.expires_on, row.on_hand) == ("L-7", date(2030, 7, 1), 10)


@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        (ReceiptLine("NOPE", 1), NotFound, r"^Line 3 \(NOPE\): No item has the SKU or barcode 'NOPE'"),
        (ReceiptLine("TEE-M", 0), InvalidInput, r"^Line 3 \(TEE-M\): Quantity must be greater than zero"),
        (ReceiptLine("TEE-M", "two"), InvalidInput, r"^Line 3 \(TEE-M\): Quantity must be a whole number"),
        (ReceiptLine("TEE-M", 1, to="WH9"), NotFound, r"^Line 3 \(TEE-M\): There is no location 'WH9'"),
        (ReceiptLine("MILK-1L", 5), InvalidInput, r"^Line 3 \(MILK-1L\): MILK-1L is tracked by lot"),
        (
            ReceiptLine("MILK-1L", 5, lot="L-OLD", expiry="2030-05-01"),
            ExpiredLot,
            r"^Line 3 \(MILK-1L\): Lot L-OLD expired on 2030-05-01",
        ),
        (ReceiptLine("MILK-1L", 5, lot="L-2", expiry="1 June"), InvalidInput, r"^Line 3 \(MILK-1L\): Expiry date"),
        (ReceiptLine("PHONE-X", 2, serials=["SN-9"]), InvalidInput, r"^Line 3 \(PHONE-X\): .*\(2 needed, 1 given\)"),
        (ReceiptLine("TEE-M", 1, lot="L-1"), InvalidInput, r"^Line 3 \(TEE-M\): TEE-M is not tracked by lot"),
    ],
)
def test_one_bad_line_refuses_the_whole_receipt(world, bad, error, match):
    freeze(world)
    lines = [ReceiptLine("TEE-M", 10), ReceiptLine("MILK-1L", 12, lot="L-100", expiry="2030-06-20"), bad]

    with refused(world, error, match):
        stock.receive_lines(world, lines, to="WH1-A-01")


def test_a_line_refused_after_earlier_lines_made_their_lot_and_serials_writes_nothing(world):
    """The last line fails only once the earlier lines have created their lot and serials: all roll back."""
    freeze(world)
    stock.receive(world, "PHONE-X", 1, to="WH1-A-02", serials=["SN-OLD"])
    lines = [
        ReceiptLine("MILK-1L", 12, lot="L-NEW", expiry="2030-06-20"),
        ReceiptLine("PHONE-X", 1, serials=["SN-NEW"]),
        ReceiptLine("PHONE-X", 1, serials=["SN-OLD"]),
    ]

    with refused(world, SerialConflict, r"^Line 3 \(PHONE-X\): Serial SN-OLD is already on the books at WH1-A-02"):
        stock.receive_lines(world, lines, to="WH1-A-01")


def test_the_same_serial_on_two_lines_is_refused(world):
    lines = [ReceiptLine("PHONE-X", 2, serials=["SN-1", "SN-2"]), ReceiptLine("PHONE-X", 2, serials=["SN-3", "SN-1 "])]

    with refused(world, InvalidInput, r"^Line 2 \(PHONE-X\): Serial SN-1 is already on line 1 of this receipt"):
        stock.receive_lines(world, lines, to="WH1-A-01")


def test_the_same_serial_twice_on_one_line_is_refused(world):
    lines = [ReceiptLine("TEE-M", 1), ReceiptLine("PHONE-X", 2, serials=["SN-1", "SN-1"])]

    with refused(world, InvalidInput, r"^Line 2 \(PHONE-X\): The same serial number was given twice"):
        stock.receive_lines(world, lines, to="WH1-A-01")


def test_a_replayed_key_books_the_receipt_once(world):
    freeze(world)
    first = stock.receive_lines(world, delivery(), to="WH1-A-01", ref="DN-1", key="receipt-1")
    before = snapshot(world)

    again = stock.receive_lines(world, delivery(), to="WH1-A-01", ref="DN-1", key="receipt-1")

    assert (again.replayed, again.posting_id, again.movements) == (True, first.posting_id, first.movements)
    assert snapshot(world) == before
    assert level(world, "TEE-M", "WH1-A-01") == (13, 0, 3)


def test_a_key_reused_for_another_receipt_is_refused(world):
    freeze(world)
    stock.receive_lines(world, delivery(), to="WH1-A-01", key="receipt-1")

    with refused(world, DuplicateKey, "'receipt-1' was already used for a different request"):
        stock.receive_lines(world, [*delivery(), ReceiptLine("TEE-M", 1)], to="WH1-A-01", key="receipt-1")


def test_every_line_needs_somewhere_to_go(world):
    lines = [ReceiptLine("TEE-M", 1, to="WH1-A-01"), ReceiptLine("TEE-M", 1)]

    with refused(world, InvalidInput, r"^Line 2 \(TEE-M\): Say where the goods go"):
        stock.receive_lines(world, lines)


def test_an_empty_receipt_is_refused(world):
    with refused(world, InvalidInput, "The receipt has no lines"):
        stock.receive_lines(world, [], to="WH1-A-01")


def test_a_receipt_of_one_line_speaks_without_line_numbers(world):
    with refused(world, NotFound, r"^No item has the SKU or barcode 'NOPE'"):
        stock.receive_lines(world, [ReceiptLine("NOPE", 1)], to="WH1-A-01")
