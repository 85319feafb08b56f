"""The transfers screen, driven from the keyboard and the scanner: request, approve, pick, receive
and cancel, checked on screen and in the books."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from stockdesk.app import build_session
from stockdesk.services import queries, stock, transfers
from stockdesk.ui.screens.transfers import TransfersScreen
from tests.builders import as_user, freeze, level, snapshot
from tests.ui.conftest import wait_idle
from tests.ui.driving import activated, open_screen, scan

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def stocked(session):
    freeze(session.ctx)
    stock.receive(session.ctx, "TEE-M", 10, to="WH1-A-01")
    stock.receive(session.ctx, "MILK-1L", 6, to="WH1-A-02", lot="L1", expiry="2030-07-01")
    return session


def press(qtbot, widget, key: Qt.Key, modifiers=CTRL | SHIFT) -> None:
    qtbot.keyClick(widget, key, modifiers)


def requested(ctx, lines=(("TEE-M", 4),)) -> int:
    return transfers.request_transfer(ctx, list(lines), source="WH1-A-01", dest="SHOP-FRONT").id


def test_a_transfer_goes_from_request_to_receipt_by_keyboard_and_scanner(qtbot, stocked):
    ctx = stocked.ctx
    screen = open_screen(qtbot, stocked, TransfersScreen)

    press(qtbot, screen.scan, Qt.Key.Key_N, CTRL)
    dialog = screen.new_dialog
    activated(qtbot, dialog)
    dialog.source.setCurrentIndex(dialog.source.findData("WH1"))
    dialog.dest.setCurrentIndex(dialog.dest.findData("SHOP"))
    dialog.qty.selectAll()
    qtbot.keyClicks(dialog.qty, "3")
    scan(qtbot, dialog.item_field, "4006381333931")  # TEE-M's barcode, three at once
    scan(qtbot, dialog.item_field, "MILK-1L")
    scan(qtbot, dialog.item_field, "MILK-1L")  # scanned twice: one line of two
    assert [(line.sku, line.qty) for line in dialog.model.rows] == [("TEE-M", 3), ("MILK-1L", 2)]
    press(qtbot, dialog.item_field, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())  # a shortcut presses the button visibly, then clicks
    activated(qtbot, screen)

    [made] = transfers.list_transfers(ctx)
    assert (made.status, made.from_location, made.to_location) == ("requested", "WH1", "SHOP")
    assert [(line.sku, line.requested) for line in made.lines] == [("TEE-M", 3), ("MILK-1L", 2)]
    assert screen.current.summary.id == made.id and "requested" in screen.message.text()
    assert [line.free_at_source for line in screen.lines_model.rows] == [10, 6]

    press(qtbot, screen.scan, Qt.Key.Key_A)
    assert transfers.get_transfer(ctx, made.id).status == "approved"
    press(qtbot, screen.scan, Qt.Key.Key_P)
    assert transfers.get_transfer(ctx, made.id).status == "picked"
    assert level(ctx, "TEE-M", "WH1-A-01") == (7, 0, 0)
    assert level(ctx, "MILK-1L", "WH1-A-02") == (4, 0, 0)
    assert {r.sku: r.in_transit for r in queries.stock(ctx, at="SHOP")} == {"TEE-M": 3, "MILK-1L": 2}
    assert [line.in_transit for line in screen.lines_model.rows] == [3, 2]

    press(qtbot, screen.scan, Qt.Key.Key_R)
    receiving = screen.receive_dialog
    activated(qtbot, receiving)
    tee, milk = receiving.entries
    qtbot.keyClick(tee.received, Qt.Key.Key_Down)  # one T-shirt never arrived
    qtbot.keyClick(milk.damaged, Qt.Key.Key_Up)  # one milk arrived damaged
    assert (tee.short.text(), milk.received.value(), milk.short.text()) == ("1", 1, "0")
    press(qtbot, milk.damaged, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not receiving.isVisible())
    activated(qtbot, screen)

    done = transfers.get_transfer(ctx, made.id)
    assert done.status == "received"
    assert [(ln.received, ln.damaged, ln.short) for ln in done.lines] == [(2, 0, 1), (1, 1, 0)]
    assert level(ctx, "TEE-M", "SHOP") == (2, 0, 0)
    assert level(ctx, "MILK-1L", "SHOP") == (2, 0, 1), "the damaged unit is on hand, in quarantine"
    assert all(r.in_transit == 0 for r in queries.stock(ctx))
    assert "3 sound, 1 damaged (in quarantine), 1 short" in screen.message.text()
    assert screen.current.summary.status == "received"
    assert not any(a.isEnabled() for a in (screen.approve_action, screen.pick_action, screen.cancel_action))


def test_an_unknown_item_in_the_new_transfer_is_refused_beside_the_form(qtbot, stocked):
    screen = open_screen(qtbot, stocked, TransfersScreen)
    before = snapshot(stocked.ctx)
    screen.new_action.trigger()
    dialog = screen.new_dialog
    activated(qtbot, dialog)

    scan(qtbot, dialog.item_field, "NO-SUCH")
    press(qtbot, dialog.item_field, Qt.Key.Key_Return, CTRL)  # no lines
    qtbot.waitUntil(lambda: "at least one line" in dialog.message.text())

    assert dialog.isVisible() and dialog.model.rows == []
    assert dialog.message.kind == "error" and "A transfer needs at least one line" in dialog.message.text()
    assert snapshot(stocked.ctx) == before


def test_a_transfer_is_cancelled_before_pick(qtbot, stocked):
    transfer_id = requested(stocked.ctx)
    screen = open_screen(qtbot, stocked, TransfersScreen)

    scan(qtbot, screen.scan, f"TRANSFER-{transfer_id}")
    assert screen.current.summary.id == transfer_id and screen.cancel_action.isEnabled()
    press(qtbot, screen.scan, Qt.Key.Key_C)

    assert transfers.get_transfer(stocked.ctx, transfer_id).status == "cancelled"
    assert screen.current.summary.status == "cancelled" and not screen.cancel_action.isEnabled()
    assert level(stocked.ctx, "TEE-M", "WH1-A-01") == (10, 0, 0)


def test_cancelling_a_transfer_another_desktop_just_picked_is_refused(qtbot, stocked):
    transfer_id = requested(stocked.ctx)
    transfers.approve_transfer(stocked.ctx, transfer_id)
    screen = open_screen(qtbot, stocked, TransfersScreen)
    scan(qtbot, screen.scan, str(transfer_id))
    assert screen.cancel_action.isEnabled()
    stocked.bus.changed.disconnect(screen.on_changes)  # the other desktop's notice has not arrived yet
    transfers.pick_transfer(as_user(stocked.ctx, "maria", "manager"), transfer_id)
    before = snapshot(stocked.ctx)

    press(qtbot, screen.scan, Qt.Key.Key_C)

    assert screen.message.kind == "error"
    assert f"Transfer {transfer_id} is picked; only a transfer not yet picked can be cancelled" in screen.message.text()
    assert snapshot(stocked.ctx) == before
    assert screen.current.summary.status == "picked" and not screen.cancel_action.isEnabled()


def test_staff_see_approve_disabled(qtbot, stocked):
    transfer_id = requested(stocked.ctx)
    staff = build_session(as_user(stocked.ctx, "sam", "staff"), synchronous=True)
    try:
        screen = open_screen(qtbot, staff, TransfersScreen)
        scan(qtbot, screen.scan, f"transfer-{transfer_id}")

        assert screen.current.summary.status == "requested"
        assert not screen.approve_action.isEnabled() and "manager" in screen.approve_action.toolTip()
        assert screen.cancel_action.isEnabled() and not screen.pick_action.isEnabled()
        press(qtbot, screen.scan, Qt.Key.Key_A)
        assert transfers.get_transfer(stocked.ctx, transfer_id).status == "requested"
    finally:
        staff.close()


def test_a_code_that_is_no_transfer_is_rejected(qtbot, stocked):
    screen = open_screen(qtbot, stocked, TransfersScreen)

    scan(qtbot, screen.scan, "TEE-M")
    assert screen.message.kind == "error" and "'TEE-M' is not a transfer" in screen.message.text()
    assert "TEE-M" in screen.scan.toolTip()
    scan(qtbot, screen.scan, "TRANSFER-404")
    assert "There is no transfer number 404" in screen.message.text()
    assert screen.current is None


def test_the_status_filter_narrows_the_list_and_a_scan_widens_it(qtbot, stocked, qtmodeltester):
    first, second = requested(stocked.ctx), requested(stocked.ctx, [("MILK-1L", 1)])
    transfers.approve_transfer(stocked.ctx, second)
    screen = open_screen(qtbot, stocked, TransfersScreen)
    assert [row.id for row in screen.model.rows] == [second, first]

    screen.status_box.setFocus()
    screen.status_box.setCurrentIndex(screen.status_box.findData("approved"))
    assert [row.id for row in screen.model.rows] == [second]
    qtmodeltester.check(screen.model)
    qtmodeltester.check(screen.lines_model)

    scan(qtbot, screen.scan, str(first))
    assert screen.status_box.currentData() is None
    assert [row.id for row in screen.model.rows] == [second, first] and screen.current.summary.id == first
    selected = screen.list_view.selectionModel().selectedRows()
    assert [screen.proxy.data(index) for index in selected] == [str(first)]


def test_the_screen_never_runs_sql_on_the_gui_thread(qtbot, threaded_session, sql_on_gui_thread):
    ctx = threaded_session.ctx
    freeze(ctx)
    stock.receive(ctx, "TEE-M", 10, to="WH1-A-01")
    transfer_id = requested(ctx)
    sql_on_gui_thread.clear()
    screen = open_screen(qtbot, threaded_session, TransfersScreen)
    wait_idle(qtbot, threaded_session)

    scan(qtbot, screen.scan, f"TRANSFER-{transfer_id}")
    qtbot.waitUntil(lambda: screen.current is not None and screen.approve_action.isEnabled())
    screen.approve_action.trigger()
    qtbot.waitUntil(lambda: screen.pick_action.isEnabled())
    screen.pick_action.trigger()
    qtbot.waitUntil(lambda: screen.receive_action.isEnabled())
    wait_idle(qtbot, threaded_session)

    assert sql_on_gui_thread == []
    assert [line.in_transit for line in screen.lines_model.rows] == [4]
    assert transfers.get_transfer(ctx, transfer_id).status == "picked"
