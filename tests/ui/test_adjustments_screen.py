"""The Adjustments screen, driven by the scanner and the keyboard: a quick adjustment that needs a
reason and a note, the filtered history, the pattern of losses, and reversing a history row."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from stockdesk.app import build_session
from stockdesk.domain.errors import PermissionDenied
from stockdesk.services import stock
from stockdesk.services.adjustments import quick_adjust
from stockdesk.ui.screens.adjustments import AdjustmentsScreen
from stockdesk.ui.table import ROW_ROLE
from tests.builders import as_user, freeze, level, refused, snapshot
from tests.ui.conftest import wait_idle
from tests.ui.driving import open_screen, scan

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


@pytest.fixture
def shelves(world):
    clock = freeze(world)  # 2030-06-01
    stock.receive(world, "TEE-M", 10, to="WH1-A-01")
    stock.receive(world, "MILK-1L", 6, to="WH1-A-02", lot="L-1", expiry="2030-12-01")
    stock.receive(world, "PHONE-X", 1, to="WH1-A-01", serials=["SN-1"])
    clock.advance(days=1)
    return world


@pytest.fixture
def screen(qtbot, shelves, session) -> AdjustmentsScreen:
    return open_screen(qtbot, session, AdjustmentsScreen)


def fill(qtbot, screen: AdjustmentsScreen, change: str, reason: str = "", note: str = "") -> None:
    """After a scan the cursor is in Change: type it, pick the reason by its first letters, write the note."""
    form = screen.form
    assert form.change.hasFocus()
    qtbot.keyClicks(form.change, change)
    if reason:
        qtbot.wait(QApplication.keyboardInputInterval() + 20)  # a new search, not the end of the last one
        qtbot.keyClicks(form.reason, reason)
    qtbot.keyClicks(form.note, note)


def post(qtbot, screen: AdjustmentsScreen) -> None:
    qtbot.keyClick(screen.scan, Qt.Key.Key_Return, CTRL)


def column(model, title: str) -> list[str]:
    position = next(i for i, c in enumerate(model.columns) if c.title == title)
    return [model.index(r, position).data() for r in range(model.rowCount())]


def shown(screen: AdjustmentsScreen, *titles: str) -> list[tuple[str, ...]]:
    model = screen.history.model
    return list(zip(*(column(model, title) for title in titles), strict=True))


def test_an_adjustment_with_reason_and_note_changes_the_level_and_appears_in_the_history(qtbot, screen, qtmodeltester):
    ctx = screen.session.ctx
    scan(qtbot, screen, "WH1-A-01", "4006381333931")
    assert screen.form.item.text() == "TEE-M" and "not tracked" in screen.form.item_info.text()
    fill(qtbot, screen, "-3", "DAM", "water leak")
    assert screen.form.reason.currentData() == "DAMAGED"

    post(qtbot, screen)

    assert level(ctx, "TEE-M", "WH1-A-01") == (7, 0, 0)
    assert "Adjusted TEE-M at WH1-A-01 by -3 (10 → 7), reason DAMAGED." in screen.message.text()
    assert shown(screen, "SKU", "Location", "Change", "Before", "After", "Reason", "User", "Note")[0] == (
        "TEE-M",
        "WH1-A-01",
        "-3",
        "10",
        "7",
        "DAMAGED",
        "owner",
        "water leak",
    )
    assert (screen.form.item.text(), screen.form.note.text(), screen.form.reason.currentIndex()) == ("", "", -1)
    assert screen.form.place.code() == "WH1-A-01" and screen.scan.hasFocus()
    qtmodeltester.check(screen.history.model)


def test_lot_and_serial_items_take_their_numbers_from_the_scan(qtbot, screen):
    ctx = screen.session.ctx
    scan(qtbot, screen, "WH1-A-02", "L-1")
    assert (screen.form.item.text(), screen.form.lot.text(), screen.form.lot.isEnabled()) == ("MILK-1L", "L-1", True)
    fill(qtbot, screen, "-2", "EXP", "past its date")
    post(qtbot, screen)
    assert level(ctx, "MILK-1L", "WH1-A-02") == (4, 0, 0)

    scan(qtbot, screen, "SHOP-FRONT", "SN-1")  # the unit says where it is
    assert (screen.form.item.text(), screen.form.serials.text()) == ("PHONE-X", "SN-1")
    assert screen.form.place.code() == "WH1-A-01" and not screen.form.lot.isEnabled()
    fill(qtbot, screen, "-1", "THE", "display unit gone")
    post(qtbot, screen)
    assert level(ctx, "PHONE-X", "WH1-A-01") == (0, 0, 0), screen.message.text()
    assert shown(screen, "SKU", "Lot / serial", "Change")[:2] == [("PHONE-X", "SN-1", "-1"), ("MILK-1L", "L-1", "-2")]


def test_a_typed_item_is_looked_up_when_leaving_the_field(qtbot, screen):
    form = screen.form
    qtbot.keyClick(screen.scan, Qt.Key.Key_I, ALT)  # the Item label's mnemonic
    assert form.item.hasFocus()
    qtbot.keyClicks(form.item, "MILK-1L")
    qtbot.keyClick(form.item, Qt.Key.Key_Tab)
    assert form.lot.isEnabled() and not form.serials.isEnabled() and "tracked by lot" in form.item_info.text()

    qtbot.keyClick(form.lot, Qt.Key.Key_I, ALT)
    form.item.clear()
    qtbot.keyClicks(form.item, "NOPE")
    qtbot.keyClick(form.item, Qt.Key.Key_Tab)
    assert "Nothing has the code 'NOPE'" in screen.message.text() and not form.lot.isEnabled()


def test_a_hidden_screen_catches_up_when_shown(qtbot, screen, shelves):
    screen.hide()
    quick_adjust(shelves, "TEE-M", -1, at="WH1-A-01", reason="LOST", note="while away")
    assert screen.history.model.rowCount() == 0

    screen.show()
    screen.activate()
    assert shown(screen, "SKU", "Note") == [("TEE-M", "while away")]


@pytest.mark.parametrize(
    ("change", "reason", "note", "message"),
    [
        ("-1", "", "dropped", "Choose a reason for the adjustment"),
        ("-1", "DAM", "", "Write a note saying what happened"),
        ("0", "DAM", "dropped", "Change must be greater than zero"),
        ("+2", "DAM", "dropped", "Reason DAMAGED (Damaged) only removes stock"),
        ("-11", "DAM", "dropped", "Only 10 of TEE-M available at WH1-A-01"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(qtbot, screen, change, reason, note, message):
    ctx = screen.session.ctx
    before = snapshot(ctx)
    scan(qtbot, screen, "WH1-A-01", "TEE-M")
    fill(qtbot, screen, change, reason, note)

    post(qtbot, screen)

    assert message in screen.message.text() and screen.message.kind == "error"
    assert snapshot(ctx) == before
    assert screen.form.item.text() == "TEE-M"  # kept, to correct and post again


def test_the_history_filters_by_item_reason_user_and_dates(qtbot, screen, shelves):
    maria = as_user(shelves, "maria", role="manager")
    maria.clock = shelves.clock
    quick_adjust(shelves, "TEE-M", -1, at="WH1-A-01", reason="DAMAGED", note="torn")  # 2030-06-02
    shelves.clock.advance(days=2)
    quick_adjust(maria, "MILK-1L", -1, at="WH1-A-02", reason="EXPIRED", note="sour", lot="L-1")  # 06-04
    quick_adjust(maria, "TEE-M", 2, at="WH1-B-01", reason="FOUND", note="behind the rack")
    history = screen.history
    assert shown(screen, "SKU", "Change") == [("TEE-M", "+2"), ("MILK-1L", "-1"), ("TEE-M", "-1")]

    qtbot.keyClicks(history.item, "TEE-M")
    qtbot.keyClick(history.item, Qt.Key.Key_Return)
    assert shown(screen, "Location", "Change") == [("WH1-B-01", "+2"), ("WH1-A-01", "-1")]
    qtbot.keyClicks(history.user, "maria")
    assert shown(screen, "Location", "User") == [("WH1-B-01", "maria")]
    history.item.clear()
    qtbot.keyClick(history.item, Qt.Key.Key_Return)
    history.reason.setCurrentIndex(history.reason.findData("EXPIRED"))
    assert shown(screen, "SKU", "Reason", "User") == [("MILK-1L", "EXPIRED", "maria")]
    history.reason.setCurrentIndex(0)
    history.user.setCurrentIndex(0)
    history.until.setDate(QDate(2030, 6, 3))
    assert shown(screen, "SKU", "Reason") == [("TEE-M", "DAMAGED")]
    history.since.setDate(QDate(2030, 6, 4))
    assert "starts (2030-06-04) after it ends (2030-06-03)" in screen.message.text()
    history.until.setDate(history.until.minimumDate())  # 'up to now'
    assert [r.movement.posted_at.date() for r in history.model.rows] == [date(2030, 6, 4)] * 2
    history.scope.setCurrentIndex(history.scope.findData(False))
    history.since.setDate(history.since.minimumDate())
    assert column(history.model, "Kind").count("receive") == 3


def test_the_pattern_lists_repeated_losses_and_leads_to_their_history(qtbot, screen, shelves, qtmodeltester):
    for note in ("gone", "gone again"):
        quick_adjust(shelves, "TEE-M", -1, at="WH1-A-01", reason="THEFT", note=note)
    quick_adjust(shelves, "MILK-1L", -1, at="WH1-A-02", reason="EXPIRED", note="only once", lot="L-1")
    quick_adjust(shelves, "TEE-M", -1, at="WH1-A-01", reason="LOST", note="third")

    qtbot.keyClick(screen.scan, Qt.Key.Key_P, ALT)
    assert screen.tabs.currentWidget() is screen.pattern
    model = screen.pattern.model
    assert [(r.sku, r.location, r.adjustments, r.units_lost) for r in model.rows] == [("TEE-M", "WH1-A-01", 3, 3)]
    assert column(model, "Value lost") == ["13.50"]  # three at 4.50
    qtmodeltester.check(model)

    table = screen.pattern.table
    table.setFocus()
    table.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert screen.tabs.currentWidget() is screen.history and screen.history.item.text() == "TEE-M"
    assert {sku for (sku,) in shown(screen, "SKU")} == {"TEE-M"}


def test_a_history_row_is_reversed_once_with_a_note(qtbot, screen):
    ctx = screen.session.ctx
    scan(qtbot, screen, "WH1-A-01", "TEE-M")
    fill(qtbot, screen, "-4", "LOS", "not on the shelf")
    post(qtbot, screen)
    original = screen.history.model.rows[0].movement

    screen.history.table.selectRow(0)
    qtbot.keyClick(screen.history.table, Qt.Key.Key_R, CTRL)
    dialog = screen.history.dialog
    assert dialog.isVisible() and f"Movement {original.id} (adjust, LOST" in dialog.summary.text()
    assert not dialog.confirm.isEnabled()  # a reversal needs its note
    qtbot.keyClicks(dialog.note, "they were in the back room")
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)

    assert level(ctx, "TEE-M", "WH1-A-01") == (10, 0, 0)
    assert f"Movement {original.id} reversed by movement" in screen.message.text()
    undo = screen.history.model.rows[0]
    assert (undo.movement.reverses_id, undo.change, undo.movement.note) == (
        original.id,
        4,
        "they were in the back room",
    )
    assert column(screen.history.model, "Reversal")[:2] == [
        f"reverses #{original.id}",
        f"reversed by #{undo.movement.id}",
    ]

    before = snapshot(ctx)
    screen.history.table.selectRow(1)
    qtbot.keyClick(screen.history.table, Qt.Key.Key_R, CTRL)
    qtbot.keyClicks(screen.history.dialog.note, "again")
    qtbot.keyClick(screen.history.dialog.note, Qt.Key.Key_Return)
    assert f"Movement {original.id} has already been reversed" in screen.message.text()
    assert snapshot(ctx) == before


def test_staff_may_look_but_not_post_or_reverse(qtbot, shelves):
    clerk = build_session(as_user(shelves, "sam", role="staff"), synchronous=True)
    try:
        screen = open_screen(qtbot, clerk, AdjustmentsScreen)
        assert not screen.post_action.isEnabled() and not screen.history.reverse_action.isEnabled()
        before = snapshot(shelves)
        scan(qtbot, screen, "WH1-A-01", "TEE-M")
        fill(qtbot, screen, "-1", "DAM", "dropped")
        post(qtbot, screen)
        assert snapshot(shelves) == before
        with refused(shelves, PermissionDenied, "sam is signed in as staff and may not make adjustments"):
            quick_adjust(clerk.ctx, "TEE-M", -1, at="WH1-A-01", reason="DAMAGED", note="dropped")
    finally:
        clerk.close()


def test_the_screen_never_runs_sql_on_the_gui_thread(qtbot, shelves, threaded_session, sql_on_gui_thread):
    screen = open_screen(qtbot, threaded_session, AdjustmentsScreen)
    wait_idle(qtbot, threaded_session)
    for code in ("WH1-A-01", "TEE-M"):
        scan(qtbot, screen, code)
        wait_idle(qtbot, threaded_session)
    fill(qtbot, screen, "-2", "THE", "gone")
    post(qtbot, screen)
    wait_idle(qtbot, threaded_session)
    screen.history.table.selectRow(0)
    qtbot.keyClick(screen.history.table, Qt.Key.Key_R, CTRL)
    qtbot.keyClicks(screen.history.dialog.note, "mistake")
    qtbot.keyClick(screen.history.dialog.note, Qt.Key.Key_Return)
    wait_idle(qtbot, threaded_session)
    qtbot.keyClick(screen.scan, Qt.Key.Key_P, ALT)
    wait_idle(qtbot, threaded_session)

    assert sql_on_gui_thread == []
    assert [row.movement.kind for row in screen.history.model.rows] == ["reversal", "adjust"]
    assert screen.history.model.index(0, 0).data(ROW_ROLE).change == 2
    assert level(threaded_session.ctx, "TEE-M", "WH1-A-01") == (10, 0, 0)
