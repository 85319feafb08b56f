"""Colours that mean the same on every screen, and icons from one maintained library (qtawesome).

Colours are picked for the palette in use, so they stay readable in the system's dark theme too.
"""

from __future__ import annotations

from enum import Enum

import qtawesome
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette


class Status(Enum):
    BELOW_REORDER = ("#b35900", "#ffb366")
    QUARANTINED = ("#7b1fa2", "#d59cf0")
    IN_TRANSIT = ("#1565c0", "#82b4ff")
    SHORTFALL = ("#c62828", "#ff8a80")
    GOOD = ("#2e7d32", "#8fd694")

    def color(self) -> QColor:
        light, dark = self.value
        return QColor(dark if is_dark() else light)


def is_dark() -> bool:
    palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def icon(name: str) -> QIcon:
    """A Material Design icon by its mdi6 name ('package-variant'), in the palette's text colour."""
    color = QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
    return qtawesome.icon(f"mdi6.{name}", color=color)


SPACING = 8
"""The gap between controls, and the margin of every screen."""
