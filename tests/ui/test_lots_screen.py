"""The lots and serials screen, driven by the scanner and the keyboard: a lot's story and recall,
a serial's timeline, a number shared by two items, and codes that are neither."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from stockdesk.app import build_session
from stockdesk.services import catalog, queries, stock
from stockdesk.ui.screens.lots import CAME_FROM, RECALL, TIMELINE, WENT_TO, LotsScreen
from stockdesk.ui.theme import Status
from tests.builders import as_user, freeze, snapshot
from tests.ui.conftest import wait_idle
from tests.ui.driving import open_screen, scan


@pytest.fixture
def traded(session):
    """Lot L1 of milk received, sold over the till, shipped on an order; some left on two shelves."""
    ctx = session.ctx
    clock = freeze(ctx)
    stock.receive(ctx, "MILK-1L", 10, to="WH1-A-01", lot="L1", expiry="2030-08-01", ref="PO-1", supplier="Dairy Co")
    stock.receive(ctx, "MILK-1L", 4, to="SHOP-FRONT", lot="L1", ref="PO-2")
    clock.advance(hours=1)
    stock.sell(ctx, "MILK-1L", 2, source="SHOP-FRONT", ref="TILL-1", lot="L1")
    clock.advance(hours=1)
    stock.reserve(ctx, "MILK-1L", 3, at="WH1-A-01", ref="ORD-7", lot="L1")
    stock.ship(ctx, "MILK-1L", 3, source="WH1-A-01", ref="ORD-7")
    return session


def shown(model) -> list[list[str]]:
    """What the table shows, cell by cell."""
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def lot_stock(ctx, lot: str) -> dict[str, tuple[int, int, int]]:
    return {r.location: (r.on_hand, r.reserved, r.quarantined) for r in queries.stock(ctx, "MILK-1L") if r.lot == lot}


def test_scanning_a_lot_shows_where_it_came_from_and_went(qtbot, traded, qtmodeltester):
    screen = open_screen(qtbot, traded, LotsScreen)

    scan(qtbot, screen, "L1")

    heading = screen.heading.text()
    assert "Lot L1" in heading and "MILK-1L" in heading and "Dairy Co" in heading and "expires 2030-08-01" in heading
    assert [row[1:] for row in shown(screen.receipts)] == [
        ["Dairy Co", "PO-1", "10", "WH1-A-01"],
        ["Dairy Co", "PO-2", "4", "SHOP-FRONT"],
    ]
    assert [row[:4] for row in shown(screen.destinations)] == [
        ["customer", "sell", "TILL-1", "2"],
        ["customer", "ship", "ORD-7", "3"],
    ]
    assert [row[:2] for row in shown(screen.places)] == [["SHOP-FRONT", "2"], ["WH1-A-01", "7"]]
    assert [row[:2] for row in shown(screen.customers)] == [["TILL-1", "2"], ["ORD-7", "3"]]
    assert [m.kind for m in screen.timeline.rows] == ["receive", "receive", "sell", "reserve", "ship"]
    assert screen.tabs.tabText(WENT_TO) == "&Went to (2)" and screen.tabs.isTabEnabled(RECALL)
    for model in (screen.timeline, screen.receipts, screen.destinations, screen.places, screen.customers):
        qtmodeltester.check(model)


def test_scanning_a_serial_shows_the_unit_and_its_timeline(qtbot, session):
    stock.receive(session.ctx, "PHONE-X", 2, to="WH1-A-01", serials=["SN-1", "SN-2"], ref="PO-9")
    stock.sell(session.ctx, "PHONE-X", 1, source="WH1-A-01", ref="ORD-3", serials=["SN-1"])
    screen = open_screen(qtbot, session, LotsScreen)

    scan(qtbot, screen, "SN-1")

    assert "Serial SN-1" in screen.heading.text() and "with a customer" in screen.heading.text()
    assert [(m.kind, m.reference) for m in screen.timeline.rows] == [("receive", "PO-9"), ("sell", "ORD-3")]
    assert shown(screen.timeline)[1][3:6] == ["WH1-A-01", "customer", "ORD-3"]
    assert screen.tabs.currentIndex() == TIMELINE
    assert not any(screen.tabs.isTabEnabled(tab) for tab in (CAME_FROM, WENT_TO, RECALL))

    scan(qtbot, screen, "SN-2")
    assert "now at <b>WH1-A-01</b>: <b>on the shelf, free</b>" in screen.heading.text()


def test_a_code_that_is_no_lot_or_serial_is_rejected(qtbot, traded):
    screen = open_screen(qtbot, traded, LotsScreen)
    scan(qtbot, screen, "L1")
    before = screen.heading.text()

    scan(qtbot, screen, "NOPE-42")
    assert screen.message.kind == "error" and "Nothing has the code 'NOPE-42'" in screen.message.text()
    assert "NOPE-42" in screen.scan.toolTip()
    scan(qtbot, screen, "WH1-A-01")
    assert "'WH1-A-01' is a location; here scan a lot or serial number" in screen.message.text()
    assert screen.heading.text() == before


def test_a_lot_number_on_two_items_asks_which(qtbot, session):
    freeze(session.ctx)
    catalog.add_product(session.ctx, catalog.NewProduct("CREAM-1", "Cream", tracking="lot"))
    stock.receive(session.ctx, "CREAM-1", 2, to="WH1-A-01", lot="B-1", expiry="2030-09-01")
    stock.receive(session.ctx, "MILK-1L", 5, to="WH1-A-02", lot="B-1", expiry="2030-06-05")
    screen = open_screen(qtbot, session, LotsScreen)

    scan(qtbot, screen, "B-1")
    assert screen.choices.isVisible() and screen.choices.hasFocus()
    assert [screen.choices.item(i).text().split(" — ")[0] for i in range(screen.choices.count())] == [
        "CREAM-1",
        "MILK-1L",
    ]
    assert screen.choices.item(1).foreground().color() == Status.BELOW_REORDER.color(), "expires within days"
    qtbot.keyClick(screen.choices, Qt.Key.Key_Down)
    qtbot.keyClick(screen.choices, Qt.Key.Key_Return)

    assert not screen.choices.isVisible()
    assert "of <b>MILK-1L</b>" in screen.heading.text()
    assert f"color: {Status.BELOW_REORDER.color().name()}" in screen.heading.text()
    assert [row[:2] for row in shown(screen.places)] == [["WH1-A-02", "5"]]


def test_recall_quarantines_every_free_unit_of_the_lot(qtbot, traded):
    screen = open_screen(qtbot, traded, LotsScreen)
    scan(qtbot, screen, "L1")
    screen.tabs.setCurrentIndex(RECALL)
    assert screen.recall_action.isEnabled() and "9 free units" in screen.recall_note.text()

    qtbot.keyClick(screen.scan, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)

    assert lot_stock(traded.ctx, "L1") == {"SHOP-FRONT": (2, 0, 2), "WH1-A-01": (7, 0, 7)}
    assert screen.message.kind == "done" and "9 units quarantined at 2 places" in screen.message.text()
    assert [row[3:] for row in shown(screen.places)] == [["2", "0"], ["7", "0"]], "read back: all on hold"
    assert not screen.recall_action.isEnabled()


def test_staff_may_not_recall(qtbot, traded):
    staff = build_session(as_user(traded.ctx, "sam", "staff"), synchronous=True)
    try:
        screen = open_screen(qtbot, staff, LotsScreen)
        scan(qtbot, screen, "L1")
        before = snapshot(traded.ctx)

        screen.recall_action.trigger()

        assert not screen.recall_action.isEnabled() and "Only a manager" in screen.recall_note.text()
        assert snapshot(traded.ctx) == before
    finally:
        staff.close()


def test_an_expired_lot_is_shown_in_red(qtbot, traded):
    traded.ctx.clock.now = traded.ctx.clock.now.replace(month=8, day=15)
    screen = open_screen(qtbot, traded, LotsScreen)

    scan(qtbot, screen, "L1")

    assert f"color: {Status.SHORTFALL.color().name()}" in screen.heading.text()
    assert "expired, 14 days ago" in screen.heading.text()


def test_the_screen_never_runs_sql_on_the_gui_thread(qtbot, threaded_session, sql_on_gui_thread):
    ctx = threaded_session.ctx
    freeze(ctx)
    stock.receive(ctx, "MILK-1L", 6, to="WH1-A-01", lot="L5", expiry="2030-08-01", ref="PO-5")
    sql_on_gui_thread.clear()
    screen = open_screen(qtbot, threaded_session, LotsScreen)

    scan(qtbot, screen, "L5")
    qtbot.waitUntil(lambda: screen.recall_action.isEnabled())
    screen.recall_action.trigger()
    qtbot.waitUntil(lambda: screen.message.kind == "done")
    qtbot.waitUntil(lambda: [p.quarantined for p in screen.places.rows] == [6])  # read back after the notice
    wait_idle(qtbot, threaded_session)

    assert sql_on_gui_thread == []
    assert lot_stock(ctx, "L5") == {"WH1-A-01": (6, 0, 6)}
