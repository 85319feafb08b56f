"""The receiving screen, driven by the scanner and the keyboard: a delivery scanned into one receipt,
posted with Ctrl+Enter, checked on screen and in the books."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from stockdesk.services import queries, stock
from stockdesk.ui.screens.receiving import ReceivingScreen
from stockdesk.ui.table import ROW_ROLE
from stockdesk.ui.theme import Status
from tests.builders import freeze, level, snapshot
from tests.ui.conftest import wait_idle
from tests.ui.driving import open_screen, scan

CTRL, SHIFT, ALT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
    Qt.KeyboardModifier.AltModifier,
)


@pytest.fixture
def screen(qtbot, session) -> ReceivingScreen:
    freeze(session.ctx)
    return open_screen(qtbot, session, ReceivingScreen)


def post(qtbot, screen: ReceivingScreen) -> None:
    qtbot.keyClick(screen.scan, Qt.Key.Key_Return, CTRL)


def shown_lines(screen: ReceivingScreen) -> list[tuple[str, ...]]:
    """The lines table as the user reads it: SKU, qty, lot, expiry, serials, destination, status."""
    model = screen.lines
    wanted = ["SKU", "Qty", "Lot", "Expiry", "Serials", "Destination", "Status"]
    columns = [next(i for i, c in enumerate(model.columns) if c.title == title) for title in wanted]
    return [tuple(model.index(row, c).data() for c in columns) for row in range(model.rowCount())]


def booked(screen: ReceivingScreen) -> list[tuple[str, ...]]:
    """The result panel's rows as shown: SKU, qty, lot, serial, bin, as."""
    model = screen.result.model
    wanted = ["SKU", "Qty", "Lot", "Serial", "Into bin", "As"]
    columns = [next(i for i, c in enumerate(model.columns) if c.title == title) for title in wanted]
    return [tuple(model.index(row, c).data() for c in columns) for row in range(model.rowCount())]


def test_a_delivery_is_scanned_and_posted_with_the_shortcut(qtbot, screen):
    ctx = screen.session.ctx
    assert screen.scan.hasFocus()

    scan(qtbot, screen, "WH1-A-02", "TEE-M", "4006381333931", "TEE-M")  # the SKU or the barcode: one line
    scan(qtbot, screen, "MILK-1L", "L-100", "2030-06-20")  # the lot scanned, the expiry typed
    scan(qtbot, screen, "PHONE-X", "SN-1", "SN-2")
    assert "serial numbers of PHONE-X" in screen.expecting.text() and "(2 so far)" in screen.expecting.text()
    scan(qtbot, screen, "PHONE-X", "SN-3")  # the unit's own item label between serials changes nothing
    qtbot.keyClick(screen.scan, Qt.Key.Key_Escape)
    assert "Scan an item" in screen.expecting.text()
    qtbot.keyClick(screen.scan, Qt.Key.Key_S, ALT)
    qtbot.keyClicks(screen.supplier, "Dairy Co")
    qtbot.keyClick(screen.scan, Qt.Key.Key_R, ALT)
    qtbot.keyClicks(screen.reference, "DN-77")
    assert shown_lines(screen) == [
        ("TEE-M", "3", "", "", "", "WH1-A-02", "ready"),
        ("MILK-1L", "1", "L-100", "2030-06-20", "", "WH1-A-02", "ready"),
        ("PHONE-X", "3", "", "", "3", "WH1-A-02", "ready"),
    ]
    assert screen.totals.text() == "3 lines, 7 units"

    post(qtbot, screen)

    assert screen.message.kind == "done" and "receipt is booked" in screen.message.text()
    assert level(ctx, "TEE-M", "WH1-A-02") == (3, 0, 0)
    assert level(ctx, "MILK-1L", "WH1-A-02") == (1, 0, 0)
    assert level(ctx, "PHONE-X", "WH1-A-02") == (3, 0, 0)
    trace = queries.trace_lot(ctx, "L-100", "MILK-1L")
    assert (trace.lot.expires_on, trace.lot.supplier, trace.receipts[0].reference) == (
        date(2030, 6, 20),
        "Dairy Co",
        "DN-77",
    )
    assert booked(screen) == [
        ("TEE-M", "3", "", "", "WH1-A-02", "available"),
        ("MILK-1L", "1", "L-100", "", "WH1-A-02", "available"),
        ("PHONE-X", "1", "", "SN-1", "WH1-A-02", "available"),
        ("PHONE-X", "1", "", "SN-2", "WH1-A-02", "available"),
        ("PHONE-X", "1", "", "SN-3", "WH1-A-02", "available"),
    ]
    assert "7 units of 3 items" in screen.result.summary.text() and "DN-77" in screen.result.summary.text()
    assert screen.result.isVisible() and screen.lines.rowCount() == 0
    assert (screen.reference.text(), screen.destination.code()) == ("", "WH1-A-02")  # ready for the next
    assert not screen.clear_action.isEnabled()


