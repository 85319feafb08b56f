"""The Purchasing screen, driven from the keyboard and the scanner: a purchase order from the new-order
form to the bins, wrong items, a delivery over tolerance, reorder, suppliers, and what staff may do;
checked on screen and in the books."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from stockdesk.app import build_session
from stockdesk.domain.catalog import VariantRow
from stockdesk.domain.quantities import Tracking
from stockdesk.services import catalog, purchase_orders, queries, reorder, stock, suppliers
from stockdesk.services.lookup import ScanKind, identify
from stockdesk.services.purchase_orders import PoLineInput
from stockdesk.services.stock import ReceiptLine
from stockdesk.ui.screens.purchasing import PurchasingScreen
from stockdesk.ui.screens.purchasing_receipt import PoDraftLine
from tests.builders import as_user, freeze, level, snapshot
from tests.ui.conftest import wait_idle
from tests.ui.driving import activated, open_screen, scan

CTRL, SHIFT, ALT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
    Qt.KeyboardModifier.AltModifier,
)


@pytest.fixture
def buying(session):
    """A supplier who may deliver 50% over, and T-shirts already in one bin of WH1."""
    freeze(session.ctx)
    suppliers.add_supplier(session.ctx, "ACME", "Acme Wholesale", over_receipt_pct=50)
    stock.receive(session.ctx, "TEE-M", 2, to="WH1-A-02")
    return session


def keys(qtbot, screen, key: Qt.Key, modifiers=CTRL | SHIFT) -> None:
    qtbot.keyClick(screen.scan, key, modifiers)


def sent_order(ctx, *lines: tuple[str, int], supplier: str = "ACME") -> int:
    po = purchase_orders.create_po(ctx, supplier, deliver_to="WH1", lines=[PoLineInput(s, q) for s, q in lines])
    return purchase_orders.send_po(ctx, po.id).id


def column(model, title: str) -> list[str]:
    """One column of a table as the user reads it."""
    position = next(i for i, c in enumerate(model.columns) if c.title == title)
    return [model.index(row, position).data() for row in range(model.rowCount())]


def on_order(ctx, sku: str) -> int:
    return sum(row.on_order for row in queries.stock(ctx, sku))


def test_a_purchase_order_goes_from_creation_to_put_away(qtbot, buying, qtmodeltester):
    ctx = buying.ctx
    screen = open_screen(qtbot, buying, PurchasingScreen)

    keys(qtbot, screen, Qt.Key.Key_N, CTRL)
    dialog = screen.orders.new_dialog
    activated(qtbot, dialog)
    dialog.supplier.setCurrentIndex(dialog.supplier.findData("ACME"))
    assert dialog.deliver_to.choose("WH1")
    qtbot.keyClicks(dialog.expected, "2030-06-10")
    dialog.adder.qty.selectAll()
    qtbot.keyClicks(dialog.adder.qty, "4")
    scan(qtbot, dialog.adder.item_field, "4006381333931")  # TEE-M by its barcode
    dialog.adder.qty.selectAll()
    qtbot.keyClicks(dialog.adder.qty, "5")
    qtbot.keyClicks(dialog.adder.cost, "0.55")
    scan(qtbot, dialog.adder.item_field, "MILK-1L")
    assert [(x.sku, x.qty) for x in dialog.model.rows] == [("TEE-M", 4), ("MILK-1L", 5)]
    assert column(dialog.model, "Unit cost") == ["4.50", "0.55"] and "9 units, 20.75" in dialog.totals.text()
    qtmodeltester.check(dialog.model)
    qtbot.keyClick(dialog.adder.item_field, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    activated(qtbot, screen)

    [po] = purchase_orders.list_pos(ctx)
    assert (po.status, po.supplier_code, po.deliver_to, str(po.expected_on)) == ("draft", "ACME", "WH1", "2030-06-10")
    assert [(x.sku, x.ordered, x.unit_cost) for x in po.lines] == [
        ("TEE-M", 4, Decimal("4.5")),
        ("MILK-1L", 5, Decimal("0.55")),
    ]
    assert screen.orders.current.id == po.id and f"{po.number} drafted" in screen.message.text()
    assert column(screen.orders.model, "Total cost") == ["20.75"]

    keys(qtbot, screen, Qt.Key.Key_S)  # send
    assert purchase_orders.get_po(ctx, po.id).status == "sent"
    assert (on_order(ctx, "TEE-M"), on_order(ctx, "MILK-1L")) == (4, 5)
    assert column(screen.orders.model, "Status") == ["sent"] and column(screen.orders.model, "Open units") == ["9"]

    keys(qtbot, screen, Qt.Key.Key_R)  # receive
    receiving = screen.receiving
    assert screen.tabs.currentWidget() is receiving
    assert column(receiving.lines, "SKU") == ["TEE-M", "MILK-1L"]
    assert column(receiving.lines, "Outstanding") == ["4", "5"]
    scan(qtbot, screen, "4006381333931", "TEE-M", "TEE-M", "TEE-M")
    qtbot.keyClick(screen.scan, Qt.Key.Key_D, ALT)  # the damaged count of the selected (T-shirt) line
    assert receiving.form.editor.damaged.hasFocus()
    qtbot.keyClick(receiving.form.editor.damaged, Qt.Key.Key_Up)
    screen.activate()
    scan(qtbot, screen, "MILK-1L", "MILK-1L")
    assert "lot number of MILK-1L" in screen.prompt.text()
    scan(qtbot, screen, "L-77", "2030-09-01")
    qtbot.keyClicks(receiving.form.delivery_ref, "DN-1")
    assert column(receiving.lines, "Arrived") == ["4", "2"]
    assert column(receiving.lines, "Damaged") == ["1", ""]
    assert column(receiving.lines, "State") == ["complete", "3 still to come"]
    qtmodeltester.check(receiving.lines)

    keys(qtbot, screen, Qt.Key.Key_Return, CTRL)  # post

    assert screen.message.kind == "done", screen.message.text()
    assert "6 units booked at WH1" in screen.message.text() and "1 of them damaged" in screen.message.text()
    assert level(ctx, "TEE-M", "WH1") == (4, 0, 1), "three sound, one damaged in quarantine"
    assert level(ctx, "MILK-1L", "WH1") == (2, 0, 0)
    assert (on_order(ctx, "TEE-M"), on_order(ctx, "MILK-1L")) == (0, 3)
    after = purchase_orders.get_po(ctx, po.id)
    assert after.status == "partial"
    assert [(d.kind, d.sku, d.qty) for d in after.discrepancies] == [("damaged", "TEE-M", 1)]
    assert receiving.outcome.isVisible() and column(receiving.outcome.discrepancies, "Discrepancy") == ["damaged"]
    assert column(receiving.lines, "SKU") == ["MILK-1L"], "the rest of the order is ready for the next delivery"
    qtmodeltester.check(receiving.outcome.discrepancies)

    keys(qtbot, screen, Qt.Key.Key_P)  # put away
    putaway = screen.putaway
    assert screen.tabs.currentWidget() is putaway
    assert [(t.sku, t.qty, t.lot) for t in putaway.tasks.rows] == [("TEE-M", 3, None), ("MILK-1L", 2, "L-77")]
    qtmodeltester.check(putaway.tasks)
    putaway.table.selectRow(0)
    first = putaway.suggestions.item(0)
    assert first.data(Qt.ItemDataRole.UserRole) == "WH1-A-02" and "already holds TEE-M" in first.text()
    assert putaway.suggestions.count() == 3 and "already holds TEE-M" in first.toolTip()
    screen.activate()
    qtbot.keyClick(screen.scan, Qt.Key.Key_Return)  # Enter takes the best bin

    assert level(ctx, "TEE-M", "WH1-A-02") == (5, 0, 0)
    assert level(ctx, "TEE-M", "WH1") == (1, 0, 1), "the damaged unit stays in quarantine at receiving"
    assert [t.sku for t in putaway.tasks.rows] == ["MILK-1L"] and "put away into WH1-A-02" in screen.message.text()
    scan(qtbot, screen, "WH1-B-01")  # any bin, scanned

    assert level(ctx, "MILK-1L", "WH1-B-01") == (2, 0, 0) and level(ctx, "MILK-1L", "WH1") == (0, 0, 0)
    assert [r.lot for r in queries.stock(ctx, "MILK-1L") if r.location == "WH1-B-01"] == ["L-77"]
    assert putaway.tasks.rows == [] and "everything received is put away" in putaway.heading.text()


def test_a_sent_order_gets_a_line_and_a_draft_is_cancelled(qtbot, buying):
    ctx = buying.ctx
    sent = sent_order(ctx, ("TEE-M", 2))
    draft = purchase_orders.create_po(ctx, "ACME", deliver_to="SHOP", lines=[PoLineInput("MILK-1L", 3)]).id
    screen = open_screen(qtbot, buying, PurchasingScreen)
    assert [row.id for row in screen.orders.model.rows] == [draft, sent]

    scan(qtbot, screen, f"PO-{sent}")
    assert not screen.orders.send_action.isEnabled() and screen.orders.add_line_action.isEnabled()
    keys(qtbot, screen, Qt.Key.Key_L)
    adding = screen.orders.lines_dialog
    activated(qtbot, adding)
    scan(qtbot, adding.adder.item_field, "MILK-1L")
    assert "Added 1 × MILK-1L" in adding.message.text()
    scan(qtbot, adding.adder.item_field, "MILK-1L")  # the same item twice: refused beside the form
    assert adding.message.kind == "error" and "already on" in adding.message.text()
    adding.accept()
    activated(qtbot, screen)
    assert on_order(ctx, "MILK-1L") == 1, "a sent order's new line is on order at once"
    assert column(screen.orders.lines_model, "SKU") == ["TEE-M", "MILK-1L"]

    scan(qtbot, screen, str(draft))
    assert screen.orders.send_action.isEnabled() and screen.orders.remove_action.isEnabled()
    screen.orders.lines_view.setFocus()
    screen.orders.lines_view.selectRow(0)
    qtbot.keyClick(screen.orders.lines_view, Qt.Key.Key_Delete)  # a draft's line can still go
    assert purchase_orders.get_po(ctx, draft).lines == () and screen.orders.lines_model.rows == []
    screen.activate()
    keys(qtbot, screen, Qt.Key.Key_C)
    assert purchase_orders.get_po(ctx, draft).status == "cancelled"
    assert screen.orders.current.status == "cancelled" and not screen.orders.cancel_action.isEnabled()


def test_closing_asks_first_and_records_what_never_came_as_short(qtbot, buying):
    ctx = buying.ctx
    po_id = sent_order(ctx, ("TEE-M", 5), ("MILK-1L", 2))
    screen = open_screen(qtbot, buying, PurchasingScreen)
    scan(qtbot, screen, f"po-{po_id}")

    keys(qtbot, screen, Qt.Key.Key_X)
    question = screen.orders.close_question
    activated(qtbot, question)
    assert "TEE-M: 5" in question.informativeText() and "MILK-1L: 2" in question.informativeText()
    before = snapshot(ctx)
    qtbot.keyClick(question, Qt.Key.Key_Escape)  # changed their mind
    assert snapshot(ctx) == before
    activated(qtbot, screen)

    keys(qtbot, screen, Qt.Key.Key_X)
    question = screen.orders.close_question
    activated(qtbot, question)
    qtbot.keyClick(question, Qt.Key.Key_O, ALT)
    qtbot.waitUntil(lambda: not question.isVisible())  # a mnemonic presses the button visibly, then clicks

    closed = purchase_orders.get_po(ctx, po_id)
    assert closed.status == "closed" and on_order(ctx, "TEE-M") == 0
    assert [(d.kind, d.sku, d.qty) for d in closed.discrepancies] == [("short", "TEE-M", 5), ("short", "MILK-1L", 2)]
    assert column(screen.orders.discrepancies_model, "Discrepancy") == ["short", "short"]


def test_items_not_on_the_order_are_asked_about_once_each(qtbot, buying):
    ctx = buying.ctx
    for sku in ("CAP-1", "SOCK-1", "BAG-1"):
        catalog.add_product(ctx, catalog.NewProduct(sku, sku.title(), cost="2"))
    po_id = sent_order(ctx, ("TEE-M", 2))
    screen = open_screen(qtbot, buying, PurchasingScreen)
    scan(qtbot, screen, f"PO-{po_id}")
    keys(qtbot, screen, Qt.Key.Key_R)
    receiving = screen.receiving

    def answer(letter: str) -> None:
        question = receiving.question
        activated(qtbot, question)
        assert "is not on" in question.text()
        qtbot.keyClick(question, letter, ALT)
        qtbot.waitUntil(lambda: receiving.question is None)
        activated(qtbot, screen)

    scan(qtbot, screen, "TEE-M", "CAP-1")
    answer("k")  # keep
    scan(qtbot, screen, "CAP-1")  # not asked again
    assert receiving.question is None
    scan(qtbot, screen, "SOCK-1")
    answer("s")  # return to supplier
    scan(qtbot, screen, "BAG-1")
    answer("r")  # refuse
    assert screen.message.kind == "error" and "BAG-1 is not on" in screen.message.text()
    scan(qtbot, screen, "BAG-1")
    assert receiving.question is None and "refused" in screen.message.text()
    assert column(receiving.lines, "SKU") == ["TEE-M", "CAP-1", "SOCK-1"]
    assert column(receiving.lines, "Arrived") == ["1", "2", "1"]
    assert column(receiving.lines, "State")[1:] == ["not ordered: kept, flagged", "not ordered: goes back"]
    qtbot.keyClicks(receiving.form.delivery_ref, "DN-7")
    before = snapshot(ctx)

    keys(qtbot, screen, Qt.Key.Key_Return, CTRL)

    assert screen.message.kind == "done", screen.message.text()
    after = snapshot(ctx)
    assert [len(after[t]) - len(before[t]) for t in ("postings", "purchase_receipts")] == [1, 1], "one receipt"
    assert [d.kind for d in receiving.outcome.discrepancies.rows] == ["wrong_item", "wrong_item"]
    po = purchase_orders.get_po(ctx, po_id)
    assert [(x.sku, x.received, x.unplanned) for x in po.lines] == [("TEE-M", 1, False), ("CAP-1", 2, True)]
    wrong = sorted((d.sku, d.qty, d.kept) for d in po.discrepancies if d.kind == "wrong_item")
    assert wrong == [("CAP-1", 2, True), ("SOCK-1", 1, False)]
    assert level(ctx, "CAP-1", "WH1") == (2, 0, 0) and level(ctx, "SOCK-1", "WH1") == (0, 0, 0)
    assert level(ctx, "BAG-1", "WH1") == (0, 0, 0)


def test_a_delivery_over_the_tolerance_is_refused_and_nothing_changes(qtbot, buying):
    ctx = buying.ctx
    po_id = sent_order(ctx, ("TEE-M", 2))  # ACME may deliver 50% over: 3 at most
    screen = open_screen(qtbot, buying, PurchasingScreen)
    scan(qtbot, screen, f"PO-{po_id}")
    keys(qtbot, screen, Qt.Key.Key_R)
    scan(qtbot, screen, "TEE-M", "TEE-M", "TEE-M", "TEE-M")
    assert column(screen.receiving.lines, "State") == ["2 over the order"]
    qtbot.keyClicks(screen.receiving.form.delivery_ref, "DN-3")
    before = snapshot(ctx)

    keys(qtbot, screen, Qt.Key.Key_Return, CTRL)

    assert snapshot(ctx) == before
    assert screen.message.kind == "error"
    assert "TEE-M: 4 more would make 4 received against 2 ordered" in screen.message.text()
    assert "at most 3" in screen.message.text()
    assert column(screen.receiving.lines, "Arrived") == ["4"], "the scans stay, to be corrected"
    assert screen.receiving.post_action.isEnabled()

    other = sent_order(ctx, ("MILK-1L", 1))
    scan(qtbot, screen, f"PO-{other}")  # another order's label: the half-scanned delivery is not thrown away
    assert f"The delivery of PO-{po_id} is half scanned" in screen.message.text()
    assert column(screen.receiving.lines, "Arrived") == ["4"] and screen.receiving.receipt.po.id == po_id


def test_a_delivery_is_not_posted_without_its_note_number(qtbot, buying):
    ctx = buying.ctx
    po_id = sent_order(ctx, ("TEE-M", 2))
    screen = open_screen(qtbot, buying, PurchasingScreen)
    scan(qtbot, screen, f"PO-{po_id}")
    keys(qtbot, screen, Qt.Key.Key_R)
    scan(qtbot, screen, "TEE-M", "TEE-M")
    before = snapshot(ctx)

    keys(qtbot, screen, Qt.Key.Key_Return, CTRL)

    assert snapshot(ctx) == before
    assert screen.message.kind == "error" and "Give the delivery note number" in screen.message.text()
    form = screen.receiving.form
    qtbot.waitUntil(form.delivery_ref.hasFocus)
    assert column(screen.receiving.lines, "Arrived") == ["2"], "the scans stay"

    qtbot.keyClicks(form.delivery_ref, "DN-5")
    keys(qtbot, screen, Qt.Key.Key_Return, CTRL)

    assert screen.message.kind == "done", screen.message.text()
    assert level(ctx, "TEE-M", "WH1") == (2, 0, 0)


def test_reorder_lists_what_is_short_and_drafts_the_order(qtbot, buying, qtmodeltester):
    ctx = buying.ctx
    reorder.set_reorder_rule(ctx, "TEE-M", site="SHOP", reorder_point=5, max_qty=12, supplier="ACME")
    screen = open_screen(qtbot, buying, PurchasingScreen)

    keys(qtbot, screen, Qt.Key.Key_4, ALT)
    pane = screen.reorder
    assert screen.tabs.currentWidget() is pane
    assert [(r.sku, r.site, r.order_qty, r.supplier) for r in pane.model.rows] == [("TEE-M", "SHOP", 12, "ACME")]
    qtmodeltester.check(pane.model)
    keys(qtbot, screen, Qt.Key.Key_D)

    [drafted] = purchase_orders.list_pos(ctx, status="draft")
    assert (drafted.supplier_code, drafted.deliver_to) == ("ACME", "SHOP")
    assert [(x.sku, x.ordered) for x in drafted.lines] == [("TEE-M", 12)]
    assert f"Drafted {drafted.number} for Acme Wholesale" in pane.summary.text()
    assert screen.message.kind == "done"


def test_a_supplier_is_added_and_a_bad_one_refused_beside_the_form(qtbot, buying, qtmodeltester):
    ctx = buying.ctx
    screen = open_screen(qtbot, buying, PurchasingScreen)
    keys(qtbot, screen, Qt.Key.Key_5, ALT)
    pane = screen.suppliers
    assert column(pane.model, "Code") == ["ACME"]

    keys(qtbot, screen, Qt.Key.Key_N)
    dialog = pane.dialog
    activated(qtbot, dialog)
    qtbot.keyClicks(dialog.code, "DAIRY")
    qtbot.keyClicks(dialog.name, "Dairy Co")
    qtbot.keyClicks(dialog.email, "not-an-address")
    before = snapshot(ctx)
    qtbot.keyClick(dialog.email, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: dialog.message.kind == "error")
    assert dialog.isVisible() and "is not an e-mail address" in dialog.message.text()
    assert snapshot(ctx) == before

    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "orders@dairy.example")
    dialog.over_receipt.selectAll()
    qtbot.keyClicks(dialog.over_receipt, "10")
    qtbot.keyClick(dialog.email, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    added = next(s for s in suppliers.list_suppliers(ctx) if s.code == "DAIRY")
    assert (added.name, added.email, added.over_receipt_pct, added.lead_time_days) == (
        "Dairy Co",
        "orders@dairy.example",
        10,
        7,
    )
    assert column(pane.model, "Code") == ["ACME", "DAIRY"] and "DAIRY" in screen.message.text()
    qtmodeltester.check(pane.model)


def test_staff_see_the_buyers_actions_disabled_but_may_receive(qtbot, buying):
    po_id = sent_order(buying.ctx, ("TEE-M", 2))
    staff = build_session(as_user(buying.ctx, "sam", "staff"), synchronous=True)
    try:
        screen = open_screen(qtbot, staff, PurchasingScreen)
        scan(qtbot, screen, f"PO-{po_id}")
        orders = screen.orders
        assert orders.current.id == po_id
        for action in (orders.new_action, orders.add_line_action, orders.cancel_action, orders.close_action):
            assert not action.isEnabled() and "manager" in action.toolTip()
        before = snapshot(buying.ctx)
        keys(qtbot, screen, Qt.Key.Key_X)
        keys(qtbot, screen, Qt.Key.Key_N, CTRL)
        assert orders.close_question is None and orders.new_dialog is None and snapshot(buying.ctx) == before

        keys(qtbot, screen, Qt.Key.Key_R)  # staff may receive
        scan(qtbot, screen, "TEE-M")
        qtbot.keyClicks(screen.receiving.form.delivery_ref, "DN-1")
        keys(qtbot, screen, Qt.Key.Key_Return, CTRL)
        assert purchase_orders.get_po(buying.ctx, po_id).status == "partial"

        keys(qtbot, screen, Qt.Key.Key_4, ALT)
        assert not screen.reorder.draft_action.isEnabled()
        keys(qtbot, screen, Qt.Key.Key_5, ALT)
        assert not screen.suppliers.add_action.isEnabled() and not screen.suppliers.edit_action.isEnabled()
    finally:
        staff.close()


def test_serial_items_take_their_serials_one_by_one_and_the_last_ones_are_damaged(qtbot, buying):
    ctx = buying.ctx
    po_id = sent_order(ctx, ("PHONE-X", 3))
    screen = open_screen(qtbot, buying, PurchasingScreen)
    scan(qtbot, screen, f"PO-{po_id}")
    keys(qtbot, screen, Qt.Key.Key_R)

    scan(qtbot, screen, "PHONE-X", "SN-1", "SN-2", "PHONE-X", "SN-3")
    assert "(3 so far)" in screen.prompt.text()
    qtbot.keyClick(screen.scan, Qt.Key.Key_Escape)
    assert "Scan each item" in screen.prompt.text()
    screen.receiving.form.editor.damaged.setValue(1)  # SN-3 came with a cracked screen
    assert column(screen.receiving.lines, "Serials") == ["3"] and column(screen.receiving.lines, "Damaged") == ["1"]
    qtbot.keyClicks(screen.receiving.form.delivery_ref, "DN-1")
    keys(qtbot, screen, Qt.Key.Key_Return, CTRL)

    assert screen.message.kind == "done", screen.message.text()
    assert level(ctx, "PHONE-X", "WH1") == (3, 0, 1)
    buckets = {n: identify(ctx, n, accept=(ScanKind.SERIAL,)).serial.bucket for n in ("SN-1", "SN-2", "SN-3")}
    assert buckets == {"SN-1": "A", "SN-2": "A", "SN-3": "Q"}
    assert purchase_orders.get_po(ctx, po_id).status == "received"


@given(
    serials=st.lists(st.text("ABC123", min_size=1, max_size=4), unique=True, max_size=6),
    arrived=st.integers(0, 8),
    damaged=st.integers(-2, 10),
)
def test_a_receipt_line_never_books_more_or_less_than_arrived(serials, arrived, damaged):
    """Whatever the clerk types, sound + damaged is what arrived, and every scanned serial is booked once."""
    tracking = Tracking.SERIAL if serials else Tracking.NONE
    item = VariantRow(1, 1, "X-1", "X", None, tracking, Decimal(1), Decimal(2), 0)
    draft = PoDraftLine(item, ReceiptLine("X-1", 0)).with_serials(serials) if serials else None
    draft = draft or PoDraftLine(item, ReceiptLine("X-1", 0)).changed(qty=arrived)
    request = draft.with_damaged(damaged).request()

    assert request.qty + request.damaged == draft.qty and 0 <= request.damaged <= draft.qty
    assert (*request.serials, *request.damaged_serials) == tuple(serials)
    assert len(request.damaged_serials) == (request.damaged if serials else 0)


def test_the_tables_pass_the_model_checks(qtbot, buying, qtmodeltester):
    ctx = buying.ctx
    po_id = sent_order(ctx, ("TEE-M", 3), ("MILK-1L", 2))
    closed = sent_order(ctx, ("TEE-M", 1))
    purchase_orders.close_po(ctx, closed)
    screen = open_screen(qtbot, buying, PurchasingScreen)
    scan(qtbot, screen, f"PO-{closed}")  # not open: the list widens to show it
    assert screen.orders.filter_box.currentData() is None and len(screen.orders.model.rows) == 2
    assert column(screen.orders.discrepancies_model, "Qty") == ["1"]
    for model in (screen.orders.model, screen.orders.lines_model, screen.orders.discrepancies_model):
        qtmodeltester.check(model)
    scan(qtbot, screen, f"PO-{po_id}")
    assert column(screen.orders.lines_model, "SKU") == ["TEE-M", "MILK-1L"]
    qtmodeltester.check(screen.orders.lines_model)
    scan(qtbot, screen, "nonsense")
    assert "'nonsense' is not a purchase order" in screen.message.text()


def test_the_screen_never_runs_sql_on_the_gui_thread(qtbot, threaded_session, sql_on_gui_thread):
    ctx = threaded_session.ctx
    freeze(ctx)
    suppliers.add_supplier(ctx, "ACME", "Acme Wholesale")
    po_id = sent_order(ctx, ("TEE-M", 2))
    sql_on_gui_thread.clear()
    screen = open_screen(qtbot, threaded_session, PurchasingScreen)
    wait_idle(qtbot, threaded_session)

    scan(qtbot, screen, f"PO-{po_id}")
    qtbot.waitUntil(lambda: screen.receive_action.isEnabled())
    screen.receive_action.trigger()
    qtbot.waitUntil(lambda: screen.receiving.lines.rowCount() == 1)
    scan(qtbot, screen, "TEE-M", "TEE-M")
    qtbot.keyClicks(screen.receiving.form.delivery_ref, "DN-1")
    wait_idle(qtbot, threaded_session)
    screen.receiving.post_action.trigger()
    qtbot.waitUntil(lambda: screen.message.kind == "done")
    screen.putaway_action.trigger()
    qtbot.waitUntil(lambda: screen.putaway.suggestions.count() > 0)
    qtbot.keyClick(screen.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "put away into" in screen.message.text())
    wait_idle(qtbot, threaded_session)

    assert sql_on_gui_thread == []
    assert purchase_orders.get_po(ctx, po_id).status == "received"
    assert level(ctx, "TEE-M", "WH1") == (0, 0, 0)
