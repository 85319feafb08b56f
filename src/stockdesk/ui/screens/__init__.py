"""The screens, in the order of the navigation list (Ctrl+1, Ctrl+2, ...; Purchasing is Ctrl+7, Orders Ctrl+8)."""

from .adjustments import AdjustmentsScreen
from .counts import CountsScreen
from .lots import LotsScreen
from .orders import OrdersScreen
from .purchasing import PurchasingScreen
from .receiving import ReceivingScreen
from .stock import StockScreen
from .transfers import TransfersScreen

SCREENS = (
    StockScreen,
    ReceivingScreen,
    TransfersScreen,
    LotsScreen,
    CountsScreen,
    AdjustmentsScreen,
    PurchasingScreen,
    OrdersScreen,
)

__all__ = [
    "SCREENS",
    "AdjustmentsScreen",
    "CountsScreen",
    "LotsScreen",
    "OrdersScreen",
    "PurchasingScreen",
    "ReceivingScreen",
    "StockScreen",
    "TransfersScreen",
]
