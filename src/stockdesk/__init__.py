"""StockDesk: an append-only stock ledger for small businesses, with a desktop client."""

__version__ = "0.1.0"
