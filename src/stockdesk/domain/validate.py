"""Input checks shared by every entry point, with messages in the user's words."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from .errors import InvalidInput

MOST_UNITS = 1_000_000_000
"""No count of units, days or grams is larger: well inside the schema's 32-bit INTEGER columns (sums too),
and far above any real stock, so a barcode scanned into a quantity field is caught here."""
MONEY_DIGITS, MONEY_PLACES = 14, 4
"""The schema's Numeric(14, 4) (db/records.py `Money`): at most 10 digits before the point, 4 after."""
MOST_MONEY = Decimal(10) ** (MONEY_DIGITS - MONEY_PLACES) - Decimal(10) ** -MONEY_PLACES
_WHOLE = re.compile(r"-?[0-9]+")
_DIGITS_SHOWN = 15


def quantity(value: object, *, what: str = "Quantity", allow_zero: bool = False) -> int:
    """A whole number of units in the digits 0-9 (int() would also take '٣'; isdigit() takes '²', which
    int() refuses); text, fractions, zero, negatives and numbers past MOST_UNITS are refused with the reason."""
    if isinstance(value, bool):
        raise InvalidInput(f"{what} must be a whole number; got {value!r}.")
    shown = _shown(str(value).strip())
    if isinstance(value, str):
        text = value.strip()
        if not _WHOLE.fullmatch(text):
            raise InvalidInput(f"{what} must be a whole number of units; '{value}' is not.")
        too_long = len(text.lstrip("-").lstrip("0")) > len(str(MOST_UNITS))  # and too long to convert safely
        value = (-1 if text.startswith("-") else MOST_UNITS + 1) if too_long else int(text)
    if not isinstance(value, int):
        raise InvalidInput(f"{what} must be a whole number of units; {value!r} is not.")
    if value < 0 or (value == 0 and not allow_zero):
        floor = "zero or more" if allow_zero else "greater than zero"
        raise InvalidInput(f"{what} must be {floor}; got {shown}.")
    if value > MOST_UNITS:
        raise InvalidInput(f"{what} {shown} is more than {MOST_UNITS:,}; check the number.")
    return value


def money(value: object, *, what: str) -> Decimal:
    """An amount of money the schema can store: finite, not negative, below 10 billion; kept to 4 places."""
    text = str(value).strip() or "0"
    try:
        amount = Decimal(text) if text.isascii() else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise InvalidInput(f"{what} must be a number such as 12.50; '{_shown(text)}' is not.")
    if amount < 0:
        raise InvalidInput(f"{what} cannot be negative; got {_shown(text)}.")
    if amount > MOST_MONEY:
        raise InvalidInput(f"{what} {_shown(text)} is too large; the most an amount can be is {MOST_MONEY:,}.")
    return amount.copy_abs().quantize(Decimal(10) ** -MONEY_PLACES)  # copy_abs: '-0' is stored as 0


def _shown(text: str) -> str:
    """A number as typed, cut short when it is long enough to be a scanned barcode or a stuck key."""
    return text if len(text) <= _DIGITS_SHOWN else f"{text[:_DIGITS_SHOWN]}\u2026"


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
