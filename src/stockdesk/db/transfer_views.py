"""Reads for the transfers screen: the list with its line totals in one statement, and a transfer's
lines with the item names (the repository's per-transfer reads would cost a query per row)."""

from __future__ import annotations

from sqlalchemy import Connection, func, or_, select

from .records import locations, transfer_lines, transfers, users, variants


def transfer_summaries(
    conn: Connection, *, status: str | None = None, within: str | None = None, transfer_id: int | None = None
):
    """One row per transfer, newest first: places, people, dates and the sums of its lines.

    `within` is a location path: only transfers from or to somewhere in that subtree.
    """
    src, dst = locations.alias("src"), locations.alias("dst")
    requester, approver = users.alias("requester"), users.alias("approver")
    totals = (
        select(
            transfer_lines.c.transfer_id,
            func.count().label("lines"),
            func.sum(transfer_lines.c.qty_requested).label("units"),
            func.sum(transfer_lines.c.qty_picked).label("picked"),
            func.sum(transfer_lines.c.qty_received).label("received"),
            func.sum(transfer_lines.c.qty_damaged).label("damaged"),
            func.sum(transfer_lines.c.qty_short).label("short"),
        )
        .group_by(transfer_lines.c.transfer_id)
        .subquery("totals")
    )
    query = (
        select(
            transfers.c.id,
            transfers.c.status,
            src.c.code.label("from_code"),
            dst.c.code.label("to_code"),
            totals.c.lines,
            totals.c.units,
            totals.c.picked,
            totals.c.received,
            totals.c.damaged,
            totals.c.short,
            transfers.c.created_at,
            transfers.c.updated_at,
            requester.c.username.label("requested_by"),
            approver.c.username.label("approved_by"),
            transfers.c.note,
        )
        .join(src, src.c.id == transfers.c.from_location_id)
        .join(dst, dst.c.id == transfers.c.to_location_id)
        .join(totals, totals.c.transfer_id == transfers.c.id)
        .outerjoin(requester, requester.c.id == transfers.c.requested_by)
        .outerjoin(approver, approver.c.id == transfers.c.approved_by)
        .order_by(transfers.c.id.desc())
    )
    if status:
        query = query.where(transfers.c.status == status)
    if transfer_id is not None:
        query = query.where(transfers.c.id == transfer_id)
    if within:
        query = query.where(or_(src.c.path.startswith(within), dst.c.path.startswith(within)))
    return list(conn.execute(query))


def transfer_line_details(conn: Connection, transfer_id: int):
    """A transfer's lines with each item's name, in the order they were entered."""
    return list(
        conn.execute(
            select(transfer_lines, variants.c.sku, variants.c.name)
            .join(variants, variants.c.id == transfer_lines.c.variant_id)
            .where(transfer_lines.c.transfer_id == transfer_id)
            .order_by(transfer_lines.c.id)
        )
    )
