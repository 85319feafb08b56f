"""Input checks shared by every entry point, with messages in the user's words."""

from __future__ import annotations

from datetime import date

from .errors import InvalidInput


def quantity(value: object, *, what: str = "Quantity", allow_zero: bool = False) -> int:
    """A whole number of units; text, fractions, zero and negatives are refused with the reason."""
    if isinstance(value, bool):
        raise InvalidInput(f"{what} must be a whole number; got {value!r}.")
    if isinstance(value, str):
        text = value.strip()
        if not text.lstrip("-").isdigit():
            raise InvalidInput(f"{what} must be a whole number of units; '{value}' is not.")
        value = int(text)
    if not isinstance(value, int):
        raise InvalidInput(f"{what} must be a whole number of units; {value!r} is not.")
    if value < 0 or (value == 0 and not allow_zero):
        floor = "zero or more" if allow_zero else "greater than zero"
        raise InvalidInput(f"{what} must be {floor}; got {value}.")
    return value


def signed_quantity(value: object, *, what: str = "Change") -> int:
    """A non-zero whole number that may be negative (an adjustment's delta)."""
    if isinstance(value, str) and value.strip().startswith("-"):
        return -quantity(value.strip()[1:], what=what)
    if isinstance(value, str) and value.strip().startswith("+"):
        return quantity(value.strip()[1:], what=what)
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return -quantity(-value, what=what)
    return quantity(value, what=what)


def iso_date(value: str | date | None, *, what: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{what} must be a date written YYYY-MM-DD; '{value}' is not.") from None


def code(value: str, *, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{what} cannot be empty.")
    if len(text) > 64:
        raise InvalidInput(f"{what} is longer than 64 characters: '{text[:20]}...'.")
    return text
