"""Receiving a picked transfer: per line, how many arrived sound and how many damaged; the rest is short.

Everything picked is assumed to have arrived sound until told otherwise, and the two numbers keep
each other within what was picked, so the short column is never negative.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from ...services import transfers
from ...services.context import Context
from ...services.transfer_views import TransferDetail, TransferLineDetail
from ..controls import push_button
from ..form_dialog import FormDialog
from ..theme import SPACING, Status

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass
class LineEntry:
    line: TransferLineDetail
    received: QSpinBox
    damaged: QSpinBox
    short: QLabel

    @property
    def shortfall(self) -> int:
        return self.line.picked - self.received.value() - self.damaged.value()


class ReceiveTransferDialog(FormDialog):
    received = Signal(object, object)
    """The transfer and its (sound, damaged, short) totals, once the receipt is posted."""

    def __init__(self, detail: TransferDetail, ctx: Context, run: Callable, parent: QWidget | None = None) -> None:
        summary = detail.summary
        super().__init__(run, f"Receive {summary.reference}", "receiveTransferDialog", parent)
        self.detail, self.ctx = detail, ctx
        self.resize(720, 420)
        intro = QLabel(
            f"<b>{summary.reference}</b> from {summary.from_location} to {summary.to_location}. "
            "Enter what arrived: sound units go on the shelf, damaged ones into quarantine, "
            "and whatever did not arrive is recorded short.",
            self,
        )
        intro.setWordWrap(True)

        grid = QGridLayout()
        grid.setHorizontalSpacing(SPACING * 2)
        for column, title in enumerate(("SKU", "Item", "Picked", "Received", "Damaged", "Short")):
            label = QLabel(f"<b>{title}</b>", self)
            label.setAlignment(RIGHT if column >= 2 else Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(label, 0, column)
        self.entries: list[LineEntry] = []
        for row, line in enumerate(detail.lines, start=1):
            entry = LineEntry(line, self._spin(line.picked, line.picked), self._spin(line.picked, 0), QLabel(self))
            entry.short.setAlignment(RIGHT)
            entry.received.setAccessibleName(f"Received of {line.sku}")
            entry.damaged.setAccessibleName(f"Damaged of {line.sku}")
            entry.received.valueChanged.connect(lambda _, e=entry: self._balance(e, e.damaged, e.received))
            entry.damaged.valueChanged.connect(lambda _, e=entry: self._balance(e, e.received, e.damaged))
            picked = QLabel(f"{line.picked:,}", self)
            picked.setAlignment(RIGHT)
            for column, widget in enumerate(
                (QLabel(line.sku, self), QLabel(line.name, self), picked, entry.received, entry.damaged, entry.short)
            ):
                grid.addWidget(widget, row, column)
            self.entries.append(entry)
            self._show_short(entry)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(detail.lines) + 1, 1)
        body = QWidget(self)
        body.setLayout(grid)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        self.receive_button = push_button("&Receive", "truck-check-outline", self, "Ctrl+Return")
        self.receive_button.clicked.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)
        layout.addLayout(self.foot(self.receive_button))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.entries:
            self.entries[0].received.setFocus()

    def _spin(self, maximum: int, value: int) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(0, maximum)
        spin.setValue(value)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        spin.setMinimumWidth(90)
        return spin

    def _balance(self, entry: LineEntry, other: QSpinBox, changed: QSpinBox) -> None:
        """Raising one number lowers the other if both together would pass what was picked."""
        if entry.shortfall < 0:
            other.setValue(entry.line.picked - changed.value())
        self._show_short(entry)

    def _show_short(self, entry: LineEntry) -> None:
        short = entry.shortfall
        entry.short.setText(f"{short:,}")
        entry.short.setStyleSheet(f"color: {Status.SHORTFALL.color().name()}; font-weight: bold" if short else "")

    def receipts(self) -> list[transfers.LineReceipt]:
        return [transfers.LineReceipt(e.line.sku, e.received.value(), e.damaged.value()) for e in self.entries]

    def submit(self) -> None:
        ctx, transfer_id, receipts = self.ctx, self.detail.summary.id, self.receipts()
        totals = (
            sum(r.received or 0 for r in receipts),
            sum(r.damaged for r in receipts),
            sum(e.shortfall for e in self.entries),
        )
        self.send(
            self.receive_button,
            lambda: transfers.receive_transfer(ctx, transfer_id, receipts),
            lambda _: self.received.emit(self.detail, totals),
        )
