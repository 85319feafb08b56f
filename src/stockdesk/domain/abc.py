"""ABC classification (DOMAIN.md section 4): A is the top ~80% of annual usage value, B the next ~15%."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

A_SHARE = 0.80
B_SHARE = 0.95
COUNT_EVERY = {"A": timedelta(days=30), "B": timedelta(days=90), "C": timedelta(days=180)}


def classify(usage_values: Iterable[tuple[int, float]]) -> dict[int, str]:
    """Items sorted by value; an item is A while the running share before it is under 80%, and so on.

    Items with no usage are C. Ties are broken by id so the result does not depend on input order.
    """
    ranked = sorted(((value, item) for item, value in usage_values), key=lambda p: (-p[0], p[1]))
    total = sum(value for value, _ in ranked if value > 0)
    classes: dict[int, str] = {}
    running = 0.0
    for value, item in ranked:
        if value <= 0 or total == 0:
            classes[item] = "C"
            continue
        share_before = running / total
        classes[item] = "A" if share_before < A_SHARE else "B" if share_before < B_SHARE else "C"
        running += value
    return classes


def is_due(abc_class: str, last_counted: datetime | None, now: datetime) -> bool:
    return last_counted is None or now - last_counted >= COUNT_EVERY[abc_class]
