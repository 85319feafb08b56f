"""The Cycle counts screen's tables: what is due, the open counts, the blind sheet and the review.

The blind sheet has no column that could show the books; the review adds them, with the variance
(units and value) coloured: red for missing stock, blue for stock found, green where the count agrees.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ...services.count_planning import DueItemRow, OpenCountRow
from ...services.counts import CountLineRow, CountSheet
from ..table import Column, RowTableModel, signed
from ..theme import Status

DUE_COLUMNS = (
    Column("Class", lambda r: r.abc_class, tooltip="ABC class by the last year's usage value"),
    Column("SKU", lambda r: r.sku),
    Column("Places", lambda r: r.places, numeric=True, tooltip="Lines this item adds to a count here"),
    Column("Last counted", lambda r: r.last_counted.date() if r.last_counted else "never"),
    Column("Due since", lambda r: r.due_since.date() if r.due_since else None),
    Column("Item", lambda r: r.name),
)

OPEN_COLUMNS = (
    Column("Count", lambda r: str(r.id), numeric=True),
    Column("Location", lambda r: r.location),
    Column("Counted", lambda r: f"{r.counted:,} of {r.lines:,}", numeric=True, tooltip="Lines counted so far"),
    Column("Started", lambda r: r.started_at),
    Column("By", lambda r: r.started_by),
)

_PLACE_AND_ITEM = (
    Column("Location", lambda r: r.location),
    Column("SKU", lambda r: r.sku),
    Column("Lot", lambda r: r.lot),
    Column("Class", lambda r: r.abc_class),
)
_NAME = Column("Item", lambda r: r.name)

BLIND_COLUMNS = (*_PLACE_AND_ITEM, Column("Counted", lambda r: r.counted, numeric=True), _NAME)

REVIEW_COLUMNS = (
    *_PLACE_AND_ITEM,
    Column("Books", lambda r: r.book, numeric=True, tooltip="Before: on hand in the books when the line was counted"),
    Column("Counted", lambda r: r.counted, numeric=True, tooltip="After: what the count found, once posted"),
    Column("Variance", lambda r: signed(r.variance), numeric=True, tooltip="Counted minus books, in units"),
    Column("Value", lambda r: signed(r.value), numeric=True, tooltip="The variance at the item's unit cost"),
    _NAME,
)
"""The review lists the counted lines only: lines nobody counted are left as they are by the posting."""


def variance_status(line: CountLineRow) -> Status | None:
    if line.variance is None:
        return None
    if line.variance < 0:
        return Status.SHORTFALL
    return Status.IN_TRANSIT if line.variance > 0 else Status.GOOD


def due_model(rows: Sequence[DueItemRow] = ()) -> RowTableModel:
    return RowTableModel(DUE_COLUMNS, rows)


def open_model(rows: Sequence[OpenCountRow] = ()) -> RowTableModel:
    return RowTableModel(OPEN_COLUMNS, rows)


def blind_model() -> RowTableModel:
    return RowTableModel(BLIND_COLUMNS)


def review_model() -> RowTableModel:
    return RowTableModel(REVIEW_COLUMNS, status=variance_status)


def due_summary(place: str, rows: Sequence[DueItemRow]) -> str:
    per_class = " · ".join(f"{grade} {sum(r.abc_class == grade for r in rows)}" for grade in "ABC")
    return f"Due for counting at {place}: {per_class}"


def review_lines(sheet: CountSheet) -> tuple[CountLineRow, ...]:
    return tuple(line for line in sheet.lines if line.counted is not None)


def sheet_summary(sheet: CountSheet, *, review: bool) -> str:
    """One line under the sheet: progress, and in the review what the variances add up to."""
    counted = review_lines(sheet)
    text = f"{len(counted):,} of {len(sheet.lines):,} lines counted"
    if not review:
        return text + "."
    short = sum(line.variance for line in counted if (line.variance or 0) < 0)
    over = sum(line.variance for line in counted if (line.variance or 0) > 0)
    net = sum((line.value or Decimal(0) for line in counted), Decimal(0))
    if not (short or over):
        return f"{text}; no variances."
    return f"{text}; units missing {-short:,}, found {over:,}; net value {signed(net)}."


def put_line(model: RowTableModel, line: CountLineRow) -> None:
    """Show one entered line in place (or at the end when the count has just found it)."""
    for position, row in enumerate(model.rows):
        if row.id == line.id:
            model.replace_row(position, line)
            return
    model.append_rows([line])


def show_lines(model: RowTableModel, lines: Sequence[CountLineRow]) -> None:
    """Refresh a sheet without a reset when only figures changed, so the counter keeps their place."""
    if [row.id for row in model.rows] != [line.id for line in lines]:
        model.set_rows(lines)
        return
    for position, (row, line) in enumerate(zip(model.rows, lines, strict=True)):
        if row != line:
            model.replace_row(position, line)
