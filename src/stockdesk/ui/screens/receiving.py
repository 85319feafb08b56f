"""Receiving screen (placeholder until built)."""

from __future__ import annotations

from ..screen import Screen


class ReceivingScreen(Screen):
    title = "Receiving"
    icon_name = "truck-delivery-outline"