def test_the_bin_can_be_chosen_from_the_current_sites_bins(qtbot, screen):
    screen.session.choose_site("SHOP")
    offered = [screen.destination.itemData(i) for i in range(screen.destination.count())]
    assert offered == [None, "SHOP-BACK", "SHOP-FRONT"]

    qtbot.keyClick(screen.scan, Qt.Key.Key_D, ALT)
    assert screen.destination.hasFocus()
    qtbot.keyClick(screen.destination, Qt.Key.Key_Down)
    scan(qtbot, screen, "TEE-M")
    post(qtbot, screen)

    assert level(screen.session.ctx, "TEE-M", "SHOP-BACK") == (1, 0, 0)


def test_a_line_is_edited_from_the_keyboard_then_removed_or_all_cleared(qtbot, screen):
    ctx = screen.session.ctx
    scan(qtbot, screen, "WH1-A-01", "TEE-M", "MILK-1L")
    qtbot.keyClick(screen.scan, Qt.Key.Key_Escape)  # the lot later, from the form
    assert shown_lines(screen)[1][-1] == "needs lot number"
    assert screen.lines.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) == Status.SHORTFALL.color()

    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Up)  # the tee line
    qtbot.keyClick(screen, Qt.Key.Key_Q, ALT)
    screen.editor.qty.selectAll()
    qtbot.keyClicks(screen.editor.qty, "12")
    qtbot.keyClick(screen, Qt.Key.Key_H, ALT)  # a check box's mnemonic ticks it: on hold
    qtbot.waitUntil(lambda: screen.lines.rows[0].line.quarantine)
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Down)  # the milk line
    qtbot.keyClick(screen, Qt.Key.Key_O, ALT)
    qtbot.keyClicks(screen.editor.lot, "L-5")
    qtbot.keyClick(screen, Qt.Key.Key_B, ALT)
    qtbot.keyClick(screen.editor.bin, Qt.Key.Key_Down)  # its own bin: the first offered
    qtbot.keyClick(screen.editor.bin, Qt.Key.Key_Down)  # no: the next one
    assert shown_lines(screen) == [
        ("TEE-M", "12", "", "", "", "WH1-A-01", "on hold"),
        ("MILK-1L", "1", "L-5", "", "", "SHOP-FRONT", "ready"),
    ]
    assert screen.lines.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) == Status.QUARANTINED.color()

    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Delete)
    assert [line[0] for line in shown_lines(screen)] == ["TEE-M"]
    post(qtbot, screen)
    assert level(ctx, "TEE-M", "WH1-A-01") == (12, 0, 12)
    assert level(ctx, "MILK-1L", "WH1-A-02") == (0, 0, 0)

    scan(qtbot, screen, "TEE-M", "PHONE-X")
    first_key = screen.receipt.key
    qtbot.keyClick(screen.scan, Qt.Key.Key_Delete, CTRL | SHIFT)
    assert screen.lines.rowCount() == 0 and screen.receipt.key is None
    scan(qtbot, screen, "TEE-M")
    assert screen.receipt.key not in (None, first_key)


def test_a_refused_receipt_keeps_its_lines_says_why_and_writes_nothing(qtbot, screen):
    ctx = screen.session.ctx
    stock.receive(ctx, "PHONE-X", 1, to="WH1-B-01", serials=["SN-OLD"])
    scan(qtbot, screen, "WH1-A-01", "TEE-M", "PHONE-X", "SN-OLD", "SN-NEW")
    before = snapshot(ctx)

    post(qtbot, screen)

    assert snapshot(ctx) == before
    assert screen.message.kind == "error"
    assert screen.message.text().startswith("Line 2 (PHONE-X): Serial SN-OLD is already on the books at WH1-B-01")
    assert [line[0] for line in shown_lines(screen)] == ["TEE-M", "PHONE-X"]
    assert screen.post_action.isEnabled()

    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_End)
    qtbot.keyClick(screen, Qt.Key.Key_I, ALT)
    screen.editor.serials.selectAll()
    qtbot.keyClicks(screen.editor.serials, "SN-NEW")  # the wrong serial taken out
    post(qtbot, screen)
    assert screen.message.kind == "done"
    assert level(ctx, "PHONE-X", "WH1-A-01") == (1, 0, 0) and level(ctx, "TEE-M", "WH1-A-01") == (1, 0, 0)


