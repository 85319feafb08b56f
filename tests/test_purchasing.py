"""Suppliers and the purchase order lifecycle: draft -> sent -> partial/received -> closed, or cancelled.

While an order is sent its open lines are "on order" in every stock figure (queries.stock, the
stock screen's pages, the CLI's stock output); receiving, closing or cancelling takes them off.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import update

from stockdesk.cli.main import main as cli_main
from stockdesk.db.records import purchase_order_lines
from stockdesk.domain.errors import AlreadyExists, InvalidInput, InvalidState, NotFound, PermissionDenied
from stockdesk.services import browse, queries, suppliers
from stockdesk.services.browse import StockFilter
from stockdesk.services.po_receiving import PoReceiptLine, receive_po
from stockdesk.services.purchase_orders import (
    PoLineInput,
    add_po_line,
    cancel_po,
    close_po,
    create_po,
    get_po,
    list_pos,
    remove_po_line,
    send_po,
)
from stockdesk.services.reconcile import reconcile
from tests.builders import as_user, freeze, refused
from tests.purchasing_world import line, sent_po, supplier


@pytest.fixture
def buying(world):
    freeze(world)
    supplier(world)
    return world


def on_order(ctx, sku: str) -> dict[str | None, int]:
    return {r.location: r.on_order for r in queries.stock(ctx, sku) if r.on_order}


def browsed_on_order(ctx, sku: str) -> int:
    page = browse.stock_page(ctx, StockFilter(text=sku))
    return sum(r.on_order for r in page.rows if r.sku == sku)


def cli_on_order(ctx, capsys, sku: str) -> int:
    assert cli_main(["--db", ctx.database.url, "stock", sku, "--json"]) == 0
    return sum(r["on_order"] for r in json.loads(capsys.readouterr().out)["rows"])


# -- suppliers ----------------------------------------------------------------------------------


def test_suppliers_are_added_listed_by_code_and_updated(world):
    suppliers.add_supplier(world, "ZED", "Zed Foods", email="buy@zed.example", lead_time_days="3", over_receipt_pct=5)
    suppliers.add_supplier(world, "ACME", "Acme Ltd", phone="+44 1234")

    assert [s.code for s in suppliers.list_suppliers(world)] == ["ACME", "ZED"]
    zed = suppliers.update_supplier(world, "ZED", name="Zed Fresh Foods", email="", over_receipt_pct="10")
    assert (zed.name, zed.email, zed.lead_time_days, zed.over_receipt_pct) == ("Zed Fresh Foods", None, 3, 10)

    suppliers.update_supplier(world, "ACME", active=False)
    assert [s.code for s in suppliers.list_suppliers(world)] == ["ZED"]
    assert [(s.code, s.active) for s in suppliers.list_suppliers(world, include_inactive=True)] == [
        ("ACME", False),
        ("ZED", True),
    ]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda c: suppliers.add_supplier(c, "ACME", "Again"), AlreadyExists, "Supplier ACME already exists"),
        (lambda c: suppliers.add_supplier(c, "NEW", "  "), InvalidInput, "needs a name"),
        (lambda c: suppliers.add_supplier(c, "", "Nameless"), InvalidInput, "Supplier code cannot be empty"),
        (lambda c: suppliers.add_supplier(c, "NEW", "New", email="nobody"), InvalidInput, "not an e-mail"),
        (lambda c: suppliers.add_supplier(c, "NEW", "New", over_receipt_pct=-5), InvalidInput, "zero or more"),
        (lambda c: suppliers.add_supplier(c, "NEW", "New", lead_time_days="soon"), InvalidInput, "'soon' is not"),
        (lambda c: suppliers.update_supplier(c, "NOPE", name="x"), NotFound, "There is no supplier 'NOPE'"),
    ],
)
def test_bad_supplier_input_is_refused(buying, call, error, match):
    with refused(buying, error, match):
        call(buying)


def test_staff_may_not_manage_suppliers_or_orders(buying):
    clerk = as_user(buying, "sam")
    with refused(clerk, PermissionDenied, "may not manage suppliers and purchase orders"):
        suppliers.add_supplier(clerk, "NEW", "New")
    with refused(clerk, PermissionDenied, "may not manage suppliers"):
        create_po(clerk, "ACME", deliver_to="WH1-A-01")


# -- the lifecycle ------------------------------------------------------------------------------


def test_a_draft_order_collects_lines_with_costs_and_is_not_on_order(buying):
    po = create_po(
        buying,
        "ACME",
        deliver_to="WH1-A-01",
        lines=[PoLineInput("TEE-M", 10), PoLineInput("MILK-1L", "24", unit_cost="0.55", expected_on="2030-06-10")],
        expected_on=date(2030, 6, 12),
        note="summer stock",
    )

    assert (po.number, po.status, po.supplier_name, po.deliver_to) == (f"PO-{po.id}", "draft", "Acme Ltd", "WH1-A-01")
    assert [(ln.sku, ln.ordered, ln.unit_cost, ln.on_order) for ln in po.lines] == [
        ("TEE-M", 10, Decimal("4.5"), 0),
        ("MILK-1L", 24, Decimal("0.55"), 0),
    ]
    assert line(po, "MILK-1L").expected_on == date(2030, 6, 10)
    assert po.total_cost == Decimal("58.2")
    assert on_order(buying, "TEE-M") == {}

    po = add_po_line(buying, po.id, PoLineInput("PHONE-X", 2, "190"))
    po = remove_po_line(buying, po.id, line(po, "TEE-M").id)
    assert [ln.sku for ln in po.lines] == ["MILK-1L", "PHONE-X"]
    assert get_po(buying, po.id) == po


def test_sent_lines_are_on_order_everywhere_until_received(buying, capsys):
    po = sent_po(buying, [("TEE-M", 10)])
    assert po.status == "sent" and po.sent_at is not None

    assert on_order(buying, "TEE-M") == {"WH1-A-01": 10}
    assert browsed_on_order(buying, "TEE-M") == 10
    assert cli_on_order(buying, capsys, "TEE-M") == 10

    receive_po(buying, po.id, [PoReceiptLine("TEE-M", 4)], delivery_ref="DN-1")
    assert on_order(buying, "TEE-M") == {"WH1-A-01": 6}
    assert get_po(buying, po.id).status == "partial"

    receive_po(buying, po.id, [PoReceiptLine("TEE-M", 6)], delivery_ref="DN-2")
    assert get_po(buying, po.id).status == "received"
    assert on_order(buying, "TEE-M") == {}
    assert browsed_on_order(buying, "TEE-M") == 0
    assert cli_on_order(buying, capsys, "TEE-M") == 0
    assert reconcile(buying).clean


def test_closing_records_what_never_came_as_short(buying, capsys):
    po = sent_po(buying, [("TEE-M", 10), ("MILK-1L", 5)])
    receive_po(buying, po.id, [PoReceiptLine("TEE-M", 7)], delivery_ref="DN-1")

    closed = close_po(buying, po.id, note="supplier out of stock")

    assert closed.status == "closed"
    assert [(d.kind, d.sku, d.qty, d.note) for d in closed.discrepancies] == [
        ("short", "TEE-M", 3, "supplier out of stock"),
        ("short", "MILK-1L", 5, "supplier out of stock"),
    ]
    assert all(ln.on_order == 0 for ln in closed.lines)
    assert on_order(buying, "TEE-M") == {} and on_order(buying, "MILK-1L") == {}
    assert cli_on_order(buying, capsys, "MILK-1L") == 0
    assert reconcile(buying).clean


def test_cancelling_a_sent_order_takes_it_off_order(buying):
    po = sent_po(buying, [("TEE-M", 10)])
    draft = create_po(buying, "ACME", deliver_to="SHOP-FRONT", lines=[PoLineInput("TEE-M", 3)])

    assert cancel_po(buying, po.id).status == "cancelled"
    assert cancel_po(buying, draft.id).status == "cancelled"
    assert on_order(buying, "TEE-M") == {}
    assert browsed_on_order(buying, "TEE-M") == 0


def test_a_line_added_to_a_sent_order_is_on_order_at_once(buying):
    po = sent_po(buying, [("TEE-M", 10)])

    po = add_po_line(buying, po.id, PoLineInput("MILK-1L", 12))

    assert line(po, "MILK-1L").on_order == 12
    assert on_order(buying, "MILK-1L") == {"WH1-A-01": 12}


def test_orders_are_listed_newest_first_and_filtered(buying):
    supplier(buying, "ZED")
    first = sent_po(buying)
    second = create_po(buying, "ZED", deliver_to="SHOP-FRONT")
    third = sent_po(buying, vendor="ZED")
    cancel_po(buying, third.id)

    assert [p.id for p in list_pos(buying)] == [third.id, second.id, first.id]
    assert [p.id for p in list_pos(buying, status="sent")] == [first.id]
    assert [p.id for p in list_pos(buying, supplier="ZED")] == [third.id, second.id]
    assert [p.id for p in list_pos(buying, open_only=True)] == [second.id, first.id]
    assert list_pos(buying, status="cancelled", open_only=True) == []


# -- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"supplier": "NOPE"}, NotFound, "There is no supplier 'NOPE'"),
        ({"deliver_to": "NOWHERE"}, NotFound, "There is no location 'NOWHERE'"),
        ({"lines": [PoLineInput("NOPE", 1)]}, NotFound, "No item has the SKU or barcode 'NOPE'"),
        ({"lines": [PoLineInput("TEE-M", 0)]}, InvalidInput, "Quantity of TEE-M must be greater than zero"),
        ({"lines": [PoLineInput("TEE-M", "ten")]}, InvalidInput, "'ten' is not"),
        ({"lines": [PoLineInput("TEE-M", 1, "-2")]}, InvalidInput, "Unit cost of TEE-M cannot be negative"),
        ({"lines": [PoLineInput("TEE-M", 1, expected_on="next week")]}, InvalidInput, "YYYY-MM-DD"),
        ({"lines": [PoLineInput("TEE-M", 1), PoLineInput("4006381333931", 2)]}, InvalidInput, "already on PO-"),
        ({"note": "x" * 1001}, InvalidInput, "longer than 1000"),
    ],
)
def test_bad_orders_are_refused(buying, kwargs, error, match):
    values = {"supplier": "ACME", "deliver_to": "WH1-A-01", **kwargs}
    with refused(buying, error, match):
        create_po(buying, values.pop("supplier"), **values)


def test_an_inactive_supplier_takes_no_orders(buying):
    suppliers.update_supplier(buying, "ACME", active=False)
    with refused(buying, InvalidInput, "Supplier ACME is inactive"):
        create_po(buying, "ACME", deliver_to="WH1-A-01")


def test_steps_out_of_order_are_refused(buying):
    empty = create_po(buying, "ACME", deliver_to="WH1-A-01")
    with refused(buying, InvalidInput, f"PO-{empty.id} has no lines"):
        send_po(buying, empty.id)
    with refused(buying, InvalidState, "only a sent or partial order can be closed"):
        close_po(buying, empty.id)

    po = sent_po(buying)
    with refused(buying, InvalidState, "is sent; only a draft order can be sent"):
        send_po(buying, po.id)
    with refused(buying, InvalidState, "only a draft order can have lines removed"):
        remove_po_line(buying, po.id, po.lines[0].id)
    with refused(buying, InvalidInput, "TEE-M is already on"):
        add_po_line(buying, po.id, PoLineInput("TEE-M", 1))

    receive_po(buying, po.id, [PoReceiptLine("TEE-M", 1)], delivery_ref="DN-1")
    with refused(buying, InvalidState, "close it instead of cancelling"):
        cancel_po(buying, po.id)
    with refused(buying, InvalidState, "is partial; only a draft or sent order can be given new lines"):
        add_po_line(buying, po.id, PoLineInput("MILK-1L", 1))
    close_po(buying, po.id)
    with refused(buying, InvalidState, "is closed; only a draft or sent order can be cancelled"):
        cancel_po(buying, po.id)


def test_unknown_orders_lines_and_statuses_are_refused(buying):
    draft = create_po(buying, "ACME", deliver_to="WH1-A-01")
    with refused(buying, NotFound, "There is no purchase order PO-999"):
        get_po(buying, 999)
    with refused(buying, NotFound, f"PO-{draft.id} has no line 999"):
        remove_po_line(buying, draft.id, 999)
    with refused(buying, InvalidInput, "'open' is not a status"):
        list_pos(buying, status="open")


def test_reconciliation_reports_and_repairs_on_order_drift(buying):
    po = sent_po(buying, [("TEE-M", 10)])
    receive_po(buying, po.id, [PoReceiptLine("TEE-M", 4)], delivery_ref="DN-1")
    with buying.writing() as uow:
        uow.connection.execute(update(purchase_order_lines).values(qty_on_order=9))
        uow.commit()

    [drift] = reconcile(buying).drifts
    assert (drift.what, drift.sku, drift.location) == ("on order", "TEE-M", "WH1-A-01")
    assert (drift.stored, drift.ledger) == (f"PO-{po.id}: on order 9", f"PO-{po.id}: outstanding 6")

    assert reconcile(buying, repair=True).repaired
    assert reconcile(buying).clean
    assert on_order(buying, "TEE-M") == {"WH1-A-01": 6}
