"""A supplier and purchase orders on top of `tests.builders.build_world`, for the purchasing tests."""

from __future__ import annotations

from collections.abc import Sequence

from stockdesk.services import purchase_orders, suppliers
from stockdesk.services.context import Context
from stockdesk.services.purchase_orders import PoLineInput, PurchaseOrderRow


def supplier(ctx: Context, code: str = "ACME", *, over_receipt_pct: int = 0) -> suppliers.SupplierRow:
    return suppliers.add_supplier(ctx, code, f"{code.title()} Ltd", over_receipt_pct=over_receipt_pct)


def sent_po(
    ctx: Context,
    lines: Sequence[tuple[str, int]] = (("TEE-M", 10),),
    *,
    vendor: str = "ACME",
    to: str = "WH1-A-01",
) -> PurchaseOrderRow:
    """A purchase order sent to `vendor` (which must exist), so its lines are on order at `to`."""
    draft = purchase_orders.create_po(ctx, vendor, deliver_to=to, lines=[PoLineInput(sku, n) for sku, n in lines])
    return purchase_orders.send_po(ctx, draft.id)


def line(po: PurchaseOrderRow, sku: str):
    [found] = [candidate for candidate in po.lines if candidate.sku == sku]
    return found
