"""Idempotency keys that sort by time: random keys make the unique index slow as the ledger grows."""

import secrets
import time


def new_key(prefix: str = "k") -> str:
    return f"{prefix}-{time.time_ns():016x}-{secrets.token_hex(6)}"
