"""The stock screen, driven as a clerk would: typing, scanning, choosing a place, scrolling, keys;
checked against what the services say the database holds."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from stockdesk.app import build_session, build_window
from stockdesk.db.uow import Database
from stockdesk.services import catalog, queries, stock
from stockdesk.services.context import open_context
from stockdesk.services.transfers import approve_transfer, pick_transfer, request_transfer
from stockdesk.ui.screens.stock import StockScreen
from stockdesk.ui.table import ROW_ROLE
from stockdesk.ui.theme import Status
from tests.builders import snapshot
from tests.ui.conftest import wait_idle

HOODIES = [
    catalog.NewProduct("HOOD-NVY-L", "Heavy hoodie", attributes={"colour": "navy", "size": "L"}, reorder_point=50),
    catalog.NewProduct("HOOD-RED-L", "Heavy hoodie", attributes={"colour": "Red", "size": "L"}),
]


@pytest.fixture
def stocked(session):
    """Both sites hold something; one item is short, one on hold, one on the road."""
    ctx = session.ctx
    for product in HOODIES:
        catalog.add_product(ctx, product)
    stock.receive(ctx, "TEE-M", 10, to="WH1-A-01")
    stock.receive(ctx, "TEE-M", 3, to="SHOP-FRONT")
    stock.receive(ctx, "MILK-1L", 6, to="WH1-A-02", lot="L-1", expiry="2031-01-31")
    stock.receive(ctx, "PHONE-X", 2, to="SHOP-BACK", serials=["PX-1", "PX-2"])
    stock.quarantine(ctx, "PHONE-X", 1, at="SHOP-BACK", serials=["PX-2"])
    stock.receive(ctx, "HOOD-NVY-L", 30, to="WH1-B-01")
    stock.receive(ctx, "HOOD-RED-L", 8, to="WH1-B-01")
    transfer = request_transfer(ctx, [("HOOD-RED-L", 5)], source="WH1-B-01", dest="SHOP-FRONT")
    approve_transfer(ctx, transfer.id)
    pick_transfer(ctx, transfer.id)
    return session


def open_screen(qtbot, session) -> StockScreen:
    screen = StockScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show()
    return screen


def shown(screen: StockScreen) -> list:
    model = screen.model
    return [model.data(model.index(i, 0), ROW_ROLE) for i in range(model.rowCount())]


def shown_skus(screen: StockScreen) -> list[str]:
    return sorted({row.sku for row in shown(screen)})


def cell(screen: StockScreen, sku: str, location: str | None, title: str) -> str:
    model = screen.model
    column = [c.title for c in model.columns].index(title)
    [position] = [i for i, r in enumerate(shown(screen)) if r.sku == sku and r.location == location]
    return model.data(model.index(position, column))


def colour(screen: StockScreen, sku: str, location: str | None):
    model = screen.model
    [position] = [i for i, r in enumerate(shown(screen)) if r.sku == sku and r.location == location]
    return model.data(model.index(position, 3), Qt.ItemDataRole.ForegroundRole)


def type_search(qtbot, screen: StockScreen, text: str) -> None:
    screen.scan.clear()
    qtbot.keyClicks(screen.scan, text)


def scan(qtbot, screen: StockScreen, code: str) -> None:
    screen.scan.clear()
    qtbot.keyClicks(screen.scan, code)
    qtbot.keyClick(screen.scan, Qt.Key.Key_Return)


# -- what it shows --------------------------------------------------------------------------------


def test_opening_shows_every_item_and_place_with_its_quantities(qtbot, stocked, qtmodeltester):
    screen = open_screen(qtbot, stocked)

    assert [r for r in shown(screen) if r.location is not None] == queries.stock(stocked.ctx)
    assert cell(screen, "TEE-M", "WH1-A-01", "On hand") == "10"
    assert cell(screen, "PHONE-X", "SHOP-BACK", "Quarantined") == "1"
    assert cell(screen, "PHONE-X", "SHOP-BACK", "Available") == "1"
    assert cell(screen, "HOOD-RED-L", "SHOP-FRONT", "In transit") == "5"
    assert cell(screen, "MILK-1L", "WH1-A-02", "Expiry") == "2031-01-31"
    assert screen.model.headerData(5, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole) & int(
        Qt.AlignmentFlag.AlignRight
    )
    qtmodeltester.check(screen.model)


def test_rows_are_coloured_by_what_needs_attention(qtbot, stocked):
    screen = open_screen(qtbot, stocked)

    assert colour(screen, "HOOD-NVY-L", "WH1-B-01") == Status.BELOW_REORDER.color()  # 30 of 50
    assert colour(screen, "PHONE-X", "SHOP-BACK") == Status.QUARANTINED.color()
    assert colour(screen, "HOOD-RED-L", "SHOP-FRONT") == Status.IN_TRANSIT.color()
    assert colour(screen, "TEE-M", "WH1-A-01") is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("tee", ["TEE-M"]),
        ("milk 1", ["MILK-1L"]),  # name and SKU, every word
        ("T-SHIRT", ["TEE-M"]),
        ("4006381333931", ["TEE-M"]),  # barcode
        ("NAVY", ["HOOD-NVY-L"]),  # attribute value
        ("hoodie", ["HOOD-NVY-L", "HOOD-RED-L"]),
        ("zzz", []),
    ],
)
def test_typing_searches_as_you_type(qtbot, stocked, typed, expected):
    screen = open_screen(qtbot, stocked)

    type_search(qtbot, screen, typed)

    qtbot.waitUntil(lambda: screen.filter.text == typed)
    assert shown_skus(screen) == expected
    if not expected:
        assert screen.summary.text() == f"No items matching '{typed}' here."


def test_scanning_a_barcode_shows_that_item_with_its_history_newest_first(qtbot, stocked):
    screen = open_screen(qtbot, stocked)
    stock.sell(stocked.ctx, "TEE-M", 1, source="SHOP-FRONT")

    scan(qtbot, screen, "4006381333931")

    assert screen.scan.text() == "TEE-M"
    assert shown_skus(screen) == ["TEE-M"]
    assert screen.detail.title.text() == "TEE-M — T-shirt, M, blue"
    history = [screen.detail.history.data(screen.detail.history.index(i, 0), ROW_ROLE) for i in range(3)]
    assert history == list(reversed(queries.history(stocked.ctx, "TEE-M")))
    assert history[0].kind == "sell"


def test_scanning_a_location_shows_what_is_there(qtbot, stocked):
    screen = open_screen(qtbot, stocked)

    scan(qtbot, screen, "SHOP-FRONT")

    assert screen.place_box.currentData() == "SHOP-FRONT"
    assert screen.scan.text() == ""
    assert shown(screen) == queries.stock(stocked.ctx, at="SHOP-FRONT")


def test_an_unknown_code_is_refused_in_words_and_writes_nothing(qtbot, stocked):
    screen = open_screen(qtbot, stocked)
    before = snapshot(stocked.ctx)

    scan(qtbot, screen, "NO-SUCH-CODE")

    assert screen.message.kind == "error"
    assert "Nothing has the code 'NO-SUCH-CODE'" in screen.message.text()
    assert shown(screen) == []
    assert snapshot(stocked.ctx) == before


def test_the_status_bar_site_and_the_location_box_choose_the_place(qtbot, stocked):
    screen = open_screen(qtbot, stocked)

    stocked.choose_site("SHOP")
    assert screen.place_box.currentData() == "SHOP"
    assert shown(screen) == queries.stock(stocked.ctx, at="SHOP")

    screen.place_box.setFocus()
    screen.place_box.setCurrentIndex(screen.place_box.findData("WH1-A-01"))
    assert screen.filter.at == "WH1-A-01"
    assert shown(screen) == queries.stock(stocked.ctx, at="WH1-A-01")
    assert "WH1-A-01" in screen.place_box.currentText()


def test_below_reorder_point_shows_only_the_short_items(qtbot, stocked):
    screen = open_screen(qtbot, stocked)

    qtbot.mouseClick(screen.below_box, Qt.MouseButton.LeftButton)
    assert shown_skus(screen) == ["HOOD-NVY-L"]  # 30 of 50; TEE-M has 13 of 5, the others no reorder point

    stocked.choose_site("SHOP")
    assert shown_skus(screen) == ["TEE-M"]  # 3 of 5 in the shop; HOOD-NVY-L was never there


def test_scrolling_down_fetches_the_next_pages(qtbot, session):
    ctx = session.ctx
    for n in range(30):
        catalog.add_product(ctx, catalog.NewProduct(f"PEN-{n:02d}", f"Pen {n}"))
        stock.receive(ctx, f"PEN-{n:02d}", n + 1, to="WH1-A-01")
    screen = StockScreen(session)
    qtbot.addWidget(screen)
    screen.page_rows = 8
    screen.reload()
    screen.resize(900, 300)
    screen.show()
    first = screen.model.rowCount()

    for _ in range(10):
        screen.table.scrollToBottom()
        qtbot.wait(1)
    assert first < 12
    assert [r for r in shown(screen) if r.location is not None] == queries.stock(ctx)
    assert screen.model.after is None
    assert screen.summary.text() == f"{len(shown(screen))} rows"


# -- keeping up with writes ------------------------------------------------------------------------


def test_a_receipt_updates_its_rows_in_place_without_a_reload(qtbot, stocked):
    screen = open_screen(qtbot, stocked)
    screen.table.setCurrentIndex(screen.model.index(0, 0))
    resets, changed, inserted = [], [], []
    screen.model.modelReset.connect(lambda: resets.append(1))
    screen.model.dataChanged.connect(lambda first, last: changed.append((first.row(), last.row())))
    screen.model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))

    stock.receive(stocked.ctx, "TEE-M", 7, to="WH1-A-01")
    stock.receive(stocked.ctx, "TEE-M", 2, to="WH1-A-02")

    assert cell(screen, "TEE-M", "WH1-A-01", "On hand") == "17"
    assert cell(screen, "TEE-M", "WH1-A-02", "On hand") == "2"
    assert [r for r in shown(screen) if r.location is not None] == queries.stock(stocked.ctx)
    assert resets == []
    assert changed and len(inserted) == 1
    assert screen.table.currentIndex().row() == 0
    qtbot.waitUntil(lambda: screen.detail.history.rowCount() > 0)  # the kept selection's history


def test_a_new_item_appears_where_it_sorts_once_it_is_received(qtbot, stocked):
    screen = open_screen(qtbot, stocked)
    stocked.choose_site("WH1")
    catalog.add_product(stocked.ctx, catalog.NewProduct("JACKET-1", "Jacket"))
    assert "JACKET-1" not in shown_skus(screen)  # nothing of it in WH1 yet

    stock.receive(stocked.ctx, "JACKET-1", 4, to="WH1-A-01")

    assert shown(screen) == queries.stock(stocked.ctx, at="WH1")


# -- keyboard ----------------------------------------------------------------------------------------


def test_keyboard_ctrl_f_searches_enter_opens_the_detail_f5_refreshes(qtbot, stocked):
    window = build_window(stocked)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    screen = window.current_screen()
    assert isinstance(screen, StockScreen)
    assert screen.scan.hasFocus()

    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert screen.scan.hasFocus()

    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Down)
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    row = screen.model.row_at(screen.table.currentIndex().row())
    assert screen.detail.view.hasFocus()
    assert screen.detail.title.text().startswith(row.sku)
    assert screen.detail.history.rowCount() == len(queries.history(stocked.ctx, row.sku))

    resets = []
    screen.model.modelReset.connect(lambda: resets.append(1))
    qtbot.keyClick(screen.table, Qt.Key.Key_F5)
    assert resets == [1]
    assert [r for r in shown(screen) if r.location is not None] == queries.stock(stocked.ctx)


# -- threads and other desktops -------------------------------------------------------------------------


def test_the_gui_thread_never_runs_sql_while_the_screen_loads_and_acts(qtbot, threaded_session, sql_on_gui_thread):
    ctx = threaded_session.ctx
    screen = open_screen(qtbot, threaded_session)
    wait_idle(qtbot, threaded_session)
    assert [(r.sku, r.location) for r in shown(screen)] == [("MILK-1L", None), ("PHONE-X", None), ("TEE-M", None)]

    threaded_session.runner.run(lambda: stock.receive(ctx, "TEE-M", 4, to="SHOP-FRONT"))
    qtbot.waitUntil(lambda: any(r.on_hand == 4 for r in shown(screen)))
    type_search(qtbot, screen, "tee")
    qtbot.waitUntil(lambda: screen.filter.text == "tee" and shown_skus(screen) == ["TEE-M"])
    screen.table.setCurrentIndex(screen.model.index(0, 0))
    screen.open_detail()
    wait_idle(qtbot, threaded_session)
    qtbot.waitUntil(lambda: screen.detail.history.rowCount() == 1)
    threaded_session.choose_site("WH1")
    wait_idle(qtbot, threaded_session)

    assert sql_on_gui_thread == []


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_write_on_another_desktop_appears_in_the_open_stock_view(qtbot, stocked):
    screen = open_screen(qtbot, stocked)
    other_db = Database(stocked.ctx.database.url)
    other = build_session(open_context(other_db), synchronous=True)
    try:
        stock.receive(other.ctx, "TEE-M", 6, to="WH1-A-01")

        qtbot.waitUntil(lambda: cell(screen, "TEE-M", "WH1-A-01", "On hand") == "16", timeout=1_000)
        assert [r for r in shown(screen) if r.location is not None] == queries.stock(stocked.ctx)
    finally:
        other.close()
        other_db.dispose()
