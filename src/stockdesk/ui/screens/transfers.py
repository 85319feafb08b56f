"""Transfers screen (placeholder until built)."""

from __future__ import annotations

from ..screen import Screen


class TransfersScreen(Screen):
    title = "Transfers"
    icon_name = "swap-horizontal-bold"
