"""Per-item retry statistics for optimistic locking (DOMAIN.md section 5).

Optimistic version checks are cheapest while collisions are rare; on a hot item every retry is
wasted work. Once an item's retry rate over its recent attempts crosses the threshold it is
served with row locks instead, and stays so for this process.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Hashable


class ContentionTracker:
    def __init__(self, threshold: float = 0.25, min_attempts: int = 20, window: int = 200) -> None:
        self.threshold = threshold
        self.min_attempts = min_attempts
        self.window = window
        self._history: dict[Hashable, deque[int]] = {}
        self._hot: set[Hashable] = set()
        self._lock = threading.Lock()

    def record(self, key: Hashable, retries: int) -> None:
        """One optimistic write of `key` finished after `retries` failed version checks."""
        with self._lock:
            history = self._history.setdefault(key, deque(maxlen=self.window))
            history.append(retries)
            if len(history) >= self.min_attempts and self._rate(history) > self.threshold:
                self._hot.add(key)

    def retry_rate(self, key: Hashable) -> float:
        with self._lock:
            history = self._history.get(key)
            return self._rate(history) if history else 0.0

    def is_hot(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._hot

    @staticmethod
    def _rate(history: deque[int]) -> float:
        retries = sum(history)
        return retries / (retries + len(history))
