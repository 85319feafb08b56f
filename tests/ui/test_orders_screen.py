"""The orders screen, driven from the keyboard and the scanner: an order from a web shop's export to
the parcel leaving, and each refusal on the way, checked on screen and in the books."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from sqlalchemy import update

from stockdesk.app import build_session
from stockdesk.db.records import variants
from stockdesk.services import catalog, packing, queries, sales_orders, shipping, stock
from stockdesk.services.sales_orders import SoLineInput
from stockdesk.ui.screens.orders import OrdersScreen
from stockdesk.ui.theme import Status
from tests.builders import as_user, freeze, level, snapshot
from tests.ui.conftest import wait_idle
from tests.ui.driving import activated, alt, open_screen, scan

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
TEE_BARCODE = "4006381333931"
HEADER = ["Order number", "Date", "Customer name", "Ship-to address", "SKU", "Quantity", "Unit price"]
ADA = ["#1001", "2030-05-31 18:04", "Ada Lovelace", "12 St James's Square\nLondon SW1Y 4JH"]


@pytest.fixture
def stocked(session):
    """WH1-Z-09 is walked first (its sort key), though its code sorts last; milk lot L2 expires first."""
    ctx = session.ctx
    freeze(ctx)
    catalog.add_location(ctx, "WH1-Z-09", name="By the door", parent="WH1", sort_key="WH1-0")
    stock.receive(ctx, "TEE-M", 2, to="WH1-Z-09")
    stock.receive(ctx, "TEE-M", 10, to="WH1-A-02")
    stock.receive(ctx, "MILK-1L", 4, to="WH1-A-01", lot="L1", expiry="2030-07-01")
    stock.receive(ctx, "MILK-1L", 3, to="WH1-B-01", lot="L2", expiry="2030-06-20")
    stock.receive(ctx, "PHONE-X", 2, to="WH1-A-01", serials=["SN-1", "SN-2"])
    session.choose_site("WH1")
    return session


def press(qtbot, widget, key: Qt.Key, modifiers=CTRL | SHIFT) -> None:
    qtbot.keyClick(widget, key, modifiers)


def export(tmp_path: Path, rows: list[list[str]], name: str = "shop-export.csv") -> Path:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([HEADER, *rows])
    return path


def choose_file(qtbot, screen_or_dialog, path: Path) -> None:
    """Pick `path` in the file chooser the last action opened, as a person would, and press its button."""
    chooser = screen_or_dialog.file_dialog
    activated(qtbot, chooser)
    name = chooser.findChild(QLineEdit, "fileNameEdit")
    name.setText(str(path))  # pasted: typing would pop up the completer, which offscreen cannot show
    qtbot.keyClick(name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not chooser.isVisible())


def import_through_screen(qtbot, screen, path: Path):
    press(qtbot, screen.scan, Qt.Key.Key_I, CTRL)
    choose_file(qtbot, screen, path)
    result = screen.import_result
    activated(qtbot, result)
    return result


def confirm_through_screen(qtbot, screen, site: str | None = None):
    press(qtbot, screen.scan, Qt.Key.Key_C)
    dialog = screen.confirm_dialog
    activated(qtbot, dialog)
    if site:
        dialog.site.choose(site)
    press(qtbot, dialog.site, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.message.kind == "error")
    return dialog


def ordered(ctx, *lines: tuple[str, int], customer="Ada Lovelace", site: str | None = "WH1") -> int:
    order = sales_orders.create_order(ctx, customer, [SoLineInput(sku, qty) for sku, qty in lines], ship_to="1 Main St")
    if site:
        sales_orders.confirm_order(ctx, order.id, site=site)
    return order.id


def packed(ctx, order_id: int, *codes: str) -> None:
    for code in codes:
        packing.pack_scan(ctx, order_id, code)


def test_an_order_goes_from_a_web_shop_export_to_the_parcel_leaving(qtbot, stocked, tmp_path):
    ctx = stocked.ctx
    screen = open_screen(qtbot, stocked, OrdersScreen)
    path = export(
        tmp_path,
        [
            [*ADA, "TEE-M", "3", "12.00"],
            [*ADA, "MILK-1L", "4", "1.20"],
            ["#1002", "2030-05-31", "Bo", "1 Rd", "TEE-M", "1", ""],
        ],
    )

    result = import_through_screen(qtbot, screen, path)
    assert "shop-export.csv: 2 orders created" in result.summary.text() and "#1001, #1002" in result.summary.text()
    result.accept()
    activated(qtbot, screen)
    assert [row.external_ref for row in screen.model.rows] == ["#1002", "#1001"]
    assert {row.status for row in screen.model.rows} == {"draft"}

    scan(qtbot, screen, f"SO-{screen.model.rows[1].id}")
    ada = screen.current
    assert (ada.external_ref, ada.customer_name, ada.ship_to) == ("#1001", "Ada Lovelace", ADA[3])
    confirm = confirm_through_screen(qtbot, screen)
    assert confirm.site.code() == "WH1", "the session's site is the default"
    assert not confirm.isVisible()
    activated(qtbot, screen)
    assert f"{ada.number} confirmed at WH1: all 7 open units reserved" in screen.message.text()
    assert [(line.sku, line.reserved) for line in screen.lines_model.rows] == [("TEE-M", 3), ("MILK-1L", 4)]

    press(qtbot, screen.scan, Qt.Key.Key_P)
    picks = screen.pick_dialog
    activated(qtbot, picks)
    walk = [(p.location, p.sku, p.lot, p.qty, p.orders) for p in picks.model.rows]
    assert walk == [
        ("WH1-Z-09", "TEE-M", None, 2, ((ada.number, 2),)),
        ("WH1-A-01", "MILK-1L", "L1", 1, ((ada.number, 1),)),
        ("WH1-A-02", "TEE-M", None, 1, ((ada.number, 1),)),
        ("WH1-B-01", "MILK-1L", "L2", 3, ((ada.number, 3),)),
    ], "walking order, the first-expiring lot first"
    picks.reject()
    activated(qtbot, screen)

    press(qtbot, screen.scan, Qt.Key.Key_B)
    assert screen.tabs.currentWidget() is screen.bench and screen.scan.hasFocus()
    before = snapshot(ctx)
    scan(qtbot, screen, "SN-1")  # a phone: not on this order
    assert screen.message.kind == "error" and "PHONE-X, which is not on order" in screen.message.text()
    assert "border" in screen.scan.styleSheet() and snapshot(ctx) == before
    scan(qtbot, screen, TEE_BARCODE, TEE_BARCODE, "MILK-1L", "MILK-1L", "MILK-1L", TEE_BARCODE)
    assert "6 of 7 units packed" in screen.bench.verdict.text() and not screen.current.verified
    scan(qtbot, screen, "MILK-1L")
    assert "Verified" in screen.bench.verdict.text() and screen.current.status == "packed"
    assert screen.ship_action.isEnabled() and screen.bench.ship_button.hasFocus()
    assert [(line.packed, line.reserved) for line in screen.bench.model.rows] == [(3, 3), (4, 4)]
    before = snapshot(ctx)
    scan(qtbot, screen, "MILK-1L")  # one too many
    assert "all of them are packed already: take the extra unit out" in screen.message.text()
    assert screen.message.kind == "error" and snapshot(ctx) == before

    qtbot.keyClick(screen.bench.ship_button, Qt.Key.Key_Return)
    ship = screen.ship_dialog
    activated(qtbot, ship)
    assert not ship.ship_button.isEnabled(), "a carrier is required"
    qtbot.keyClicks(ship.carrier.lineEdit(), "DHL")
    qtbot.keyClicks(ship.tracking, "JD014600003828")
    press(qtbot, ship.tracking, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not ship.isVisible())

    [shipment] = shipping.shipments_of(ctx, ada.id)
    assert (shipment.carrier, shipment.tracking, shipment.override_by) == ("DHL", "JD014600003828", None)
    assert sorted((line.sku, line.lot, line.qty) for line in shipment.lines) == [
        ("MILK-1L", "L1", 1),
        ("MILK-1L", "L2", 3),
        ("TEE-M", None, 3),
    ]
    assert sales_orders.get_order(ctx, ada.id).status == "shipped"
    assert level(ctx, "TEE-M", "WH1-Z-09") == (0, 0, 0) and level(ctx, "TEE-M", "WH1-A-02") == (9, 0, 0)
    assert level(ctx, "MILK-1L", "WH1-B-01") == (0, 0, 0) and level(ctx, "MILK-1L", "WH1-A-01") == (3, 0, 0)
    assert sum(r.reserved for r in queries.stock(ctx)) == 0
    assert "shipped: 7 units with DHL, tracking JD014600003828" in screen.message.text()
    assert screen.tabs.currentWidget() is screen.shipments_view
    assert [s.id for s in screen.shipments_model.rows] == [shipment.id] and screen.slip_action.isEnabled()


def test_the_packing_slip_is_saved_as_a_pdf(qtbot, stocked, tmp_path):
    order_id = ordered(stocked.ctx, ("TEE-M", 2), ("MILK-1L", 1))
    packed(stocked.ctx, order_id, "TEE-M", "TEE-M", "MILK-1L")
    shipping.ship_order(stocked.ctx, order_id, carrier="GLS", tracking="GLS-77")
    screen = open_screen(qtbot, stocked, OrdersScreen)
    scan(qtbot, screen, f"SO-{order_id}")

    press(qtbot, screen.scan, Qt.Key.Key_P, CTRL)
    assert screen.file_dialog.selectedFiles()[0].endswith(f"packing-slip-SO-{order_id}-1.pdf")
    choose_file(qtbot, screen, tmp_path / "slip.pdf")

    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "slip.pdf"), "-"], capture_output=True, text=True)
    assert f"SO-{order_id}" in text.stdout and "GLS-77" in text.stdout and "1 Main St" in text.stdout
    assert "T-shirt, M, blue" in text.stdout and "L2" in text.stdout
    assert f"Packing slip saved to {tmp_path / 'slip.pdf'}" in screen.message.text()


def test_staff_cannot_ship_an_unverified_order_and_a_manager_overrides_with_a_note(qtbot, stocked):
    ctx = stocked.ctx
    order_id = ordered(ctx, ("TEE-M", 2))
    packed(ctx, order_id, "TEE-M")  # one of two scanned
    staff = build_session(as_user(ctx, "sam", "staff"), synchronous=True)
    try:
        screen = open_screen(qtbot, staff, OrdersScreen)
        scan(qtbot, screen, f"SO-{order_id}")
        assert screen.pack_action.isEnabled() and not screen.ship_action.isEnabled()
        assert "only a manager or the owner" in screen.ship_action.toolTip()
        before = snapshot(ctx)
        press(qtbot, screen.scan, Qt.Key.Key_S)
        assert not hasattr(screen, "ship_dialog") and snapshot(ctx) == before
        screen.close()
    finally:
        staff.close()

    manager = build_session(as_user(ctx, "maria", "manager"), synchronous=True)
    try:
        screen = open_screen(qtbot, manager, OrdersScreen)
        scan(qtbot, screen, f"SO-{order_id}")
        press(qtbot, screen.scan, Qt.Key.Key_S)
        ship = screen.ship_dialog
        activated(qtbot, ship)
        assert "1 of 2 units scanned" in ship.findChild(type(ship.summary), "unverifiedWarning").text()
        qtbot.keyClicks(ship.carrier.lineEdit(), "UPS")
        assert not ship.ship_button.isEnabled() and not ship.note.isEnabled()
        qtbot.keyClick(ship.override, Qt.Key.Key_Space)
        assert not ship.ship_button.isEnabled(), "the override needs a note"
        assert "2 reserved units" in ship.summary.text()
        qtbot.keyClicks(ship.note, "customer collects now, scanner broken")
        press(qtbot, ship.note, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: not ship.isVisible())
    finally:
        manager.close()

    [shipment] = shipping.shipments_of(ctx, order_id)
    assert (shipment.override_by, shipment.override_note) == ("maria", "customer collects now, scanner broken")
    assert [(line.sku, line.qty) for line in shipment.lines] == [("TEE-M", 2)]
    assert sales_orders.get_order(ctx, order_id).status == "shipped"


def test_staff_shipping_an_order_another_desktop_unpacked_is_refused(qtbot, stocked):
    ctx = stocked.ctx
    order_id = ordered(ctx, ("TEE-M", 1))
    packed(ctx, order_id, "TEE-M")
    staff = build_session(as_user(ctx, "sam", "staff"), synchronous=True)
    try:
        screen = open_screen(qtbot, staff, OrdersScreen)
        scan(qtbot, screen, f"SO-{order_id}")
        press(qtbot, screen.scan, Qt.Key.Key_S)
        ship = screen.ship_dialog
        activated(qtbot, ship)
        qtbot.keyClicks(ship.carrier.lineEdit(), "DPD")
        packing.reset_packing(ctx, order_id)  # the other desktop starts the check over
        before = snapshot(ctx)
        press(qtbot, ship.tracking, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: ship.message.kind == "error")

        assert "packing bench" in ship.message.text() and ship.isVisible()
        assert snapshot(ctx) == before and shipping.shipments_of(ctx, order_id) == []
    finally:
        staff.close()


def test_cancelling_asks_first_and_releases_the_reservation(qtbot, stocked):
    ctx = stocked.ctx
    order_id = ordered(ctx, ("TEE-M", 4), ("MILK-1L", 2))
    assert level(ctx, "TEE-M", "WH1-Z-09") == (2, 2, 0)
    screen = open_screen(qtbot, stocked, OrdersScreen)
    scan(qtbot, screen, f"SO-{order_id}")

    press(qtbot, screen.scan, Qt.Key.Key_X)
    question = screen.question
    activated(qtbot, question)
    assert "Its 6 reserved units go back to free stock" in question.text()
    keep = next(b for b in question.buttons() if question.buttonRole(b) == QMessageBox.ButtonRole.RejectRole)
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert sales_orders.get_order(ctx, order_id).status == "confirmed"
    activated(qtbot, screen)

    press(qtbot, screen.scan, Qt.Key.Key_X)
    question = screen.question
    activated(qtbot, question)
    alt(qtbot, question, "c")  # &Cancel the order
    qtbot.waitUntil(lambda: sales_orders.get_order(ctx, order_id).status == "cancelled")

    assert sum(r.reserved for r in queries.stock(ctx)) == 0
    assert level(ctx, "TEE-M", "WH1-Z-09") == (2, 0, 0)
    assert "is cancelled; its reservations are released" in screen.message.text()
    assert screen.current.status == "cancelled" and not screen.cancel_action.isEnabled()


def test_a_return_goes_to_quarantine_with_its_serial(qtbot, stocked):
    ctx = stocked.ctx
    order_id = ordered(ctx, ("PHONE-X", 2), ("TEE-M", 1))
    packed(ctx, order_id, "SN-1", "SN-2", "TEE-M")
    shipment = shipping.ship_order(ctx, order_id, carrier="DHL")
    screen = open_screen(qtbot, stocked, OrdersScreen)
    scan(qtbot, screen, f"SO-{order_id}")

    press(qtbot, screen.scan, Qt.Key.Key_R)
    dialog = screen.return_dialog
    activated(qtbot, dialog)
    assert dialog.serial_field.hasFocus() and not dialog.return_button.isEnabled()
    scan(qtbot, dialog.serial_field, "SN-9")
    assert "Serial SN-9 was not shipped on shipment" in dialog.message.text()
    scan(qtbot, dialog.serial_field, "SN-2")
    phone, tee = sorted(dialog.entries, key=lambda entry: entry.sku)
    assert (phone.qty.value(), phone.serials_label.text(), tee.qty.value()) == (1, "SN-2", 0)
    dialog.destination.choose("WH1-B-01")
    alt(qtbot, dialog.quarantine, "q")
    assert dialog.quarantine.isChecked() and not dialog.return_button.isEnabled(), "a reason is required"
    qtbot.keyClicks(dialog.reason.lineEdit(), "damaged in transit")
    press(qtbot, dialog.reason, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    assert level(ctx, "PHONE-X", "WH1-B-01") == (1, 0, 1)
    [back] = shipping.get_shipment(ctx, shipment.id).returned
    assert (back.sku, back.qty, back.serials) == ("PHONE-X", 1, ("SN-2",))
    assert "1 unit is back at WH1-B-01 on hold (quarantine)" in screen.message.text()


def test_importing_the_same_file_again_creates_nothing_new(qtbot, stocked, tmp_path):
    ctx = stocked.ctx
    screen = open_screen(qtbot, stocked, OrdersScreen)
    path = export(tmp_path, [[*ADA, "TEE-M", "1", ""], ["#1003", "2030-05-31", "Cy", "2 Rd", "NO-SUCH", "1", ""]])
    import_through_screen(qtbot, screen, path).accept()
    activated(qtbot, screen)
    assert screen.message.kind == "error", "a refused row is not a success"
    first = snapshot(ctx)

    result = import_through_screen(qtbot, screen, path)

    # Its refused row is looked at again (it may be put right by now); the order it made is known.
    assert "shop-export.csv: nothing new was created, 1 already known, 1 row refused." in screen.message.text()
    assert "nothing new was created" in result.summary.text()
    assert [row.external_ref for row in sales_orders.list_orders(ctx)] == ["#1001"]
    assert snapshot(ctx)["sales_orders"] == first["sales_orders"]


def test_a_refused_row_is_listed_with_its_reason(qtbot, stocked, tmp_path, qtmodeltester):
    screen = open_screen(qtbot, stocked, OrdersScreen)
    path = export(tmp_path, [[*ADA, "TEE-M", "1", ""], ["#1003", "2030-05-31", "Cy", "2 Rd", "NO-SUCH", "1", ""]])

    result = import_through_screen(qtbot, screen, path)

    assert "1 order created" in result.summary.text() and "1 row refused" in result.summary.text()
    [(row, reason)] = result.refused.rows
    assert row == 3 and "NO-SUCH" in reason
    qtmodeltester.check(result.refused)


def test_a_new_order_is_typed_and_scanned_in(qtbot, stocked, qtmodeltester):
    screen = open_screen(qtbot, stocked, OrdersScreen)
    press(qtbot, screen.scan, Qt.Key.Key_N, CTRL)
    dialog = screen.new_dialog
    activated(qtbot, dialog)
    assert dialog.customer.hasFocus()
    dialog.customer.insert("Zoë Brown")  # as an input method types it (keyClicks knows no ë)
    qtbot.keyClick(dialog.customer, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.ship_to, "4 Elm Rd")
    dialog.qty.setValue(2)
    scan(qtbot, dialog.item_field, TEE_BARCODE, "NO-SUCH")
    assert dialog.message.kind == "error" and "NO-SUCH" in dialog.message.text()
    scan(qtbot, dialog.item_field, "MILK-1L", "TEE-M")
    assert [(line.sku, line.qty) for line in dialog.model.rows] == [("TEE-M", 3), ("MILK-1L", 1)]
    qtmodeltester.check(dialog.model)
    press(qtbot, dialog.item_field, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    [made] = sales_orders.list_orders(stocked.ctx)
    assert (made.customer_name, made.ship_to, made.status, made.channel) == ("Zoë Brown", "4 Elm Rd", "draft", "manual")
    assert [(line.sku, line.ordered) for line in made.lines] == [("TEE-M", 3), ("MILK-1L", 1)]
    assert screen.current.id == made.id and f"{made.number} created for Zoë Brown" in screen.message.text()
    assert screen.confirm_action.isEnabled() and not screen.pack_action.isEnabled()


def test_a_new_order_without_a_customer_is_refused_beside_the_form(qtbot, stocked):
    screen = open_screen(qtbot, stocked, OrdersScreen)
    before = snapshot(stocked.ctx)
    screen.new_action.trigger()
    dialog = screen.new_dialog
    activated(qtbot, dialog)
    scan(qtbot, dialog.item_field, "TEE-M")
    press(qtbot, dialog.item_field, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: dialog.message.kind == "error")

    assert "Customer name cannot be empty" in dialog.message.text() and dialog.isVisible()
    assert dialog.create_button.isEnabled() and snapshot(stocked.ctx) == before


def test_a_short_confirmation_shows_what_is_missing(qtbot, stocked, qtmodeltester):
    order_id = ordered(stocked.ctx, ("TEE-M", 15), ("MILK-1L", 1), site=None)
    stocked.choose_site("SHOP")
    screen = open_screen(qtbot, stocked, OrdersScreen)
    scan(qtbot, screen, f"SO-{order_id}")

    dialog = confirm_through_screen(qtbot, screen, site="WH1")
    assert dialog.site.currentText().startswith("WH1") and dialog.isVisible()

    assert [(s.sku, s.wanted, s.reserved) for s in dialog.shortages.rows] == [("TEE-M", 15, 12)]
    assert "short by 3 × TEE-M" in dialog.message.text() and dialog.shortage_view.isVisible()
    qtmodeltester.check(dialog.shortages)
    dialog.reject()
    assert "short by 3 × TEE-M" in screen.message.text() and screen.message.kind == "error"
    tee, milk = screen.lines_model.rows
    colour = screen.lines_model.data(screen.lines_model.index(0, 0), Qt.ItemDataRole.ForegroundRole)
    assert (tee.unreserved, milk.unreserved, colour) == (3, 0, Status.SHORTFALL.color())
    assert screen.lines_model.data(screen.lines_model.index(1, 0), Qt.ItemDataRole.ForegroundRole) is None
    assert screen.confirm_action.isEnabled(), "confirm again when stock arrives"


def test_a_batched_pick_list_serves_several_orders_and_saves_as_csv(qtbot, stocked, tmp_path, qtmodeltester):
    first, second = ordered(stocked.ctx, ("TEE-M", 1)), ordered(stocked.ctx, ("TEE-M", 2), customer="Bo")
    screen = open_screen(qtbot, stocked, OrdersScreen)
    view = screen.list_view
    for row, modifiers in ((0, Qt.KeyboardModifier.NoModifier), (1, CTRL)):
        rect = view.visualRect(screen.proxy.index(row, 2))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifiers, rect.center())
    assert sorted(screen.chosen_ids()) == [first, second]

    press(qtbot, screen.scan, Qt.Key.Key_P)
    picks = screen.pick_dialog
    activated(qtbot, picks)
    qtmodeltester.check(picks.model)
    assert [(p.location, p.qty, sorted(p.orders)) for p in picks.model.rows] == [
        ("WH1-Z-09", 2, [(f"SO-{first}", 1), (f"SO-{second}", 1)]),
        ("WH1-A-02", 1, [(f"SO-{second}", 1)]),
    ]
    press(qtbot, picks.view, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: picks.file_dialog is not None)
    choose_file(qtbot, picks, tmp_path / "picks.csv")

    with (tmp_path / "picks.csv").open(encoding="utf-8-sig") as saved:
        rows = list(csv.reader(saved))
    assert rows[0][:6] == ["Location", "SKU", "Item", "Lot", "Expires", "Qty"]
    assert rows[1][:7] == ["WH1-Z-09", "TEE-M", "T-shirt, M, blue", "", "", "2", ""]
    assert set(rows[1][7].split(", ")) == {f"SO-{first} ×1", f"SO-{second} ×1"}
    assert len(rows) == 3 and "Pick list saved to" in picks.message.text()


def test_the_scale_says_how_far_off_the_parcel_is(qtbot, stocked):
    with stocked.ctx.database.engine.begin() as conn:
        conn.execute(update(variants).where(variants.c.sku == "TEE-M").values(weight_grams=200))
    order_id = ordered(stocked.ctx, ("TEE-M", 2))
    screen = open_screen(qtbot, stocked, OrdersScreen)
    scan(qtbot, screen, f"SO-{order_id}")
    press(qtbot, screen.scan, Qt.Key.Key_B)
    scan(qtbot, screen, "TEE-M")

    scan(qtbot, screen.bench.weight, "215")  # one T-shirt in the box so far
    assert "Weight ok: 215 g, expected 200 g ± 20 g" in screen.bench.weight_result.text()
    assert screen.scan.hasFocus(), "back to scanning the next item"
    scan(qtbot, screen, "TEE-M")
    assert screen.bench.ship_button.hasFocus()
    screen.bench.weight.clear()
    scan(qtbot, screen.bench.weight, "470")
    assert "Off by +70 g: 470 g, expected 400 g ± 20 g" in screen.bench.weight_result.text()
    assert screen.bench.ship_button.hasFocus(), "verified: the parcel waits for Ship"


def test_codes_that_are_no_order_are_rejected(qtbot, stocked):
    screen = open_screen(qtbot, stocked, OrdersScreen)

    scan(qtbot, screen, "TEE-M")
    assert screen.message.kind == "error" and "'TEE-M' is not an order" in screen.message.text()
    assert "TEE-M" in screen.scan.toolTip()
    scan(qtbot, screen, "SO-404")
    assert "404" in screen.message.text() and screen.current is None


def test_the_filter_narrows_the_list_and_a_scan_widens_it(qtbot, stocked, qtmodeltester):
    draft = ordered(stocked.ctx, ("TEE-M", 1), site=None)
    done = ordered(stocked.ctx, ("TEE-M", 1))
    packed(stocked.ctx, done, "TEE-M")
    shipping.ship_order(stocked.ctx, done, carrier="DHL")
    screen = open_screen(qtbot, stocked, OrdersScreen)
    assert [row.id for row in screen.model.rows] == [draft], "open orders by default"

    screen.filter_box.setCurrentIndex(screen.filter_box.findData("all"))
    assert [row.id for row in screen.model.rows] == [done, draft]
    screen.filter_box.setCurrentIndex(screen.filter_box.findData("draft"))
    scan(qtbot, screen, f"so-{done}")
    assert screen.filter_box.currentData() == "all" and screen.current.id == done
    assert [screen.proxy.data(i) for i in screen.list_view.selectionModel().selectedRows()] == [str(done)]
    qtmodeltester.check(screen.model)
    qtmodeltester.check(screen.lines_model)
    qtmodeltester.check(screen.shipments_model)
    qtmodeltester.check(screen.bench.model)
    assert screen.model.data(screen.model.index(0, 0), Qt.ItemDataRole.ForegroundRole) == Status.GOOD.color()


def test_the_screen_never_runs_sql_on_the_gui_thread(qtbot, threaded_session, sql_on_gui_thread):
    ctx = threaded_session.ctx
    freeze(ctx)
    stock.receive(ctx, "TEE-M", 5, to="WH1-A-01")
    order_id = ordered(ctx, ("TEE-M", 2), site=None)
    threaded_session.choose_site("WH1")
    sql_on_gui_thread.clear()
    screen = open_screen(qtbot, threaded_session, OrdersScreen)
    wait_idle(qtbot, threaded_session)

    scan(qtbot, screen, f"SO-{order_id}")
    qtbot.waitUntil(lambda: screen.current is not None and screen.confirm_action.isEnabled())
    screen.confirm_action.trigger()
    dialog = screen.confirm_dialog
    qtbot.waitUntil(lambda: dialog.site.code() == "WH1")
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: screen.pack_action.isEnabled())
    screen.pack_action.trigger()
    scan(qtbot, screen, "TEE-M", TEE_BARCODE)
    qtbot.waitUntil(lambda: screen.ship_action.isEnabled() and screen.current.verified)
    wait_idle(qtbot, threaded_session)

    assert sql_on_gui_thread == []
    assert sales_orders.get_order(ctx, order_id).status == "packed"
    assert [(line.packed, line.reserved) for line in screen.bench.model.rows] == [(2, 2)]
