"""The parts of a document screen (transfers, sales orders, purchase orders): a filter and the scan field
above a sortable list of the documents, and the chosen document's heading and detail below it; and the
screen itself, which reads its list when first shown and finds a document by its scanned label."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from ..domain.errors import StockDeskError
from .controls import buddy_label
from .screen import Screen
from .session import Session
from .table import SORT_ROLE, RowTableModel
from .widgets import standard_table


class DocumentScreen(Screen):
    """Reads its list when first shown (not at start-up, so the window opens at once)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.loaded = False

    def activate(self) -> None:
        super().activate()
        if not self.loaded:
            self.load()

    def load(self) -> None:
        """Read the list (again); each screen reads its own after calling this."""
        self.loaded = True

    def scanned_number(self, code: str, read: Callable[[str], int]) -> int | None:
        """The document number in a scanned label (`read` knows the label: TRANSFER-12, SO-12), the message
        bar cleared for what comes of it; None, the scan refused, when the code is no such label."""
        try:
            number = read(code)
        except StockDeskError as error:
            self.reject_scan(error)
            return None
        self.message.clear_message()
        return number


class DocumentList(QTableView):
    """The documents (rows with an `id`) of `source`, sortable by any column through `proxy`, newest (the
    highest number, column 0) first, one chosen at a time."""

    def __init__(self, source: RowTableModel, name: str, parent: QWidget) -> None:
        super().__init__(parent)
        standard_table(self)
        self.setObjectName(name)
        self.source = source
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(source)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.setSelectionMode(QTableView.SelectionMode.SingleSelection)

    def document_at(self, index: QModelIndex) -> Any:
        return self.source.row_at(self.proxy.mapToSource(index).row())

    def select_document(
        self,
        document_id: int,
        how: QItemSelectionModel.SelectionFlag = QItemSelectionModel.SelectionFlag.ClearAndSelect,
        current: bool = True,
    ) -> Any | None:
        """Selects the document as the current row, scrolled to (which sets off currentRowChanged), or (not
        `current`) only adds it to the selection. Its row, or None when the list does not show it."""
        for position, row in enumerate(self.source.rows):
            if row.id == document_id:
                index = self.proxy.mapFromSource(self.source.index(position, 0))
                if current:
                    self.selectionModel().setCurrentIndex(index, how | QItemSelectionModel.SelectionFlag.Rows)
                    self.scrollTo(index)
                else:
                    self.selectionModel().select(index, how | QItemSelectionModel.SelectionFlag.Rows)
                return row
        return None


def filter_box(
    name: str, choices: Iterable[tuple[str, object]], changed: Callable[[], None], parent: QWidget
) -> QComboBox:
    """Which documents the list shows: each choice a label and the value the screen filters by."""
    box = QComboBox(parent)
    box.setObjectName(name)
    for label, value in choices:
        box.addItem(label, value)
    box.currentIndexChanged.connect(lambda _: changed())
    return box


def filter_row(label: str, box: QComboBox, scan: QWidget | None = None) -> QHBoxLayout:
    """The row above the list: the scan field taking the room, then the filter with its label."""
    row = QHBoxLayout()
    if scan is not None:
        row.addWidget(scan, 1)
    row.addWidget(buddy_label(label, box))
    row.addWidget(box)
    return row


def heading_label(name: str, parent: QWidget) -> QLabel:
    """The chosen document in a sentence above its detail (rich text: its number in bold)."""
    heading = QLabel(parent)
    heading.setObjectName(name)
    heading.setWordWrap(True)
    heading.setTextFormat(Qt.TextFormat.RichText)
    return heading


def master_detail(
    documents: QWidget, heading: QLabel, detail: QWidget, parent: QWidget, stretch: tuple[int, int] = (2, 3)
) -> QSplitter:
    """The list above, the chosen document's heading and detail below; `stretch` shares the height, and
    neither side can be dragged away to nothing."""
    below = QWidget(parent)
    below_layout = QVBoxLayout(below)
    below_layout.setContentsMargins(0, 0, 0, 0)
    below_layout.addWidget(heading)
    below_layout.addWidget(detail, 1)
    splitter = QSplitter(Qt.Orientation.Vertical, parent)
    splitter.addWidget(documents)
    splitter.addWidget(below)
    for index, factor in enumerate(stretch):
        splitter.setStretchFactor(index, factor)
    splitter.setChildrenCollapsible(False)
    return splitter
