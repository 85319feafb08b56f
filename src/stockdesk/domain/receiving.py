"""What a delivery booked against a purchase order must say besides its items: the supplier's
delivery note number, and the clerk's answer for each item the order does not have."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import InvalidInput

WRONG_ITEM_POLICIES = ("refuse", "keep", "return")
WrongItem = str | Mapping[str, str]
"""What to do with items the order does not have: one answer for all of them, or one per SKU
(a clerk decides item by item; an item without an answer is refused)."""


def delivery_note(value: str | None) -> str:
    """The supplier's delivery note number, trimmed. Every receipt needs one: it is what makes two
    clerks booking the same delivery book it once."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput(
            "Give the delivery note number (on the supplier's delivery note): it is what stops the same "
            "delivery being booked twice."
        )
    if len(text) > 100:
        raise InvalidInput("The delivery note number is longer than 100 characters.")
    return text


def answers_to_wrong_items(wrong_item: WrongItem) -> str | dict[str, str]:
    """The answers checked and written one way: SKUs trimmed, 'refuse' (what an item without an
    answer gets anyway) left out, and no answer but 'refuse' written as the single answer 'refuse'.
    The same answers thus make the same request fingerprint, however the caller wrote them."""
    if isinstance(wrong_item, str):
        return _checked_answer(wrong_item)
    answers = {}
    for sku, policy in wrong_item.items():
        code = (sku or "").strip()
        if not code:
            raise InvalidInput("An answer for a wrong item needs the item's SKU.")
        if _checked_answer(policy, code) != "refuse":
            answers[code] = policy
    return answers or "refuse"


def _checked_answer(policy: str, sku: str | None = None) -> str:
    if policy not in WRONG_ITEM_POLICIES:
        said = f" (for {sku})" if sku else ""
        raise InvalidInput(f"A wrong item is refused, kept or returned; '{policy}'{said} is not one of these.")
    return policy


def answer_for(policies: str | dict[str, str], sku: str, barcode: str | None) -> str:
    """The answer for an item the order does not have, by its SKU or its barcode."""
    if isinstance(policies, str):
        return policies
    return policies.get(sku) or policies.get(barcode or "") or "refuse"
