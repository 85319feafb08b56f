"""Stock operations: receive (one item or a whole delivery), reserve, release, ship, sell, return,
quarantine, adjust, scrap, reverse.

Each builds movement drafts from what the user asked, then `post` appends them; shortfalls are
refused by the guarded level writes inside the same transaction.
"""

from .corrections import adjust, quarantine, release_quarantine, reverse, scrap
from .orders import release, reserve, return_goods, sell, ship
from .receipts import ReceiptLine, receive, receive_lines

__all__ = [
    "ReceiptLine",
    "adjust",
    "quarantine",
    "receive",
    "receive_lines",
    "release",
    "release_quarantine",
    "reserve",
    "return_goods",
    "reverse",
    "scrap",
    "sell",
    "ship",
]
