"""Stock screen (placeholder until built)."""

from __future__ import annotations

from ..screen import Screen


class StockScreen(Screen):
    title = "Stock"
    icon_name = "package-variant-closed"
