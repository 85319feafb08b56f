"""The Cycle counts screen, driven by the scanner and the keyboard: what is due, a count started,
blind entry by scanning, the manager's review of the variances, and the posting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from stockdesk.app import build_session
from stockdesk.domain.errors import PermissionDenied
from stockdesk.services import counts, stock
from stockdesk.ui.screens.counts import CountsScreen
from stockdesk.ui.table import ROW_ROLE
from stockdesk.ui.theme import Status
from tests.builders import as_user, freeze, level, refused, snapshot
from tests.ui.conftest import wait_idle
from tests.ui.driving import open_screen, scan

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def shelves(world):
    """TEE-M sells (class A), MILK-1L does not (class C); neither was ever counted."""
    clock = freeze(world)
    stock.receive(world, "TEE-M", 12, to="WH1-A-01")
    stock.sell(world, "TEE-M", 2, source="WH1-A-01")
    stock.receive(world, "MILK-1L", 6, to="WH1-A-02", lot="L-1", expiry="2030-07-01")
    clock.advance(hours=1)
    return world


@pytest.fixture
def screen(qtbot, shelves, session) -> CountsScreen:
    return open_screen(qtbot, session, CountsScreen)


def count(qtbot, screen: CountsScreen, item: str, qty: str) -> None:
    """Scan the item (or its lot), type what was found, Enter: as a counter does."""
    scan(qtbot, screen, item)
    assert screen.entry.qty.hasFocus()
    qtbot.keyClicks(screen.entry.qty, qty)
    qtbot.keyClick(screen.entry.qty, Qt.Key.Key_Return)


def shortcut(qtbot, screen: CountsScreen, key: Qt.Key) -> None:
    qtbot.keyClick(screen.scan, key, CTRL)


def cells(model) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def column(model, title: str) -> list[str]:
    position = next(i for i, c in enumerate(model.columns) if c.title == title)
    return [model.index(r, position).data() for r in range(model.rowCount())]


def started(qtbot, screen: CountsScreen, place: str) -> int:
    scan(qtbot, screen, place)  # before a count, a scanned location is the place to count
    shortcut(qtbot, screen, Qt.Key.Key_N)
    assert screen.sheet is not None and screen.sheet.location == place
    return screen.sheet.session_id


def test_the_due_list_shows_what_each_class_needs_counted(qtbot, screen, qtmodeltester):
    due = screen.plan.due_table.model()
    scan(qtbot, screen, "WH1")  # before a count, a scanned location is the place to count

    assert screen.plan.place.code() == "WH1"
    assert [(row.sku, row.abc_class, row.last_counted) for row in due.rows] == [
        ("TEE-M", "A", None),
        ("MILK-1L", "C", None),
    ]
    assert "A 1 · B 0 · C 1" in screen.plan.due_heading.text()
    qtmodeltester.check(due)

    scan(qtbot, screen, "SHOP")
    assert screen.plan.place.code() == "SHOP" and due.rowCount() == 0


def test_blind_entry_by_scanning_never_shows_the_books(qtbot, screen, qtmodeltester):
    ctx = screen.session.ctx
    session_id = started(qtbot, screen, "WH1")
    books = {sku: level(ctx, sku, at)[0] for sku, at in (("TEE-M", "WH1-A-01"), ("MILK-1L", "WH1-A-02"))}

    scan(qtbot, screen, "WH1-A-01")
    count(qtbot, screen, "4006381333931", "8")  # the barcode
    assert screen.scan.hasFocus() and "Counted 8 × TEE-M at WH1-A-01" in screen.message.text()
    scan(qtbot, screen, "WH1-A-02")
    count(qtbot, screen, "L-1", "7")  # the lot label names the item and the lot

    model = screen.sheet_table.model()
    assert model is screen.blind
    assert column(model, "SKU") == ["TEE-M", "MILK-1L"] and column(model, "Counted") == ["8", "7"]
    assert not {"Books", "Variance", "Value"} & {c.title for c in model.columns}
    assert all(model.index(r, 0).data(ROW_ROLE).book is None for r in range(model.rowCount()))
    assert not {str(n) for n in books.values()} & {cell for row in cells(model) for cell in row}
    assert screen.summary.text() == "2 of 2 lines counted."
    qtmodeltester.check(model)
    # the counts are stored: the books' side, seen by the manager through the service
    review = {line.sku: (line.book, line.counted) for line in counts.count_variances(ctx, session_id).lines}
    assert review == {"TEE-M": (books["TEE-M"], 8), "MILK-1L": (books["MILK-1L"], 7)}


def test_the_review_shows_variances_and_posting_adjusts_by_counted_minus_books(qtbot, screen, qtmodeltester):
    ctx = screen.session.ctx
    started(qtbot, screen, "WH1")
    count(qtbot, screen, "TEE-M", "8")
    count(qtbot, screen, "L-1", "7")
    stock.sell(ctx, "TEE-M", 1, source="WH1-A-01")  # a sale while counting is kept

    shortcut(qtbot, screen, Qt.Key.Key_R)
    model = screen.sheet_table.model()
    assert model is screen.review
    rows = [model.index(r, 0).data(ROW_ROLE) for r in range(model.rowCount())]
    assert [(r.sku, r.book, r.counted, r.variance) for r in rows] == [("TEE-M", 10, 8, -2), ("MILK-1L", 6, 7, 1)]
    assert column(model, "Variance") == ["-2", "+1"]
    assert column(model, "Value") == [f"{Decimal('-4.50') * 2:+,.2f}", f"{Decimal('0.60'):+,.2f}"]
    colours = [model.index(r, 0).data(Qt.ItemDataRole.ForegroundRole) for r in range(2)]
    assert colours == [Status.SHORTFALL.color(), Status.IN_TRANSIT.color()]
    assert "units missing 2, found 1; net value -8.40." in screen.summary.text()
    qtmodeltester.check(model)

    before = {sku: level(ctx, sku, at)[0] for sku, at in (("TEE-M", "WH1-A-01"), ("MILK-1L", "WH1-A-02"))}
    assert screen.post_action.isEnabled()
    shortcut(qtbot, screen, Qt.Key.Key_Return)

    assert level(ctx, "TEE-M", "WH1-A-01")[0] == before["TEE-M"] + (8 - 10)
    assert level(ctx, "MILK-1L", "WH1-A-02")[0] == before["MILK-1L"] + (7 - 6)
    assert "posted: 2 adjustments; units written off 2, units found 1." in screen.message.text()
    assert screen.sheet.status == "posted" and not screen.post_action.isEnabled()
    assert not screen.entry.isEnabled()
    assert screen.plan.open_table.model().rowCount() == 0


def test_staff_count_but_may_not_review_or_post(qtbot, shelves):
    clerk = build_session(as_user(shelves, "sam", role="staff"), synchronous=True)
    try:
        screen = open_screen(qtbot, clerk, CountsScreen)
        session_id = started(qtbot, screen, "WH1-A-01")
        count(qtbot, screen, "TEE-M", "9")

        assert not screen.review_action.isEnabled() and not screen.post_action.isEnabled()
        shortcut(qtbot, screen, Qt.Key.Key_R)
        shortcut(qtbot, screen, Qt.Key.Key_Return)
        assert screen.sheet_table.model() is screen.blind and screen.sheet.status == "open"
        assert "manager" in screen.post_action.toolTip()
        with refused(shelves, PermissionDenied, "sam is signed in as staff and may not post cycle counts"):
            counts.post_count(clerk.ctx, session_id)
    finally:
        clerk.close()


def test_bad_scans_and_quantities_are_refused_and_write_nothing(qtbot, screen):
    ctx = screen.session.ctx
    before = snapshot(ctx)
    scan(qtbot, screen, "TEE-M")
    assert "Start a count (Ctrl+N)" in screen.message.text() and "border" in screen.scan.styleSheet()
    scan(qtbot, screen, "NO-SUCH-CODE")
    assert "Nothing has the code 'NO-SUCH-CODE'" in screen.message.text()
    assert snapshot(ctx) == before

    started(qtbot, screen, "WH1-A-01")
    before = snapshot(ctx)
    count(qtbot, screen, "TEE-M", "")
    assert "Counted quantity must be a whole number of units" in screen.message.text()
    assert screen.entry.qty.hasFocus()
    scan(qtbot, screen, "SHOP-FRONT")
    count(qtbot, screen, "TEE-M", "3")
    assert "SHOP-FRONT is not part of this count of WH1-A-01" in screen.message.text()
    scan(qtbot, screen, "MILK-1L")
    assert screen.entry.lot.isEnabled() and screen.entry.lot.hasFocus()  # a lot item asks for its lot first
    assert snapshot(ctx) == before
    assert screen.blind.rows[0].counted is None


def test_a_count_started_on_another_desktop_is_opened_from_the_list(qtbot, screen, shelves, qtmodeltester):
    other = as_user(shelves, "sam", role="staff")
    session_id = counts.start_count(other, "WH1-A-02").session_id
    counts.enter_count(other, session_id, "MILK-1L", 5, lot="L-1")

    table = screen.plan.open_table
    assert [row.id for row in table.model().rows] == [session_id]  # the change notice refreshed the list
    assert column(table.model(), "Counted") == ["1 of 1"]
    qtmodeltester.check(table.model())
    table.setFocus()
    table.selectRow(0)
    shortcut(qtbot, screen, Qt.Key.Key_O)

    assert screen.sheet.session_id == session_id and column(screen.blind, "Counted") == ["5"]


def test_the_screen_never_runs_sql_on_the_gui_thread(qtbot, shelves, threaded_session, sql_on_gui_thread):
    screen = open_screen(qtbot, threaded_session, CountsScreen)
    wait_idle(qtbot, threaded_session)
    for code in ("WH1", "WH1-A-01"):
        scan(qtbot, screen, code)
        wait_idle(qtbot, threaded_session)
        if screen.sheet is None:
            shortcut(qtbot, screen, Qt.Key.Key_N)
            wait_idle(qtbot, threaded_session)
    scan(qtbot, screen, "TEE-M")
    wait_idle(qtbot, threaded_session)
    qtbot.keyClicks(screen.entry.qty, "9")
    qtbot.keyClick(screen.entry.qty, Qt.Key.Key_Return)
    wait_idle(qtbot, threaded_session)
    shortcut(qtbot, screen, Qt.Key.Key_R)
    wait_idle(qtbot, threaded_session)
    shortcut(qtbot, screen, Qt.Key.Key_Return)
    wait_idle(qtbot, threaded_session)

    assert sql_on_gui_thread == []
    assert screen.sheet.status == "posted" and screen.plan.due_table.model().rowCount() == 1
    assert level(threaded_session.ctx, "TEE-M", "WH1-A-01") == (9, 0, 0)
