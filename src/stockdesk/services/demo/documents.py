"""The demo's purchasing and sales documents, left in every state a morning finds them in.

Suppliers with their terms; putaway settings (a zone per category, bin capacities) and unit weights;
reorder rules for the warehouse; purchase orders received and put away, received in part (one unit
damaged), sent and awaiting delivery, and a draft; web orders shipped (one of them partly returned),
packed, confirmed, cancelled and new.
"""

from __future__ import annotations

from datetime import timedelta

from ...domain.catalog import GroupBy
from ...domain.quantities import Tracking
from .. import (
    catalog,
    packing,
    po_receiving,
    purchase_orders,
    putaway,
    queries,
    reorder,
    sales_orders,
    shipping,
    suppliers,
)
from ..context import Context
from .business import WAREHOUSE
from .trading import DAYS, History

DOCK = "WH-DOCK"
SUPPLIERS = (
    # code, name, lead time (days), over-receipt tolerance (%), the categories they sell
    ("NORDTEX", "Nordtex Apparel GmbH", 7, 10, ("Apparel", "Footwear")),
    ("BEANCO", "Bean & Leaf Co.", 3, 5, ("Food", "Care")),
    ("SOUNDWORKS", "Soundworks Distribution", 14, 0, ("Electronics",)),
    ("ACCESSO", "Accesso Trading", 10, 0, ("Accessories",)),
)
ZONES = {"Apparel": "WH-A", "Footwear": "WH-A", "Food": "WH-B", "Care": "WH-B", "Electronics": "WH-C"}
ZONES["Accessories"] = "WH-D"
GRAMS = {"Apparel": 280, "Footwear": 900, "Food": 260, "Care": 220, "Electronics": 450, "Accessories": 150}
CUSTOMERS = (
    ("Ana Silva", "Rua Augusta 12\n1100-053 Lisboa\nPortugal"),
    ("Jonas Berg", "Storgatan 5\n111 23 Stockholm\nSweden"),
    ("Chloé Martin", "12 rue des Lilas\n69003 Lyon\nFrance"),
    ("Tomasz Nowak", "ul. Długa 7\n80-831 Gdańsk\nPoland"),
    ("Priya Shah", "14 Mill Lane\nLeeds LS1 4AB\nUnited Kingdom"),
    ("Lena Vogel", "Hauptstraße 3\n10115 Berlin\nGermany"),
    ("Mateo García", "Calle Mayor 20\n28013 Madrid\nSpain"),
)


def purchasing_and_orders(h: History, staff: Context, manager: Context, items) -> None:
    """Runs after the four weeks of trading, on the evening of their last day (yesterday): the clock
    never goes back, and nothing lands in the future."""
    h.clock.now = max(h.clock.now, h.when(DAYS - 1, 17))
    _setup(manager, items)
    plain = [sku for sku, (v, t) in sorted(items.items()) if t is Tracking.NONE and v.category == "Apparel"]
    food = [sku for sku, (v, t) in sorted(items.items()) if t is Tracking.LOT and v.category == "Food"]
    _purchase_orders(h, staff, manager, plain, food)
    _sales_orders(h, staff, manager, plain)


def _setup(manager: Context, items) -> None:
    for code, name, lead, tolerance, _ in SUPPLIERS:
        suppliers.add_supplier(
            manager,
            code,
            name,
            email=f"orders@{code.lower()}.example",
            lead_time_days=lead,
            over_receipt_pct=tolerance,
        )
    for category, zone in ZONES.items():
        putaway.set_category_zone(manager, site=WAREHOUSE, category=category, zone=zone)
    for sku, (variant, _) in items.items():
        catalog.edit_variant(manager, sku, weight_grams=GRAMS[variant.category])
    for n, sku in enumerate(sorted(items)[::9]):
        supplier = next(code for code, *_, sells in SUPPLIERS if items[sku][0].category in sells)
        point, most = (40, 80) if n % 4 == 0 else (12, 40)  # every fourth one runs short
        reorder.set_reorder_rule(manager, sku, site=WAREHOUSE, reorder_point=point, max_qty=most, supplier=supplier)


def _purchase_orders(h: History, staff: Context, manager: Context, plain: list[str], food: list[str]) -> None:
    def order(supplier: str, skus: list[str], qty: int, *, send: bool = True):
        lines = [purchase_orders.PoLineInput(sku, qty) for sku in skus]
        expected = (h.clock.now + timedelta(days=3)).date()
        po = purchase_orders.create_po(manager, supplier, deliver_to=DOCK, lines=lines, expected_on=expected)
        return purchase_orders.send_po(manager, po.id) if send else po

    done = order("NORDTEX", plain[:3], 12)
    h.tick(20)
    po_receiving.receive_po(
        staff, done.id, [po_receiving.PoReceiptLine(sku, 12) for sku in plain[:3]], delivery_ref="NT-50231"
    )
    for task in putaway.putaway_tasks(staff, done.id):
        h.tick(4)
        best = task.suggestions[0].location if task.suggestions else task.from_location
        putaway.put_away(staff, task.sku, task.qty, source=task.from_location, dest=best, ref=done.number)
    part = order("BEANCO", food[:2], 24)
    h.tick(20)
    lot = f"L{h.clock.now:%y%m%d}"
    expiry = (h.clock.now + timedelta(days=240)).date()
    po_receiving.receive_po(
        staff,
        part.id,
        [po_receiving.PoReceiptLine(food[0], 18, damaged=1, lot=lot, expiry=expiry)],
        delivery_ref="BL-7781",
    )
    h.tick(60)
    order("NORDTEX", plain[3:6], 20)
    h.tick(30)
    order("NORDTEX", plain[6:7], 30, send=False)


def _sales_orders(h: History, staff: Context, manager: Context, plain: list[str]) -> None:
    picks = [sku for sku in plain[8:] if _free_in_warehouse(staff, sku) >= 3]
    made = []
    for n, (customer, address) in enumerate(CUSTOMERS):
        h.tick(5)
        lines = [sales_orders.SoLineInput(sku, 1 + (n + i) % 2) for i, sku in enumerate(picks[n * 2 : n * 2 + 2])]
        made.append(
            sales_orders.create_order(
                staff, customer, lines, external_ref=f"#10{n + 41}", channel="webshop", ship_to=address
            )
        )
    shipped, returned, packed, confirmed, cancelled = made[:5]  # the last two stay new
    for order in (shipped, returned, packed, confirmed, cancelled):
        h.tick(5)
        sales_orders.confirm_order(staff, order.id, site=WAREHOUSE)
    for order in (shipped, returned, packed):
        h.tick(6)
        for line in sales_orders.get_order(staff, order.id).lines:
            for _ in range(line.reserved):
                packing.pack_scan(staff, order.id, line.sku)
    for order, tracking in ((shipped, "1Z999AA10123456784"), (returned, "1Z999AA10123456791")):
        h.tick(10)
        shipping.ship_order(staff, order.id, carrier="UPS", tracking=tracking)
    shipment = shipping.shipments_of(staff, returned.id)[0]
    back = shipment.lines[0]
    h.tick(10)
    shipping.return_shipment(
        staff,
        shipment.id,
        [shipping.ReturnLine(back.sku, 1)],
        to=DOCK,
        quarantine=True,
        reason="Arrived with a torn seam",
    )
    sales_orders.cancel_order(staff, cancelled.id)


def _free_in_warehouse(ctx: Context, sku: str) -> int:
    return sum(r.available for r in queries.stock(ctx, sku, at=WAREHOUSE, group_by=GroupBy.SITE))
