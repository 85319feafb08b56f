"""The Receiving screen's editable parts: a bin chooser, and the form for the selected line (quantity,
lot and expiry, serials, its own bin, on hold) for what a scanner cannot say."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from ...domain import validate
from ...domain.catalog import LocationRow
from ...domain.errors import InvalidInput
from ...domain.quantities import Tracking
from ..theme import Status
from .receiving_draft import DraftLine, parse_serials


class BinBox(QComboBox):
    """A destination: the bins of the current site, plus any place scanned from elsewhere."""

    def __init__(self, none_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.none_label = none_label
        self.addItem(none_label, None)
        self.setMinimumContentsLength(18)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

    def set_places(self, places: Sequence[LocationRow]) -> None:
        """Offer `places`, keeping the current choice (even when it is not among them)."""
        chosen = self.code()
        self.blockSignals(True)
        self.clear()
        self.addItem(self.none_label, None)
        for place in places:
            self.addItem(label(place), place.code)
        self.choose(chosen)
        self.blockSignals(False)

    def code(self) -> str | None:
        return self.currentData()

    def choose(self, code: str | None, text: str | None = None) -> None:
        position = self.findData(code) if code else 0
        if position < 0:
            self.addItem(text or code, code)
            position = self.count() - 1
        self.setCurrentIndex(position)


def label(place: LocationRow) -> str:
    return place.code if place.name == place.code else f"{place.code} — {place.name}"


class LineEditor(QGroupBox):
    """Edits the selected line in place; every change is sent at once, so the table always shows it."""

    edited = Signal(object)
    """The changed DraftLine."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Selected line", parent)
        self.setObjectName("lineEditor")
        self._draft: DraftLine | None = None
        self.item = QLabel(self)
        self.item.setWordWrap(True)
        self.qty = QSpinBox(self)
        self.qty.setRange(1, 1_000_000)
        self.qty.setAccelerated(True)
        self.lot = QLineEdit(self)
        self.expiry = QLineEdit(self)
        self.expiry.setPlaceholderText("YYYY-MM-DD")
        self.serials = QPlainTextEdit(self)
        self.serials.setPlaceholderText("one serial number a line")
        self.serials.setTabChangesFocus(True)
        self.serials.setFixedHeight(self.fontMetrics().lineSpacing() * 6)
        self.bin = BinBox("The receipt's destination", self)
        self.hold = QCheckBox("On &hold (into quarantine)", self)
        form = QFormLayout(self)
        form.addRow(self.item)
        for text, field in (
            ("&Quantity", self.qty),
            ("L&ot", self.lot),
            ("E&xpiry", self.expiry),
            ("Ser&ials", self.serials),
            ("Its own &bin", self.bin),
        ):
            form.addRow(text, field)
        form.addRow(self.hold)
        self.qty.valueChanged.connect(lambda qty: self._send(qty=qty))
        self.lot.textEdited.connect(lambda text: self._send(lot=text.strip() or None))
        self.expiry.textEdited.connect(self._expiry_edited)
        self.serials.textChanged.connect(lambda: self._serials_edited(self.serials.toPlainText()))
        self.bin.activated.connect(lambda _: self._send(to=self.bin.code()))
        self.hold.toggled.connect(lambda on: self._send(quarantine=on))
        self.show_line(None)

    def show_line(self, draft: DraftLine | None) -> None:
        """Load a line (None: nothing selected) without sending it back as an edit."""
        self._draft = None
        tracking = draft.item.tracking if draft else None
        self.item.setText(f"<b>{draft.item.sku}</b> — {draft.item.name}" if draft else "No line selected")
        self.qty.setValue(max(draft.qty, 1) if draft else 1)
        self.lot.setText((draft.line.lot or "") if draft else "")
        self.expiry.setText(str(draft.line.expiry or "") if draft else "")
        self.serials.setPlainText("\n".join(draft.line.serials) if draft else "")
        self.bin.choose(draft.line.to if draft else None)
        self.hold.setChecked(bool(draft and draft.line.quarantine))
        self._mark_expiry(None)
        self.qty.setEnabled(draft is not None and tracking is not Tracking.SERIAL)
        self.lot.setEnabled(tracking is Tracking.LOT)
        self.expiry.setEnabled(tracking is Tracking.LOT)
        self.serials.setEnabled(tracking is Tracking.SERIAL)
        for field in (self.bin, self.hold):
            field.setEnabled(draft is not None)
        self._draft = draft

    def _send(self, **values) -> None:
        if self._draft is None:  # loading a line, not editing it
            return
        self._draft = self._draft.changed(**values)
        self.edited.emit(self._draft)

    def _serials_edited(self, text: str) -> None:
        if self._draft is not None:
            self._draft = self._draft.with_serials(parse_serials(text))
            self.edited.emit(self._draft)

    def _expiry_edited(self, text: str) -> None:
        """Kept as typed (the service has the last word); a date it would refuse is marked at once."""
        try:
            validate.iso_date(text.strip() or None, what="Expiry date")
        except InvalidInput as error:
            self._mark_expiry(str(error))
        else:
            self._mark_expiry(None)
        self._send(expiry=text.strip() or None)

    def _mark_expiry(self, problem: str | None) -> None:
        self.expiry.setToolTip(problem or "")
        colour = Status.SHORTFALL.color().name()
        self.expiry.setStyleSheet(f"QLineEdit {{ border: 2px solid {colour}; }}" if problem else "")
