"""Cycle counts screen (placeholder until built)."""

from __future__ import annotations

from ..screen import Screen


class CountsScreen(Screen):
    title = "Cycle counts"
    icon_name = "clipboard-check-outline"