def test_without_a_destination_nothing_is_booked(qtbot, screen):
    ctx = screen.session.ctx
    scan(qtbot, screen, "TEE-M")
    before = snapshot(ctx)

    post(qtbot, screen)

    assert screen.message.kind == "error" and "Say where the goods go" in screen.message.text()
    assert snapshot(ctx) == before and screen.lines.rowCount() == 1


def test_codes_the_receipt_cannot_use_are_rejected(qtbot, screen):
    scan(qtbot, screen, "NOPE-123")
    assert screen.message.kind == "error" and "Nothing has the code 'NOPE-123'" in screen.message.text()
    assert "border" in screen.scan.styleSheet() and screen.lines.rowCount() == 0

    scan(qtbot, screen, "PHONE-X", "SN-1", "SN-1")  # the same unit twice
    assert "Serial SN-1 is already on line 1 of this receipt" in screen.message.text()
    scan(qtbot, screen, "MILK-1L", "L-1", "20/06/2030")  # not a date the field takes
    assert "Expiry date must be a date written YYYY-MM-DD" in screen.message.text()
    assert "expiry date of lot L-1" in screen.expecting.text()  # still waiting for it
    scan(qtbot, screen, "2030-06-20")
    assert screen.message.kind == "" and shown_lines(screen)[1][:4] == ("MILK-1L", "1", "L-1", "2030-06-20")
    assert shown_lines(screen)[0][:5] == ("PHONE-X", "1", "", "", "1")


def test_a_receipt_whose_answer_was_lost_is_not_booked_twice(qtbot, screen):
    """The first Post reached the database but its answer did not come back: pressing Post again
    sends the same key, so the books show the delivery once."""
    ctx = screen.session.ctx
    scan(qtbot, screen, "WH1-A-01", "TEE-M", "TEE-M")
    stock.receive_lines(ctx, screen.receipt.lines(), to="WH1-A-01", key=screen.receipt.key)

    post(qtbot, screen)

    assert level(ctx, "TEE-M", "WH1-A-01") == (2, 0, 0)
    assert "already been booked" in screen.message.text()
    assert "Not booked again" in screen.result.summary.text()


def test_the_table_models_are_sound(qtbot, qtmodeltester, screen):
    scan(qtbot, screen, "WH1-A-01", "TEE-M", "MILK-1L", "L-1", "2030-07-01", "PHONE-X", "SN-1")
    assert screen.lines.index(2, 0).data(ROW_ROLE).item.sku == "PHONE-X"
    qtmodeltester.check(screen.lines)
    post(qtbot, screen)
    assert screen.result.model.rowCount() == 3
    qtmodeltester.check(screen.result.model)


def test_the_gui_thread_never_runs_sql_and_post_pressed_twice_books_once(qtbot, threaded_session, sql_on_gui_thread):
    ctx = threaded_session.ctx
    freeze(ctx)
    screen = open_screen(qtbot, threaded_session, ReceivingScreen)
    wait_idle(qtbot, threaded_session)
    assert screen.destination.count() == 6  # the bins arrived from the worker

    scan(qtbot, screen, "WH1-A-01", "TEE-M", "PHONE-X", "SN-1", "SN-2")
    post(qtbot, screen)
    post(qtbot, screen)
    scan(qtbot, screen, "TEE-M")  # scanned while posting: the start of the next receipt
    wait_idle(qtbot, threaded_session)
    on_gui_thread = list(sql_on_gui_thread)

    assert level(ctx, "TEE-M", "WH1-A-01") == (1, 0, 0)
    assert level(ctx, "PHONE-X", "WH1-A-01") == (2, 0, 0)
    assert len(snapshot(ctx)["postings"]) == 1
    assert [line[:2] for line in shown_lines(screen)] == [("TEE-M", "1")]
    assert booked(screen)[0][:2] == ("TEE-M", "1") and len(booked(screen)) == 3
    assert on_gui_thread == []
