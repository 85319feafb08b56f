"""The stock table: rows arrive a page at a time as the view scrolls (Qt's canFetchMore/fetchMore),
and rows of items another write changed are replaced where they stand, so neither a scroll position
nor a selection is lost to a reload."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from ...domain.catalog import StockRow
from ...services.browse import StockPage
from ..table import Column, Index, RowTableModel
from ..theme import Status

NOTHING_HERE = "no stock"

COLUMNS = (
    Column("SKU", lambda r: r.sku),
    Column("Name", lambda r: r.name),
    Column("Location", lambda r: r.location if r.location is not None else NOTHING_HERE),
    Column("Lot", lambda r: r.lot),
    Column("Expiry", lambda r: r.expires_on),
    Column("On hand", lambda r: r.on_hand, numeric=True),
    Column("Reserved", lambda r: r.reserved, numeric=True, tooltip="Promised to orders, not yet picked"),
    Column("Quarantined", lambda r: r.quarantined, numeric=True, tooltip="On hold: not sellable"),
    Column("Available", lambda r: r.available, numeric=True, tooltip="On hand - reserved - quarantined"),
    Column("In transit", lambda r: r.in_transit, numeric=True, tooltip="Picked for a transfer to this place"),
    Column("On order", lambda r: r.on_order, numeric=True, tooltip="On open purchase orders"),
)

STATUS_TEXT = {
    Status.BELOW_REORDER: "Below its reorder point here",
    Status.QUARANTINED: "Part of it is quarantined",
    Status.IN_TRANSIT: "A transfer is bringing more",
}


class StockTableModel(RowTableModel):
    """`request_page(after_sku)` asks the screen for the next page; it answers with `add_page`."""

    def __init__(self, request_page: Callable[[str], None], parent=None) -> None:
        super().__init__(COLUMNS, status=self.status, parent=parent)
        self._request_page = request_page
        self.after: str | None = None
        self.loading = False
        self.below_reorder: set[int] = set()

    def status(self, row: StockRow) -> Status | None:
        if row.variant_id in self.below_reorder:
            return Status.BELOW_REORDER
        if row.quarantined:
            return Status.QUARANTINED
        if row.in_transit:
            return Status.IN_TRANSIT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and 0 <= index.row() < len(self.rows):
            status = self.status(self.rows[index.row()])
            return STATUS_TEXT.get(status) if status else None
        return super().data(index, role)

    # -- paging -----------------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and self.after is not None and not self.loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self.loading = True
            self._request_page(self.after)

    def show_first(self, page: StockPage) -> None:
        self.below_reorder = set(page.below_reorder)
        self.after, self.loading = page.after, False
        self.set_rows(page.rows)

    def add_page(self, page: StockPage) -> None:
        self.below_reorder |= page.below_reorder
        self.after, self.loading = page.after, False
        self.append_rows(page.rows)

    def page_failed(self) -> None:
        """A page did not load: stop asking until the next reload, so a broken connection is not hammered."""
        self.after, self.loading = None, False

    # -- refreshing what changed --------------------------------------------------------------

    def update_items(self, variant_ids: set[int], fresh: StockPage) -> None:
        """Replace the rows of these items with `fresh`'s: in place where the count is unchanged,
        otherwise by removing or inserting the difference; an item not shown yet is inserted only
        where it sorts within the rows already loaded (a later page will bring the others)."""
        by_item: dict[int, list[StockRow]] = {}
        for row in fresh.rows:
            by_item.setdefault(row.variant_id, []).append(row)
        for variant_id in variant_ids:
            self.below_reorder.discard(variant_id)
            if variant_id in fresh.below_reorder:
                self.below_reorder.add(variant_id)
            self._replace_item(variant_id, by_item.get(variant_id, []))

    def _replace_item(self, variant_id: int, new: list[StockRow]) -> None:
        start = next((i for i, row in enumerate(self.rows) if row.variant_id == variant_id), None)
        if start is None:
            if new and (self.after is None or new[0].sku <= self.after):
                self._insert(bisect_left([row.sku for row in self.rows], new[0].sku), new)
            return
        end = start
        while end < len(self.rows) and self.rows[end].variant_id == variant_id:
            end += 1
        kept = min(end - start, len(new))
        if kept:
            self.rows[start : start + kept] = new[:kept]
            self.dataChanged.emit(self.index(start, 0), self.index(start + kept - 1, len(self.columns) - 1))
        if len(new) > kept:
            self._insert(start + kept, new[kept:])
        elif end - start > kept:
            self.beginRemoveRows(QModelIndex(), start + kept, end - 1)
            del self.rows[start + kept : end]
            self.endRemoveRows()

    def _insert(self, position: int, rows: list[StockRow]) -> None:
        self.beginInsertRows(QModelIndex(), position, position + len(rows) - 1)
        self.rows[position:position] = rows
        self.endInsertRows()

    def rows_of(self, variant_id: int) -> list[StockRow]:
        return [row for row in self.rows if row.variant_id == variant_id]
