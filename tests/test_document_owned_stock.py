"""Stock that a document owns moves only with the document's own steps: the per-item commands refuse
a sales order's number, and a reversal refuses the movements of receipts, shipments, returns and an
order's reservation. Free references (a till's, a supplier's own note) keep working."""

from __future__ import annotations

import pytest

from stockdesk.domain.errors import InvalidInput, InvalidState
from stockdesk.services import importing, queries, stock
from stockdesk.services.packing import pack_scan
from stockdesk.services.po_receiving import PoReceiptLine, receive_po
from stockdesk.services.recall import recall_lot
from stockdesk.services.sales_orders import SoLineInput, cancel_order, confirm_order, create_order
from stockdesk.services.shipping import ReturnLine, return_shipment, ship_order
from tests.builders import freeze, level, refused
from tests.purchasing_world import sent_po, supplier
from tests.test_cli import Cli
from tests.test_import import movements_file


@pytest.fixture
def ordered(world):
    """10 tees at WH1-A-01 and order SO-n reserving 4 of them."""
    freeze(world)
    stock.receive(world, "TEE-M", 10, to="WH1-A-01")
    world.order_id = create_order(world, "Ada", [SoLineInput("TEE-M", 4)]).id
    confirm_order(world, world.order_id, site="WH1")
    return world


PER_ITEM = {
    "reserve": (lambda ctx, ref: stock.reserve(ctx, "TEE-M", 1, at="WH1-A-01", ref=ref), "so confirm {id} --site"),
    "release": (lambda ctx, ref: stock.release(ctx, "TEE-M", 2, at="WH1-A-01", ref=ref), "so cancel {id}`"),
    "ship": (lambda ctx, ref: stock.ship(ctx, "TEE-M", 2, source="WH1-A-01", ref=ref), "so ship {id} --carrier"),
    "return": (lambda ctx, ref: stock.return_goods(ctx, "TEE-M", 1, to="WH1-A-01", ref=ref), "so return SHIPMENT_ID"),
}


@pytest.mark.parametrize("command", PER_ITEM)
@pytest.mark.parametrize("written", ["SO-{id}", " so-{id} "])
def test_the_per_item_commands_refuse_a_sales_orders_number(ordered, command, written):
    run, step = PER_ITEM[command]

    with refused(ordered, InvalidInput, "is a sales order: its stock moves only with the order's own steps") as caught:
        run(ordered, written.format(id=ordered.order_id))

    assert step.format(id=ordered.order_id) in str(caught.value) and "or the Orders screen" in str(caught.value)
    assert level(ordered, "TEE-M", "WH1-A-01") == (10, 4, 0)


def test_an_import_file_does_not_ship_or_take_back_a_sales_orders_goods(ordered, tmp_path):
    ref = f"SO-{ordered.order_id}"
    rows = [
        {"date": "2030-06-01 10:00", "kind": "ship", "sku": "TEE-M", "qty": 2, "location": "WH1-A-01", "ref": ref},
        {"date": "2030-06-01 10:05", "kind": "return", "sku": "TEE-M", "qty": 1, "location": "WH1-A-01", "ref": ref},
        {"date": "2030-06-01 10:10", "kind": "ship", "sku": "TEE-M", "qty": 1, "location": "WH1-A-01", "ref": "ORD-1"},
    ]

    report = importing.import_movements(ordered, movements_file(tmp_path / "moves.csv", rows))

    assert report.imported == 1
    assert {r.row: r.reason.split(":")[0] for r in report.refused} == {
        2: f"{ref} is a sales order",
        3: f"{ref} is a sales order",
    }
    assert level(ordered, "TEE-M", "WH1-A-01") == (9, 4, 0)


def test_free_references_keep_working(ordered):
    stock.reserve(ordered, "TEE-M", 2, at="WH1-A-01", ref="ORD-1")
    stock.release(ordered, "TEE-M", 1, at="WH1-A-01", ref="ORD-1")
    stock.ship(ordered, "TEE-M", 1, source="WH1-A-01", ref="ORD-1")
    stock.return_goods(ordered, "TEE-M", 1, to="WH1-A-01", ref="ORD-1")
    [free] = stock.receive(ordered, "TEE-M", 3, to="WH1-A-02", ref="PO-7").movements  # the supplier's own number

    stock.reverse(ordered, free.id)

    assert level(ordered, "TEE-M", "WH1-A-01") == (10, 4, 0)
    assert level(ordered, "TEE-M", "WH1-A-02") == (0, 0, 0)


def test_an_orders_reservation_is_not_reversed_by_hand(ordered):
    [hold] = [m for m in queries.history(ordered, "TEE-M") if m.kind == "reserve"]

    with refused(ordered, InvalidInput, rf"belongs to SO-{ordered.order_id}'s reservation; cancel the order"):
        stock.reverse(ordered, hold.id)

    cancel_order(ordered, ordered.order_id)
    [back] = [m for m in queries.history(ordered, "TEE-M") if m.kind == "release"]
    with refused(ordered, InvalidInput, rf"SO-{ordered.order_id}'s release; confirm the order to reserve its stock"):
        stock.reverse(ordered, back.id)


def test_a_shipment_and_a_return_are_not_reversed_by_hand(ordered):
    for _ in range(4):
        pack_scan(ordered, ordered.order_id, "TEE-M")
    shipment = ship_order(ordered, ordered.order_id, carrier="DHL")
    [sent] = [m for m in queries.history(ordered, "TEE-M") if m.kind == "ship"]
    [came_back] = return_shipment(
        ordered, shipment.id, [ReturnLine("TEE-M", 1)], to="WH1-A-02", reason="wrong size"
    ).movements

    with refused(ordered, InvalidInput, rf"SO-{ordered.order_id}'s shipment {shipment.id}; take the goods back"):
        stock.reverse(ordered, sent.id)
    with refused(ordered, InvalidInput, rf"a return against SO-{ordered.order_id}'s shipment {shipment.id}; correct"):
        stock.reverse(ordered, came_back.id)


def test_a_purchase_receipt_is_not_reversed_by_hand(world):
    supplier(world)
    po = sent_po(world, [("TEE-M", 5)])
    booked = receive_po(world, po.id, [PoReceiptLine("TEE-M", 5)], delivery_ref="DN-1")
    [move] = booked.posting.movements

    with refused(world, InvalidInput, rf"belongs to PO-{po.id}'s receipt {booked.receipt_id}; reversing it would"):
        stock.reverse(world, move.id)


def test_a_recall_names_the_step_that_frees_each_orders_units(world):
    freeze(world)
    stock.receive(world, "MILK-1L", 3, to="WH1-A-01", lot="L1", expiry="2030-09-01")
    order_id = create_order(world, "Ada", [SoLineInput("MILK-1L", 2)]).id
    confirm_order(world, order_id, site="WH1")
    stock.reserve(world, "MILK-1L", 1, at="WH1-A-01", ref="ORD-9", lot="L1")

    with refused(
        world,
        InvalidState,
        rf"3 reserved for orders \(cancel SO-{order_id} on the Orders screen or with `so cancel`; "
        r"release ORD-9 with `release` first\)",
    ):
        recall_lot(world, "MILK-1L", "L1")


def test_the_cli_refuses_a_sales_orders_number_on_release(ordered, db_url):
    Cli(db_url).refused(
        "release", "TEE-M", "2", "--at", "WH1-A-01", "--ref", f"SO-{ordered.order_id}", match="so cancel"
    )
