"""The quick adjustment: item (scanned or typed), place, signed change, reason code and note, plus the
lot or serial numbers when the item is tracked that way. Posting needs Action.ADJUST.

Each filled-in form carries one idempotency key, so a second press of Ctrl+Enter before the first
answer arrives replays the same adjustment instead of posting it twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from ...domain.catalog import LocationRow, VariantRow
from ...domain.keys import new_key
from ...domain.postings import PostingResult
from ...domain.quantities import ADJUSTMENT_CODE, Tracking
from ...domain.users import Action
from ...services import adjustments
from ...services.catalog import ReasonRow
from ...services.lookup import ScanKind, identify
from ..controls import action_button, buddy_label
from ..place_box import PlaceBox
from ..screen import Screen

WAY = {"in": "adds", "out": "removes", "any": "adds or removes"}


class QuickAdjustForm(QGroupBox):
    def __init__(self, screen: Screen, post: QAction, parent: QWidget | None = None) -> None:
        super().__init__("Quick adjustment", parent)
        self.screen = screen
        self.key = new_key("adjust")
        self.looked_up = ""
        self.item = _field("Scan or type an SKU or barcode", self)
        self.item.setObjectName("adjustItem")
        self.item_info = QLabel(self)
        self.item_info.setWordWrap(True)
        self.item_info.setMinimumHeight(self.item_info.fontMetrics().lineSpacing() * 2)  # room for a long name
        self.place = PlaceBox(self)
        self.place.setObjectName("adjustPlace")
        self.change = _field("-2 takes away, +3 adds", self)
        self.change.setObjectName("adjustChange")
        self.change.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.change.setValidator(QRegularExpressionValidator(r"[+-]?\d{0,7}", self.change))
        self.reason = QComboBox(self)
        self.reason.setObjectName("adjustReason")
        self.reason.setPlaceholderText("Choose a reason")
        self.note = _field("What happened? (required)", self)
        self.note.setObjectName("adjustNote")
        self.note.setMaxLength(adjustments.NOTE_LIMIT)
        self.lot = _field("lot-tracked items only", self)
        self.lot.setObjectName("adjustLot")
        self.serials = _field("serial-tracked items only: SN-1, SN-2", self)
        self.serials.setObjectName("adjustSerials")
        self._track(None)

        form = QFormLayout(self)
        form.addRow(buddy_label("&Item", self.item), self.item)
        form.addRow("", self.item_info)
        form.addRow(buddy_label("&Location", self.place), self.place)
        form.addRow(buddy_label("&Change", self.change), self.change)
        form.addRow(buddy_label("&Reason", self.reason), self.reason)
        form.addRow(buddy_label("&Note", self.note), self.note)
        form.addRow(buddy_label("L&ot", self.lot), self.lot)
        form.addRow(buddy_label("S&erials", self.serials), self.serials)
        form.addRow("", action_button(post, self))
        if not screen.session.may(Action.ADJUST):
            denied = QLabel("Adjustments need a manager or the owner: you can look, not post.", self)
            denied.setWordWrap(True)
            form.addRow("", denied)
        self.item.editingFinished.connect(self._look_up)

    # -- what the screen feeds in -----------------------------------------------------------

    def set_reasons(self, reasons: Sequence[ReasonRow]) -> None:
        chosen = self.reason.currentData()
        self.reason.clear()
        for row in reasons:
            self.reason.addItem(f"{row.code} — {row.description} ({WAY.get(row.direction, row.direction)})", row.code)
        self.reason.setCurrentIndex(self.reason.findData(chosen) if chosen else -1)

    def set_places(self, places: Sequence[LocationRow], site: str | None) -> None:
        fresh = self.place.count() == 0
        self.place.set_places(places)
        if fresh:
            self.place.choose(site)

    def show_item(self, item: VariantRow, *, lot: str | None = None, serial: str | None = None) -> None:
        """A scanned item, lot or serial unit: fill in what the scan said, then ask for the change."""
        self.item.setText(item.sku)
        self.looked_up = item.sku
        self._track(item)
        if lot:
            self.lot.setText(lot)
        if serial and serial not in parse_serials(self.serials.text()):
            self.serials.setText(", ".join([*parse_serials(self.serials.text()), serial]))
        self.change.setFocus(Qt.FocusReason.OtherFocusReason)

    def _look_up(self) -> None:
        """A typed SKU: find the item, to say what it is and which of lot or serials it needs."""
        code, ctx = self.item.text().strip(), self.screen.session.ctx
        if not code or code == self.looked_up:
            return
        self.looked_up = code
        self.screen.run(lambda: identify(ctx, code, (ScanKind.ITEM,)), lambda hit: self._track(hit.item), self._unknown)

    def _unknown(self, error: Exception) -> None:
        self._track(None)
        self.screen.show_error(error)

    def _track(self, item: VariantRow | None) -> None:
        tracking = item.tracking if item else None
        self.lot.setEnabled(tracking is Tracking.LOT)
        self.serials.setEnabled(tracking is Tracking.SERIAL)
        if item is None:
            self.item_info.setText("")
        else:
            tracked = {Tracking.LOT: "tracked by lot", Tracking.SERIAL: "tracked by serial number"}
            self.item_info.setText(f"{item.name} · {tracked.get(item.tracking, 'not tracked')}")

    # -- posting ----------------------------------------------------------------------------

    def post(self) -> None:
        ctx, key = self.screen.session.ctx, self.key
        sku, delta, at = self.item.text().strip(), self.change.text().strip(), self.place.code() or ""
        reason, note = self.reason.currentData(), self.note.text()
        lot = self.lot.text().strip() if self.lot.isEnabled() else None
        serials = parse_serials(self.serials.text()) if self.serials.isEnabled() else []
        self.screen.run(
            lambda: adjustments.quick_adjust(
                ctx, sku, delta, at=at, reason=reason, note=note, lot=lot, serials=serials, key=key
            ),
            self._posted,
        )

    def _posted(self, result: PostingResult) -> None:
        moves = result.movements
        found = moves[0].from_location == ADJUSTMENT_CODE
        units = sum(m.qty for m in moves) * (1 if found else -1)
        place = moves[0].to_location if found else moves[0].from_location
        self.screen.message.show_done(
            f"Adjusted {moves[0].sku} at {place} by {units:+,} "
            f"({moves[0].before_qty:,} → {moves[-1].after_qty:,}), reason {moves[0].reason}."
        )
        self.reset()
        self.screen.scan.setFocus()

    def reset(self) -> None:
        """Ready for the next adjustment: the place stays, everything else (and the key) is new."""
        self.key = new_key("adjust")
        self.looked_up = ""
        for field in (self.item, self.change, self.note, self.lot, self.serials):
            field.clear()
        self.reason.setCurrentIndex(-1)
        self._track(None)


def parse_serials(text: str) -> list[str]:
    return [s for s in re.split(r"[\s,;]+", text) if s]


def _field(placeholder: str, parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setPlaceholderText(placeholder)
    return field
