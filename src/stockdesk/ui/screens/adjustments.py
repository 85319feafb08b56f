"""Adjustments screen (placeholder until built)."""

from __future__ import annotations

from ..screen import Screen


class AdjustmentsScreen(Screen):
    title = "Adjustments"
    icon_name = "tune-variant"
