"""A chooser of one real place (a site or anything under it), for forms where a place is required.

Each place shows its code and name, sites in bold, parents before children (codes are hierarchical,
so the list reads as a tree); typing a code's first characters jumps to it, and a scanned location
is chosen with `choose`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QWidget

from ..domain.catalog import LocationRow
from ..domain.quantities import LocationKind


class PlaceBox(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumContentsLength(16)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sites: list[str] = []

    def set_places(self, places: Sequence[LocationRow]) -> None:
        """Offer `places` (in the catalogue's order), keeping the current choice when it is still there,
        else the first site. Emits nothing: the caller reloads what depends on the choice."""
        chosen = self.code()
        self.blockSignals(True)
        self.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        self.sites = []
        for place in places:
            self.addItem(place.code if place.name == place.code else f"{place.code} — {place.name}", place.code)
            if place.kind is LocationKind.SITE:
                self.sites.append(place.code)
                self.setItemData(self.count() - 1, bold, Qt.ItemDataRole.FontRole)
        if not self.choose(chosen) and self.sites:
            self.choose(self.sites[0])
        self.blockSignals(False)

    def code(self) -> str | None:
        return self.currentData()

    def choose(self, code: str | None) -> bool:
        """Select the place with this code; False (and no change) when it is not offered."""
        position = self.findData(code) if code else -1
        if position >= 0:
            self.setCurrentIndex(position)
        return position >= 0
