"""Lots and serials screen (placeholder until built)."""

from __future__ import annotations

from ..screen import Screen


class LotsScreen(Screen):
    title = "Lots and serials"
    icon_name = "barcode"
