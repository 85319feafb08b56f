"""The stock screen's place filter: all sites, or one site or location and everything under it,
listed as the tree reads (children indented under their parent)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from ...domain.catalog import LocationRow

ALL_SITES = "All sites"
INDENT = "    "


class PlaceFilter(QComboBox):
    chosen = Signal(object)
    """The code the person picked, or None for all sites (not emitted by `select`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("placeBox")
        self.setToolTip("Show only this site or location and what is under it")
        self.setMinimumWidth(220)
        self.addItem(ALL_SITES, None)
        self.currentIndexChanged.connect(lambda _index: self.chosen.emit(self.currentData()))

    def set_places(self, places: Sequence[LocationRow], selected: str | None) -> None:
        """Offer `places` (parents before children) and show `selected` chosen."""
        depth: dict[int | None, int] = {None: -1}
        self.blockSignals(True)
        self.clear()
        self.addItem(ALL_SITES, None)
        for place in places:
            depth[place.id] = depth.get(place.parent_id, -1) + 1
            named = place.code if place.name == place.code else f"{place.code} — {place.name}"
            self.addItem(INDENT * depth[place.id] + named, place.code)
        self.blockSignals(False)
        self.select(selected)

    def select(self, code: str | None) -> None:
        """Show the place chosen without telling anyone (a list still loading shows it on arrival)."""
        self.blockSignals(True)
        self.setCurrentIndex(max(self.findData(code), 0))
        self.blockSignals(False)
