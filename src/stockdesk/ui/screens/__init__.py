"""The screens, in the order of the navigation list (Ctrl+1 ... Ctrl+6)."""

from .adjustments import AdjustmentsScreen
from .counts import CountsScreen
from .lots import LotsScreen
from .receiving import ReceivingScreen
from .stock import StockScreen
from .transfers import TransfersScreen

SCREENS = (StockScreen, ReceivingScreen, TransfersScreen, LotsScreen, CountsScreen, AdjustmentsScreen)

__all__ = [
    "SCREENS",
    "AdjustmentsScreen",
    "CountsScreen",
    "LotsScreen",
    "ReceivingScreen",
    "StockScreen",
    "TransfersScreen",
]
